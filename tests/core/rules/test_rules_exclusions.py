"""Exclusion rules at their boundaries (R25)."""

from datetime import date

import pytest

from seips_core.rules.exclusions import (
    PermanentExclusionFacts,
    SuspensionTotal,
    governors_review_late,
    suspension_days_limit,
)
from seips_core.school_days import SchoolCalendar

ON = date(2025, 11, 12)  # a Wednesday after the October half term (27–31 Oct)
CALENDAR = SchoolCalendar.from_terms(
    [(date(2025, 9, 3), date(2025, 10, 24)), (date(2025, 11, 3), date(2025, 12, 19))]
)


@pytest.mark.parametrize(
    ("days", "severity"), [(39, None), (40, "warning"), (45, "warning"), (46, "critical")]
)
def test_suspension_days_are_warned_from_40_and_critical_past_45_R25(days, severity):
    flag = suspension_days_limit(SuspensionTotal("P-1", "NWL", days))
    assert (flag.severity if flag else None) == severity


def test_the_suspension_flag_names_the_days_and_the_limit_R25():
    flag = suspension_days_limit(SuspensionTotal("P-1", "NWL", 46))
    assert (flag.rule, flag.subject, flag.partnership) == ("R25", "P-1", "NWL")
    assert flag.message == ("46 school days of suspension this academic year: past the limit of 45")


def test_no_governors_review_sixteen_school_days_after_across_half_term_is_late_R25():
    # After Tue 14 Oct to Wed 12 Nov: 15-24 Oct (8), half term, 3-12 Nov (8) = 16.
    flag = governors_review_late(
        PermanentExclusionFacts("P-1", "HBN", date(2025, 10, 14)), ON, CALENDAR
    )
    assert (flag.rule, flag.severity, flag.partnership) == ("R25", "warning", "HBN")
    assert flag.message.startswith("No governors' review 16 school days after")
    assert "within 15 school days" in flag.message


def test_no_governors_review_fifteen_school_days_after_is_still_in_time_R25():
    exclusion = PermanentExclusionFacts("P-1", "HBN", date(2025, 10, 15))
    assert governors_review_late(exclusion, ON, CALENDAR) is None


def test_a_governors_review_held_on_the_sixteenth_school_day_was_late_R25():
    # After Fri 10 Oct: 13-24 Oct (10), half term, 3-7 Nov (5) = 15; Mon 10 Nov is the 16th.
    start = date(2025, 10, 10)
    late = PermanentExclusionFacts("P-1", "HBN", start, governors_review_date=date(2025, 11, 10))
    in_time = PermanentExclusionFacts("P-1", "HBN", start, governors_review_date=date(2025, 11, 7))
    assert governors_review_late(late, ON, CALENDAR).message.startswith(
        "Governors' review on 10 Nov 2025, 16 school days after the exclusion"
    )
    assert governors_review_late(in_time, ON, CALENDAR) is None
