"""R17: taking a pupil off roll: only when enrolled elsewhere or genuinely missing, whatever the
pupil's provision (Tier 4 programme managed, an AP placement running or agreed, none)."""

from datetime import date, timedelta

import pytest
from ap_services_store import TODAY, audit_of, every_row, pupil
from sqlalchemy import func, select

from seips_core.auth.roles import Role
from seips_core.db import read_session, write_session
from seips_core.errors import Conflict, InvalidValue, NotAllowed, RuleViolation
from seips_core.models import AuditEntry, TierChange
from seips_core.queries.flags import county_flags
from seips_core.services.pupils import take_off_roll


def r17_subjects(engine) -> list[str]:
    with read_session(engine) as session:
        return [flag.subject for flag in county_flags(session, TODAY) if flag.rule == "R17"]


def tier4_without_a_placement(engine, ids) -> int:
    """NW-4, programme managed at Tier 4 since September (R5) with no placement: on roll."""
    pupil_id = ids.pupils["NW-4"]
    with write_session("test setup", engine) as session:
        session.add(
            TierChange(
                pupil_id=pupil_id, school_id=ids.schools["Oakmere"], tier=4,
                from_date=date(2026, 9, 7),
            )
        )  # fmt: skip
    return pupil_id


def audit_count(engine) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.count(AuditEntry.id)))


#: Every way of giving no lawful reason: none, a blank, and reasons a school might give.
UNLAWFUL = [None, "", "excluded", "parental_request", "elective_home_education"]
#: NW-3 attends Oakfield part time; NW-9's placement is agreed and starts in a fortnight;
#: NW-4 is at Tier 4 with no placement; NW-6 has no provision at all.
PROVISIONS = ["NW-3", "NW-9", "NW-4", "NW-6"]


@pytest.mark.parametrize("reason", UNLAWFUL)
@pytest.mark.parametrize("case_ref", PROVISIONS)
def test_no_pupil_is_taken_off_roll_without_a_lawful_reason(engine, ids, actor, case_ref, reason):
    tier4_without_a_placement(engine, ids)
    before, audited = every_row(engine), audit_count(engine)
    with pytest.raises(RuleViolation, match=r"^R17: Off-roll reason: ") as refused:
        take_off_roll(engine, actor(), ids.pupils[case_ref], reason=reason, on=TODAY)
    assert refused.value.rule == "R17"
    assert (f"'{reason}' is not a lawful reason" if reason else "no reason was given") in str(
        refused.value
    )
    assert audit_count(engine) == audited
    assert every_row(engine) == before
    assert pupil(engine, ids.pupils[case_ref]).off_roll_date is None


@pytest.mark.parametrize("reason", ["enrolled_elsewhere", "missing"])
@pytest.mark.parametrize("case_ref", ["NW-4", "NW-6"])
def test_a_pupil_without_a_placement_enrolled_elsewhere_or_missing_leaves_the_roll(
    engine, ids, actor, case_ref, reason
):
    tier4_without_a_placement(engine, ids)
    audited = audit_count(engine)
    done = take_off_roll(engine, actor(), ids.pupils[case_ref], reason=reason, on=TODAY)
    row = pupil(engine, ids.pupils[case_ref])
    assert (row.off_roll_date, row.off_roll_reason, row.version) == (TODAY, reason, done.version)
    assert done.warnings == ()
    assert audit_count(engine) == audited + 1
    assert r17_subjects(engine) == []


@pytest.mark.parametrize("reason", ["enrolled_elsewhere", "missing"])
def test_a_pupil_in_a_placement_enrolled_elsewhere_or_missing_leaves_the_roll(
    engine, ids, actor, reason
):
    pupil_id = ids.pupils["NW-3"]
    done = take_off_roll(engine, actor(), pupil_id, reason=reason, on=TODAY)
    row = pupil(engine, pupil_id)
    assert (row.off_roll_date, row.off_roll_reason, row.version) == (TODAY, reason, done.version)
    assert row.school_id == ids.schools["Oakmere"]  # R2: the partnership stays known
    assert done.warnings == (
        "R17: the placement at Oakfield Skills Centre has not ended: end it if the pupil no "
        "longer attends.",
    )
    entry = audit_of(engine, "pupil", pupil_id)[-1]
    assert (entry.action, entry.actor) == ("update", actor().email)
    assert r17_subjects(engine) == []


def test_a_placement_ended_before_the_day_is_not_named(engine, ids, actor):
    # NW-10's placement ended on 23 October.
    done = take_off_roll(engine, actor(), ids.pupils["NW-10"], reason="missing", on=TODAY)
    assert done.warnings == ()


@pytest.mark.parametrize(
    ("case_ref", "reason", "message", "role"),
    [
        ("NW-8", "missing", r"^Off-roll date: NW-8 is already off roll since 1 Oct 2026",
         Role.COORDINATOR),
        # On no roll and with no history, NW-7 is no partnership's (R2): a county admin's.
        ("NW-7", "missing", r"^Pupil: NW-7 is on no school's roll", Role.COUNTY_ADMIN),
    ],
)  # fmt: skip
def test_an_impossible_off_roll_is_refused_naming_the_field(
    engine, ids, actor, case_ref, reason, message, role
):
    before = every_row(engine)
    with pytest.raises(InvalidValue, match=message):
        take_off_roll(engine, actor(role), ids.pupils[case_ref], reason=reason, on=TODAY)
    assert every_row(engine) == before


def test_an_off_roll_over_a_changed_record_is_a_conflict(engine, ids, actor):
    pupil_id = ids.pupils["NW-4"]
    with pytest.raises(Conflict, match=r"^Pupil: the record was changed"):
        take_off_roll(engine, actor(), pupil_id, reason="missing", on=TODAY, expected_version=2)
    assert pupil(engine, pupil_id).off_roll_date is None


def test_only_case_workers_of_the_pupils_partnership_take_pupils_off_roll(engine, ids, actor):
    with pytest.raises(NotAllowed, match="partnership HB's data"):
        take_off_roll(engine, actor(), ids.pupils["HB-2"], reason="missing", on=TODAY)
    with pytest.raises(NotAllowed, match="may take a pupil off roll"):
        take_off_roll(engine, actor(Role.VIEWER), ids.pupils["NW-4"], reason="missing", on=TODAY)
    take_off_roll(
        engine, actor(Role.COORDINATOR, "HB"), ids.pupils["HB-2"], reason="missing",
        on=TODAY - timedelta(days=1),
    )  # fmt: skip
    assert pupil(engine, ids.pupils["HB-2"]).off_roll_date == TODAY - timedelta(days=1)
