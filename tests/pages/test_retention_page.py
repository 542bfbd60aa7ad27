"""The county admin's Retention page (issue 16): what falls due this term by kind and case
reference with no name on screen, the periods in force with their sources, a period changed,
and the files due today anonymised after a confirmation, audited, the trail intact; refused to
every other role."""

from datetime import date

import pytest
from conftest import demo_actor, new_app, sign_in
from page_helpers import RETENTION, open_page, shown_text
from sqlalchemy import func, select

from seips_core.audit_chain import verify_trail
from seips_core.auth.roles import Role
from seips_core.db import get_engine, read_session
from seips_core.models import Pupil, Setting
from seips_core.retention import KINDS, falling_due
from seips_core.services import set_setting

APPLY = "Anonymise"


def kept_to_18(url: str) -> list[tuple[str, str]]:
    """Every kind kept only to 18, so that the sample's oldest pupils are due today; the
    names of the pupils then due."""
    engine = get_engine(url)
    admin = demo_actor(url, Role.COUNTY_ADMIN)
    for kind in KINDS:
        set_setting(engine, admin, kind.setting, 18)
    with read_session(engine) as session:
        due = {records.pupil_id for records in falling_due(session, date.today())}
        return session.execute(
            select(Pupil.first_name, Pupil.last_name).where(Pupil.id.in_(due))
        ).all()


def apply_button(app):
    (button,) = [b for b in app.button if b.label.startswith(APPLY)]
    return button


def test_the_periods_in_force_are_shown_with_their_sources(app):
    app = open_page(app, RETENTION)
    assert app.title[0].value == "Retention"
    periods = app.table[-1].value  # the last table on the page
    shown = shown_text(app)
    for kind in KINDS:
        assert kind.label in shown and kind.source in shown
    assert len(periods) == len(KINDS)


def test_with_nothing_due_today_there_is_nothing_to_confirm(app):
    app = open_page(app, RETENTION)  # the sample's pupils are all well short of 25
    assert "there is nothing to anonymise" in shown_text(app)
    assert not [b for b in app.button if b.label.startswith(APPLY)]
    assert not app.checkbox


def test_a_county_admin_sees_what_is_due_by_case_reference_and_anonymises_it(app, own_store):
    names = kept_to_18(own_store)
    assert names
    app = open_page(app, RETENTION)
    shown = shown_text(app)
    assert "due today" in shown
    assert not [f"{first} {last}" for first, last in names if f"{first} {last}" in shown]
    assert not [last for _, last in names if last in shown]

    apply_button(app).click().run()  # not confirmed: refused, nothing written
    assert app.error and "Tick the box" in app.error[0].value
    engine = get_engine(own_store)
    with read_session(engine) as session:
        assert not session.scalar(select(func.count()).where(Pupil.anonymised_on.is_not(None)))

    app.checkbox(key="retention_confirm").check()  # and submitted with the form
    apply_button(app).click().run()
    assert not app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.success and app.success[0].value.startswith(f"Anonymised {len(names)} pupils")
    with read_session(engine) as session:
        anonymised = session.scalar(select(func.count()).where(Pupil.anonymised_on.is_not(None)))
        assert anonymised == len(names)
        assert verify_trail(session).broken is None
    after = shown_text(app)
    assert "0 of them due today" in after or "No pupil's file falls due this term." in after


def test_a_county_admin_changes_a_period(app, own_store):
    app = open_page(app, RETENTION)
    app.selectbox(key="retention_kind").set_value(KINDS[2])
    app.number_input[0].set_value(30)
    [save] = [b for b in app.button if b.label == "Save period"]
    save.click().run()
    assert app.success[0].value.startswith(KINDS[2].label)
    with read_session(get_engine(own_store)) as session:
        stored = session.scalar(select(Setting.value).where(Setting.key == KINDS[2].setting))
    assert stored == "30"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COORDINATOR, Role.CHAIR])
def test_no_other_role_can_open_it(county, role):
    app = sign_in(new_app(), demo_actor(county, role)).run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page(RETENTION)
