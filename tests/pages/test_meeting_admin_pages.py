"""Home knows the meeting; actions are ticked done and edited, overdue ones shown on Meetings;
a chair sets the quorum (issue 12). What the page should show is read from the store in plain
SQL, not through the queries the pages use."""

from conftest import TODAY, demo_actor, new_app, sign_in
from direct_counts import _rows
from page_helpers import AGENDA, HOME, MEETINGS, open_page, open_part
from streamlit.testing.v1 import AppTest

from seips_core.auth.roles import Role

NW_OVERDUE = """
    SELECT a.id, a.description FROM action a JOIN meeting m ON m.id = a.meeting_id
    JOIN partnership p ON p.id = m.partnership_id
    WHERE p.code = 'NW' AND a.done_date IS NULL AND a.due_date < :on ORDER BY a.due_date, a.id"""
TODAYS_MEETING = """
    SELECT m.id, COUNT(a.id) FROM meeting m JOIN partnership p ON p.id = m.partnership_id
    LEFT JOIN agendaitem a ON a.meeting_id = m.id
    WHERE p.code = 'NW' AND m.meeting_date = :on GROUP BY m.id"""


def as_role(url: str, role: Role, page: str) -> AppTest:
    return open_page(sign_in(new_app(), demo_actor(url, role)), page)


def actions_of(url: str, role: Role) -> AppTest:
    """The Meetings page of ``role`` with its Actions tab open."""
    return open_part(as_role(url, role, MEETINGS), "meetings_part", "Actions")


def metrics(app: AppTest) -> dict[str, int]:
    return {metric.label: int(metric.value.replace(",", "")) for metric in app.metric}


def test_home_shows_today_s_meeting_to_a_co_ordinator_and_a_chair(county):
    ((meeting_id, items),) = _rows(county, TODAYS_MEETING, on=TODAY)
    overdue = _rows(county, NW_OVERDUE, on=TODAY)
    assert overdue, "the sample leaves some of NW's actions overdue"
    for role in (Role.COORDINATOR, Role.CHAIR):
        app = as_role(county, role, HOME)
        headings = [heading.value for heading in app.header]
        assert any(h.startswith("Today: NW panel") for h in headings), headings
        shown = metrics(app)
        assert (shown["Agenda items"], shown["Actions overdue"]) == (items, len(overdue))
        assert any(box.value.startswith("Quorum: ") for box in (*app.info, *app.warning,
                                                                 *app.success))  # fmt: skip
        (link,) = [link for link in app.get("page_link") if link.proto.label == "Open the meeting"]
        assert link.proto.query_string == f"meeting={meeting_id}"
        assert any(s.value.startswith("Since the last meeting (") for s in app.subheader)


def test_home_shows_no_meeting_to_a_viewer(county):
    app = as_role(county, Role.VIEWER, HOME)
    assert not [h.value for h in app.header if h.value.startswith(("Today:", "Next:"))]
    assert "Actions overdue" not in metrics(app)
    assert not [s.value for s in app.subheader if s.value.startswith("Since the last meeting")]


def plain(label: str) -> str:
    """A tick box's label as read: the Markdown's bold marks gone."""
    return label.replace("**", "")


def overdue_boxes(app: AppTest) -> list:
    return [box for box in app.checkbox if "⚠ overdue" in box.label]


def test_meetings_lists_nw_s_overdue_actions(county):
    app = actions_of(county, Role.COORDINATOR)
    overdue = _rows(county, NW_OVERDUE, on=TODAY)
    assert metrics(app)["Actions overdue"] == len(overdue)
    labels = [plain(box.label) for box in overdue_boxes(app)]
    assert len(labels) == len(overdue)
    for (_id, description), label in zip(overdue, labels, strict=True):
        assert label.startswith(f"{description} · ")
        assert "set at NW " in label
    viewer = actions_of(county, Role.VIEWER)
    assert "⚠ overdue" in "\n".join(m.value for m in viewer.markdown)  # read, not ticked


def test_ticking_an_overdue_action_done_saves_it_and_it_leaves_the_list(own_store):
    app = actions_of(own_store, Role.COORDINATOR)
    (first_id, description), *rest = _rows(own_store, NW_OVERDUE, on=TODAY)
    overdue_boxes(app)[0].check().run()
    assert not app.exception and not app.error
    done = _rows(own_store, "SELECT done_date FROM action WHERE id = :i", i=first_id)
    assert [str(day) for (day,) in done] == [TODAY.isoformat()]
    assert len(overdue_boxes(app)) == len(rest)
    assert any(box.value == f"Action done: {description}." for box in app.success)


def test_an_action_is_edited_in_its_form_and_a_blank_owner_is_refused(own_store):
    app = actions_of(own_store, Role.COORDINATOR)
    (first_id, _description), *_ = _rows(own_store, NW_OVERDUE, on=TODAY)
    form = f"overdue-edit-{first_id}-"
    assert not [each for each in app.text_input if each.form_id.startswith(form)]  # unopened
    (version,) = _rows(own_store, "SELECT version FROM action WHERE id = :i", i=first_id)[0]
    app.session_state[f"{form}{version}"] = True  # Edit clicked: its popover opens
    app.run()

    def owner_box():
        (box,) = [
            each for each in app.text_input
            if each.label.startswith("Owner") and each.form_id.startswith(form)
        ]  # fmt: skip
        return box

    def save() -> None:
        (button,) = [
            each for each in app.button
            if each.label == "Save the action" and each.form_id.startswith(form)
        ]  # fmt: skip
        button.click().run()

    owner_box().set_value("  ")
    save()
    assert any(e.value.startswith("Not saved. Owner: ") for e in app.error)
    owner_box().set_value("Deputy head")
    save()
    owner = _rows(own_store, "SELECT owner FROM action WHERE id = :i", i=first_id)
    assert owner == [("Deputy head",)]


def test_a_chair_sets_the_quorum_and_the_meeting_counts_to_it(own_store):
    app = as_role(own_store, Role.CHAIR, MEETINGS)
    (needed,) = [each for each in app.number_input if each.label.startswith("Member schools")]
    needed.set_value(2)
    (button,) = [each for each in app.button if each.label == "Save the quorum"]
    button.click().run()
    assert _rows(own_store, "SELECT quorum_schools FROM partnership WHERE code = 'NW'") == [(2,)]
    assert any("2 of " in box.value and "(the partnership's quorum)" in box.value
               for box in (*app.info, *app.warning, *app.success))  # fmt: skip
    coordinator = as_role(own_store, Role.COORDINATOR, MEETINGS)
    assert not [each for each in coordinator.button if each.label == "Save the quorum"]


def test_the_agenda_builder_lists_the_actions_carried_forward(county):
    app = as_role(county, Role.COORDINATOR, AGENDA)
    carried = _rows(
        county,
        "SELECT a.description FROM action a JOIN meeting m ON m.id = a.meeting_id "
        "JOIN partnership p ON p.id = m.partnership_id WHERE p.code = 'NW' "
        "AND m.meeting_date < :on AND a.due_date <= :on "
        "AND (a.done_date IS NULL OR a.done_date > :on) ORDER BY a.due_date, a.id",
        on=TODAY,
    )
    assert carried, "the sample leaves some of NW's earlier actions open"
    ticks = [plain(box.label) for box in app.checkbox if " · set at NW " in box.label]
    assert [label.split(" · ")[0] for label in ticks] == [d for (d,) in carried]
