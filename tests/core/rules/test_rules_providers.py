"""Provider rules at their boundaries (R8, R10)."""

from dataclasses import replace
from datetime import date

import pytest

from seips_core.rules.providers import (
    GUIDANCE_THRESHOLD,
    STATUTORY_THRESHOLD,
    ProviderFacts,
    dsl_training_due_before,
    provider_flags,
    safeguarding_training_lapsed,
    threshold_from_setting,
    unregistered_school_risk,
)

ON = date(2025, 11, 12)
TRAINED = ProviderFacts(
    name="Brook AP", staff_training_date=date(2025, 1, 10), dsl_training_date=date(2025, 1, 10)
)


def test_a_trained_provider_with_three_substantial_pupils_raises_nothing():
    assert provider_flags(replace(TRAINED, substantial_pupils=3), ON, GUIDANCE_THRESHOLD) == []


# --- R8 -------------------------------------------------------------------------------------


def test_four_substantial_pupils_reach_the_guidance_threshold_R8():
    flag = unregistered_school_risk(replace(TRAINED, substantial_pupils=4), GUIDANCE_THRESHOLD)
    assert (flag.rule, flag.severity, flag.subject, flag.partnership) == (
        "R8",
        "critical",
        "Brook AP",
        None,
    )
    assert flag.message.startswith("May be acting as an unregistered school")
    assert "4 pupils (limit: 4 or more, the partnerships' guidance" in flag.message
    assert "the statute says 5" in flag.message


def test_three_substantial_pupils_stay_under_the_guidance_threshold_R8():
    assert unregistered_school_risk(replace(TRAINED, substantial_pupils=3), 4) is None


def test_with_the_statutory_threshold_four_pupils_pass_and_five_do_not_R8():
    assert unregistered_school_risk(replace(TRAINED, substantial_pupils=4), 5) is None
    flag = unregistered_school_risk(replace(TRAINED, substantial_pupils=5), 5)
    assert "the statute, Education Act 1996 s.463" in flag.message


def test_one_looked_after_or_ehcp_pupil_is_enough_R8():
    provider = replace(TRAINED, substantial_pupils=1, substantial_lac_or_ehcp_pupils=1)
    flag = unregistered_school_risk(provider, GUIDANCE_THRESHOLD)
    assert "1 looked-after or EHCP pupil(s)" in flag.message


def test_a_registered_school_is_never_an_unregistered_school_risk_R8():
    provider = replace(
        TRAINED, is_registered_school=True, substantial_pupils=9, substantial_lac_or_ehcp_pupils=2
    )
    assert unregistered_school_risk(provider, GUIDANCE_THRESHOLD) is None


@pytest.mark.parametrize(
    ("setting", "threshold"),
    [(None, 4), ("5", 5), ("4", 4), ("6", 6), ("five", 4), ("0", 4), ("-1", 4)],
)
def test_the_threshold_setting_defaults_to_the_cautious_four_R8(setting, threshold):
    assert threshold_from_setting(setting) == threshold


def test_a_county_threshold_of_its_own_names_both_sources_R8():
    flag = unregistered_school_risk(replace(TRAINED, substantial_pupils=6), 6)
    assert f"guidance says {GUIDANCE_THRESHOLD}, the statute {STATUTORY_THRESHOLD}" in flag.message


# --- R10 ------------------------------------------------------------------------------------


def test_a_dsl_trained_two_years_and_a_day_ago_has_lapsed_R10():
    flag = safeguarding_training_lapsed(replace(TRAINED, dsl_training_date=date(2023, 11, 11)), ON)
    assert (flag.rule, flag.severity, flag.partnership) == ("R10", "warning", None)
    assert "DSL last trained 11 Nov 2023, more than 2 years ago" in flag.message


def test_a_dsl_trained_exactly_two_years_ago_is_in_date_R10():
    provider = replace(TRAINED, dsl_training_date=date(2023, 11, 12))
    assert safeguarding_training_lapsed(provider, ON) is None


def test_a_provider_with_no_staff_training_record_is_flagged_R10():
    flag = safeguarding_training_lapsed(replace(TRAINED, staff_training_date=None), ON)
    assert flag.message == "Safeguarding training not in date: no staff training record"


def test_a_provider_with_no_dsl_training_record_is_flagged_R10():
    flag = safeguarding_training_lapsed(replace(TRAINED, dsl_training_date=None), ON)
    assert "no DSL training record" in flag.message


def test_two_years_before_a_leap_day_is_the_28th_of_february_R10():
    assert dsl_training_due_before(date(2028, 2, 29)) == date(2026, 2, 28)
