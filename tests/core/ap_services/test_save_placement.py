"""Adding and changing placements: the preview's flags and words, R8's confirmation, refusals.

Oakfield Skills Centre has three substantial pupils on ``TODAY`` (two of NW, one of HB), so a
fourth crosses R8's default line of 4 (ap_services_store).
"""

import json
import threading
from dataclasses import replace
from datetime import date, timedelta

import pytest
from ap_services_store import (
    FOUR_DAYS,
    OAKFIELD,
    TODAY,
    TWO_DAYS,
    audit_of,
    every_row,
    placement,
    substantial_pupils_in_sql,
)

from seips_core.auth.roles import SYSTEM_ACTOR, Role
from seips_core.db import read_session, write_session
from seips_core.errors import Conflict, InvalidValue, NotAllowed, Problems, RuleViolation
from seips_core.models import Placement
from seips_core.queries import flags as flag_queries
from seips_core.queries.flags import county_flags
from seips_core.services.placements import (
    PlacementInput,
    preview_placement,
    save_placement,
)
from seips_core.services.reference_data import set_setting


def four_days_at(ids, provider: str = OAKFIELD, pupil: str = "NW-4", **fields) -> PlacementInput:
    """A substantial AP placement (R7: 4 days) starting today, with its plan complete."""
    values = {
        "provider_id": ids.providers[provider],
        "sessions": FOUR_DAYS,
        "hours_per_week": 20.0,
        "start_date": TODAY,
        "planned_end_date": TODAY + timedelta(weeks=8),
        "plan_agreed_date": TODAY - timedelta(days=3),
        "next_review_date": TODAY + timedelta(weeks=6),
        "la_informed_date": TODAY - timedelta(days=2),
    }
    return PlacementInput(ids.pupils[pupil], **{**values, **fields})


def r8_flags(engine, on: date = TODAY) -> list[str]:
    with read_session(engine) as session:
        return [flag.message for flag in county_flags(session, on) if flag.rule == "R8"]


# --- Preview -----------------------------------------------------------------------------------


def test_the_preview_names_the_4th_substantial_pupil_counted_across_partnerships(
    engine, ids, actor
):
    before = every_row(engine)
    preview = preview_placement(engine, actor(), None, four_days_at(ids), on=TODAY)
    # The count before is the store's: NW-1, NW-2 (18 hours) and HB's pupil, not the part-time
    # or the ended placement.
    assert substantial_pupils_in_sql(engine, OAKFIELD, TODAY) == 3
    assert (preview.r8_before.substantial_pupils, preview.r8_after.substantial_pupils) == (3, 4)
    assert preview.crosses_r8
    assert (
        "R8: this makes Oakfield Skills Centre's 4th substantial pupil across the county, at or "
        "over the line: the line is 4 (the partnerships' guidance; the statute says 5)"
    ) in preview.words
    assert any("confirm it with a reason" in word for word in preview.words)
    assert any(w.startswith("R7: 4 days a week at Oakfield Skills Centre") for w in preview.words)
    assert {flag.rule for flag in preview.flags} == {"R7", "R8"}
    assert every_row(engine) == before  # a preview keeps nothing, not even an audit row


def test_a_preview_with_the_statutory_threshold_says_one_pupil_short(engine, ids, actor):
    set_setting(engine, SYSTEM_ACTOR("cli:test"), "r8_threshold", 5)
    preview = preview_placement(engine, actor(), None, four_days_at(ids), on=TODAY)
    assert not preview.crosses_r8
    assert preview.threshold == 5
    assert (
        "R8: this makes Oakfield Skills Centre's 4th substantial pupil across the county, one "
        "pupil short of the line: the line is 5 (the statute, Education Act 1996 s.463)"
    ) in preview.words
    assert "R8" not in {flag.rule for flag in preview.flags}


def test_a_part_time_placement_says_nothing_of_r8(engine, ids, actor):
    data = four_days_at(ids, sessions="MonAM MonPM", hours_per_week=5.0)
    preview = preview_placement(engine, actor(), None, data, on=TODAY)
    assert (preview.r8_before.substantial_pupils, preview.r8_after.substantial_pupils) == (3, 3)
    assert not preview.crosses_r8
    assert not [word for word in preview.words if word.startswith("R8")]


def test_a_looked_after_pupil_alone_crosses_r8_at_an_unused_provider(engine, ids, actor):
    data = four_days_at(ids, "Quiet Lane Centre", pupil="NW-5")
    preview = preview_placement(engine, actor(), None, data, on=TODAY)
    assert preview.crosses_r8
    assert preview.r8_after.substantial_lac_or_ehcp_pupils == 1
    assert (
        "R8: this makes Quiet Lane Centre's 1st looked-after or EHCP pupil in substantial "
        "provision: one is enough to put it at risk of being an unregistered school"
    ) in preview.words


def test_a_registered_school_never_crosses_r8(engine, ids, actor):
    data = four_days_at(ids, "Hilltop College", pupil="NW-5")
    preview = preview_placement(engine, actor(), None, data, on=TODAY)
    assert not preview.crosses_r8
    assert not [word for word in preview.words if word.startswith("R8")]


def test_the_preview_lists_the_plan_and_safeguarding_gaps_in_words(engine, ids, actor):
    # NW-6's school (Wold) holds no safeguarding confirmation from Oakfield (R27); no plan,
    # no end date (R9), no review date (R11), no LA informed (R26).
    data = PlacementInput(ids.pupils["NW-6"], ids.providers[OAKFIELD], FOUR_DAYS, 12.5, TODAY)
    preview = preview_placement(engine, actor(), None, data, on=TODAY)
    rules = [word.split(":")[0] for word in preview.words]
    assert {"R7", "R9", "R11", "R26", "R27", "R28"} <= set(rules)
    assert (
        "R27: No written safeguarding confirmation from Oakfield Skills Centre held by Wold "
        "High School: the commissioning school must hold one"
    ) in preview.words


def test_a_future_placement_is_judged_on_its_first_day(engine, ids, actor):
    # HB's pupil leaves Oakfield in a week; a placement starting in a fortnight is judged on
    # its first day, where it is the 3rd substantial pupil (today it would be the 4th).
    with write_session("test setup", engine) as session:
        session.get(Placement, ids.placements["HB-1"]).end_date = TODAY + timedelta(days=7)
    start = TODAY + timedelta(days=14)
    data = four_days_at(ids, start_date=start)
    preview = preview_placement(engine, actor(), None, data, on=TODAY)
    assert preview.on == start
    assert (preview.r8_before.substantial_pupils, preview.r8_after.substantial_pupils) == (2, 3)
    assert not preview.crosses_r8
    assert substantial_pupils_in_sql(engine, OAKFIELD, start) == 2


def test_a_preview_in_a_session_rolls_its_savepoint_back(engine, ids, actor):
    before = every_row(engine)
    with write_session(actor().email, engine) as session:
        preview = preview_placement(session, actor(), None, four_days_at(ids), on=TODAY)
    assert preview.crosses_r8
    assert every_row(engine) == before


# --- Saving and R8's confirmation ----------------------------------------------------------------


def test_crossing_r8_without_a_reason_is_refused_and_nothing_is_written(engine, ids, actor):
    before = every_row(engine)
    with pytest.raises(
        RuleViolation, match=r"^R8: Reason for going over the line: .*confirm with a reason"
    ) as refused:
        save_placement(engine, actor(), None, four_days_at(ids), expected_version=None, on=TODAY)
    assert refused.value.rule == "R8"
    assert "Oakfield Skills Centre to 4 substantial pupil(s)" in str(refused.value)
    assert every_row(engine) == before
    assert r8_flags(engine) == []


def test_crossing_r8_with_a_reason_is_saved_and_the_audit_row_holds_the_reason(engine, ids, actor):
    reason = "Only provider with a motor vehicle course; registration applied for on 1 Nov."
    saved = save_placement(
        engine, actor(), None, four_days_at(ids), expected_version=None, r8_reason=f" {reason} ",
        on=TODAY,
    )  # fmt: skip
    row = placement(engine, saved.placement_id)
    assert (row.r8_confirmation, row.sessions, row.version) == (reason, FOUR_DAYS, saved.version)
    assert saved.preview.crosses_r8
    (entry,) = audit_of(engine, "placement", saved.placement_id)
    assert (entry.action, entry.actor) == ("insert", actor().email)
    assert json.loads(entry.after)["r8_confirmation"] == reason
    # The catalogue now flags Oakfield, counted as the preview counted.
    assert r8_flags(engine) == [
        "May be acting as an unregistered school: substantial provision to 4 pupils (limit: 4 "
        "or more, the partnerships' guidance; the statute says 5)"
    ]
    assert substantial_pupils_in_sql(engine, OAKFIELD, TODAY) == 4


def test_a_5th_pupil_at_a_provider_already_over_the_line_needs_no_second_reason(engine, ids, actor):
    save_placement(
        engine, actor(), None, four_days_at(ids), expected_version=None, r8_reason="Agreed",
        on=TODAY,
    )  # fmt: skip
    fifth = save_placement(
        engine, actor(), None, four_days_at(ids, pupil="NW-6"), expected_version=None, on=TODAY
    )
    assert not fifth.preview.crosses_r8
    assert fifth.preview.r8_after.substantial_pupils == 5
    assert (
        "R8: Oakfield Skills Centre is already at or over the line without this change"
    ) in fifth.preview.words
    assert placement(engine, fifth.placement_id).r8_confirmation is None


def test_making_a_part_time_placement_substantial_crosses_r8(engine, ids, actor):
    placement_id = ids.placements["NW-3"]
    row = placement(engine, placement_id)
    data = four_days_at(ids, pupil="NW-3", start_date=row.start_date)
    with pytest.raises(RuleViolation, match=r"^R8"):
        save_placement(engine, actor(), placement_id, data, expected_version=row.version, on=TODAY)
    saved = save_placement(
        engine, actor(), placement_id, data, expected_version=row.version, r8_reason="Agreed",
        on=TODAY,
    )  # fmt: skip
    assert saved.version == row.version + 1
    changed = placement(engine, placement_id)
    assert (changed.sessions, changed.r8_confirmation) == (FOUR_DAYS, "Agreed")
    assert (
        json.loads(audit_of(engine, "placement", placement_id)[-1].before)["sessions"] == TWO_DAYS
    )


def test_a_save_over_a_changed_placement_is_a_conflict(engine, ids, actor):
    placement_id = ids.placements["NW-3"]
    seen = placement(engine, placement_id).version
    data = four_days_at(ids, pupil="NW-3", sessions=TWO_DAYS, hours_per_week=10.0)
    save_placement(engine, actor(), placement_id, data, expected_version=seen, on=TODAY)
    before = every_row(engine)
    later = replace(data, hours_per_week=12.0)
    with pytest.raises(Conflict, match=r"^Placement: it was changed by .* since you opened it"):
        save_placement(engine, actor(), placement_id, later, expected_version=seen, on=TODAY)
    assert every_row(engine) == before


def test_a_saved_placement_keeps_the_sessions_in_week_order(engine, ids, actor):
    data = four_days_at(ids, "Quiet Lane Centre", sessions="WedPM MonAM", hours_per_week=5.0)
    saved = save_placement(engine, actor(), None, data, expected_version=None, on=TODAY)
    row = placement(engine, saved.placement_id)
    assert (row.sessions, row.school_id, row.kind) == ("MonAM WedPM", ids.schools["Oakmere"], "ap")


# --- Refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"sessions": ""}, "Sessions"),
        ({"sessions": "MonAM SatAM"}, "Sessions"),
        ({"sessions": "MonAM MonAM"}, "Sessions"),
        ({"hours_per_week": 0.0}, "Hours a week"),
        ({"hours_per_week": 40.5}, "Hours a week"),
        ({"hours_per_week": None}, "Hours a week"),
        ({"start_date": None}, "Start date"),
        ({"planned_end_date": TODAY - timedelta(days=1)}, "Planned end date"),
        ({"max_duration_weeks": 0}, "Maximum duration"),
        ({"next_review_date": TODAY - timedelta(days=1)}, "Next review date"),
        ({"kind": "holiday"}, "Kind"),
        ({"provider_id": None}, "Provider"),
        ({"provider_id": 99999}, "Provider"),
        ({"school_id": 99999}, "School"),
    ],
)
def test_a_wrong_field_is_refused_naming_it(engine, ids, actor, fields, field):
    before = every_row(engine)
    data = four_days_at(ids, "Quiet Lane Centre", **fields)
    with pytest.raises((InvalidValue, RuleViolation), match=field):
        save_placement(engine, actor(), None, data, expected_version=None, on=TODAY)
    with pytest.raises((InvalidValue, RuleViolation), match=field):
        preview_placement(engine, actor(), None, data, on=TODAY)
    assert every_row(engine) == before


def test_an_unknown_pupil_is_refused_naming_the_field(engine, ids, actor):
    data = replace(four_days_at(ids), pupil_id=99999)
    with pytest.raises(InvalidValue, match=r"^Pupil: there is no pupil 99999"):
        save_placement(engine, actor(), None, data, expected_version=None, on=TODAY)


@pytest.mark.parametrize(
    ("pupil", "message"),
    [
        ("NW-7", "^Pupil: NW-7 is on no school's roll.* \\(R17\\)"),
        ("NW-8", "^Pupil: NW-8 came off roll on 1 Oct 2026.* \\(R17\\)"),
    ],
)
def test_a_pupil_not_on_a_schools_roll_gets_no_placement(engine, ids, actor, pupil, message):
    """A county admin, as NW-7, on no roll and with no history, is no partnership's (R2)."""
    before = every_row(engine)
    data = four_days_at(ids, "Quiet Lane Centre", pupil=pupil)
    with pytest.raises(Problems, match=message):
        save_placement(
            engine, actor(Role.COUNTY_ADMIN), None, data, expected_version=None, on=TODAY
        )
    assert every_row(engine) == before


def test_another_school_than_the_school_on_roll_cannot_commission(engine, ids, actor):
    data = four_days_at(ids, "Quiet Lane Centre", school_id=ids.schools["Wold"])
    with pytest.raises(Problems, match=r"^School: the commissioning school.* \(R26\)"):
        save_placement(engine, actor(), None, data, expected_version=None, on=TODAY)


def test_a_placement_stays_with_its_pupil(engine, ids, actor):
    placement_id = ids.placements["NW-3"]
    data = four_days_at(ids, pupil="NW-4", sessions=TWO_DAYS, hours_per_week=10.0)
    with pytest.raises(InvalidValue, match=r"^Pupil: a placement stays with its pupil"):
        save_placement(
            engine, actor(), placement_id, data,
            expected_version=placement(engine, placement_id).version, on=TODAY,
        )  # fmt: skip


def test_an_overlong_r8_reason_is_refused(engine, ids, actor):
    with pytest.raises(
        InvalidValue, match=r"^Reason for going over the line: write at most 500 characters"
    ):
        save_placement(
            engine, actor(), None, four_days_at(ids), expected_version=None, r8_reason="x" * 501,
            on=TODAY,
        )  # fmt: skip


def test_only_case_workers_of_the_pupils_partnership_record_placements(engine, ids, actor):
    before = every_row(engine)
    data = four_days_at(ids, "Quiet Lane Centre", sessions="MonAM", hours_per_week=2.5)
    with pytest.raises(NotAllowed, match=r"viewer of NW: .* may record AP placements"):
        save_placement(engine, actor(Role.VIEWER), None, data, expected_version=None, on=TODAY)
    with pytest.raises(NotAllowed, match="partnership NW's data"):
        save_placement(engine, actor(Role.COORDINATOR, "HB"), None, data, expected_version=None)
    with pytest.raises(NotAllowed, match="partnership NW's data"):
        preview_placement(engine, actor(Role.COORDINATOR, "HB"), None, data, on=TODAY)
    assert every_row(engine) == before


def test_two_saves_at_one_provider_are_counted_one_after_the_other(engine, ids, actor, monkeypatch):
    # With HB's pupil gone, Oakfield has 2 substantial pupils. The first screen saves a 3rd
    # and is held between writing it and committing; the second screen's save, started
    # meanwhile, waits for it (the provider's row is locked), then counts 3 and is the 4th: R8.
    with write_session("test setup", engine) as session:
        session.get(Placement, ids.placements["HB-1"]).end_date = TODAY - timedelta(days=1)
    written, release = threading.Event(), threading.Event()
    count, first_counts = flag_queries.provider_facts, []

    def count_and_hold(session, on, partnership):
        """The first screen's second count is after its write: hold it there, uncommitted."""
        answer = count(session, on, partnership)
        if threading.current_thread().name == "first":
            first_counts.append(answer)
            if len(first_counts) == 2:
                written.set()
                release.wait(timeout=30)
        return answer

    monkeypatch.setattr(flag_queries, "provider_facts", count_and_hold)
    outcome: dict[str, BaseException | None] = {}

    def screen(pupil: str) -> None:
        try:
            data = four_days_at(ids, pupil=pupil)
            save_placement(engine, actor(), None, data, expected_version=None, on=TODAY)
            outcome[pupil] = None
        except BaseException as exc:  # handed to the test thread
            outcome[pupil] = exc

    first = threading.Thread(target=screen, args=("NW-4",), name="first")
    first.start()
    assert written.wait(timeout=30)
    second = threading.Thread(target=screen, args=("NW-6",), name="second")
    second.start()
    second.join(timeout=1.0)
    waited = second.is_alive()
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert waited, "the second save waits for the first"
    assert outcome["NW-4"] is None
    refused = outcome["NW-6"]
    assert isinstance(refused, RuleViolation) and refused.rule == "R8"
    assert substantial_pupils_in_sql(engine, OAKFIELD, TODAY) == 3


def test_every_problem_of_a_placement_is_said_at_once_and_nothing_is_written(engine, ids, actor):
    """Issue 15: three wrong fields are three problems in one refusal, each naming its field,
    by saving and by checking the flags alike; nothing is written."""
    before = every_row(engine)
    data = replace(four_days_at(ids), pupil_id=None, provider_id=None, hours_per_week=45.0)
    for attempt in (
        lambda: save_placement(engine, actor(), None, data, expected_version=None, on=TODAY),
        lambda: preview_placement(engine, actor(), None, data, on=TODAY),
    ):
        with pytest.raises(Problems) as refused:
            attempt()
        assert [str(problem) for problem in refused.value.problems] == [
            "Pupil: choose a pupil",
            "Provider: choose a provider",
            "Hours a week: 45 is more than the 40 a placement may have",
        ]
    assert every_row(engine) == before


def test_an_empty_placement_form_asks_for_each_field_by_its_name(engine, ids, actor):
    data = PlacementInput(pupil_id=None)
    with pytest.raises(Problems) as refused:
        preview_placement(engine, actor(), None, data, on=TODAY)
    assert [problem.field for problem in refused.value.problems] == [
        "Pupil", "Provider", "Sessions", "Hours a week", "Start date",
    ]  # fmt: skip
    assert "None" not in str(refused.value)
