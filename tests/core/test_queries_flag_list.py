"""The flag list the pages share: the catalogue's flags, counts by rule, initials for pupils."""

from datetime import date

from query_store import ON, QueryStore

from seips_core.db import read_session, write_session
from seips_core.models import Pupil
from seips_core.queries.flag_list import flag_list, rule_counts
from seips_core.queries.flags import county_flags
from seips_core.rules.flag import Flag


def test_flagged_pupils_get_initials_and_other_subjects_none(engine):
    with write_session("test", engine) as session:
        add = QueryStore(session)
        school = add.school(add.partnership("NORTH"))
        placement = add.placement(school, start=date(2026, 1, 5))  # no review date: R11
        pupil = session.get(Pupil, placement.pupil_id)
    with read_session(engine) as session:
        listed = flag_list(session, ON, "NORTH")
        expected = county_flags(session, ON, "NORTH")
    assert listed.flags == tuple(expected)
    assert sum(item.count for item in listed.by_rule) == len(expected)
    subjects = {flag.subject for flag in listed.flags}
    assert pupil.case_ref in subjects and len(subjects) > 1  # the provider is flagged too (R10)
    assert listed.pupils == {pupil.case_ref: f"{pupil.first_name[0]}. {pupil.last_name[0]}."}


def test_full_names_leave_the_store_only_when_asked_for(engine):
    with write_session("test", engine) as session:
        add = QueryStore(session)
        placement = add.placement(add.school(add.partnership("NORTH")), start=date(2026, 1, 5))
        pupil = session.get(Pupil, placement.pupil_id)
    with read_session(engine) as session:
        named = flag_list(session, ON, "NORTH", full_names=True)
    assert named.pupils == {pupil.case_ref: f"{pupil.first_name} {pupil.last_name}"}


def test_rule_counts_give_each_rule_its_count_and_most_severe_flag_in_r_order():
    flags = [
        Flag("R11", "SC-1", "Review overdue.", "warning", "NORTH"),
        Flag("R8", "Oak Farm AP", "Substantial provision to 4 pupils.", "critical", None),
        Flag("R7", "SC-2", "4 days a week.", "advisory", "NORTH"),
        Flag("R8", "Elm AP", "Substantial provision to 1 EHCP pupil.", "critical", None),
        Flag("R13a", "NORTH panel", "A school not notified.", "warning", "NORTH"),
        Flag("R13a", "NORTH panel", "Allocation unenforceable.", "critical", "NORTH"),
    ]
    counts = [(item.rule, item.count, item.severity) for item in rule_counts(flags)]
    assert counts == [
        ("R7", 1, "advisory"),
        ("R8", 2, "critical"),
        ("R11", 1, "warning"),
        ("R13a", 2, "critical"),
    ]
