"""The Flag record, rule titles and the order flags are listed in."""

from datetime import date

import pytest

from seips_core.rules.flag import (
    RULE_TITLES,
    Flag,
    flag_order,
    graded,
    raised,
    rule_order,
    when,
)


def test_every_rule_of_rules_md_has_a_short_title():
    expected = {f"R{n}" for n in range(1, 29)} | {"R13a", "R13b"}
    assert set(RULE_TITLES) == expected
    assert all(0 < len(title) <= 50 for title in RULE_TITLES.values())


def test_rules_sort_by_number_not_by_text():
    rules = ["R13a", "R3", "R21", "R13", "R10", "R15"]
    assert sorted(rules, key=rule_order) == ["R3", "R10", "R13", "R13a", "R15", "R21"]


def test_a_text_that_is_no_rule_id_is_refused():
    with pytest.raises(ValueError, match="not a rule id"):
        rule_order("Rule 7")


def test_flags_order_by_severity_then_rule_then_subject():
    flags = [
        Flag("R7", "B", "m", "advisory", None),
        Flag("R11", "B", "m", "warning", "NWL"),
        Flag("R8", "Brook AP", "m", "critical", None),
        Flag("R11", "A", "m", "warning", "NWL"),
        Flag("R9", "Z", "m", "warning", "NWL"),
    ]
    assert [(f.rule, f.subject) for f in sorted(flags, key=flag_order)] == [
        ("R8", "Brook AP"),
        ("R9", "Z"),
        ("R11", "A"),
        ("R11", "B"),
        ("R7", "B"),
    ]


def test_a_flag_reads_as_rule_subject_and_message():
    assert str(Flag("R7", "P-1", "4 days a week", "advisory", "NWL")) == "R7 P-1: 4 days a week"


def test_passed_checks_are_dropped():
    flag = Flag("R7", "P-1", "m", "advisory", None)
    assert raised(None, flag, None) == [flag]


@pytest.mark.parametrize(
    ("value", "grade"),
    [(14, None), (15, ("warning", "near")), (20, ("warning", "near")), (21, ("critical", "past"))],
)
def test_a_count_is_near_from_the_warning_level_and_past_over_the_limit(value, grade):
    assert graded(value, warning_from=15, limit=20) == grade


def test_dates_print_as_chairs_write_them():
    assert when(date(2025, 11, 5)) == "5 Nov 2025"
