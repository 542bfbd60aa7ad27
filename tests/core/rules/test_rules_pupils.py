"""Pupil record rules (R4, R15 top-up, R17, R18)."""

from dataclasses import replace
from datetime import date, timedelta

from seips_core.rules.pupils import (
    PupilFacts,
    lac_without_placing_la,
    off_roll_without_reason,
    pupil_flags,
    tier4_from_other_la,
    top_up_not_rolled_over,
)

ON = date(2025, 11, 12)  # academic year 2025-26
COUNTY = "Shire County"
TIER4_HOME = PupilFacts(
    case_ref="P-1", partnership="NWL", home_la=COUNTY, tier=4, top_up_year_start=2025
)


def test_a_tier_4_pupil_of_the_county_with_this_years_top_up_raises_nothing():
    assert pupil_flags(TIER4_HOME, ON, COUNTY) == []


# --- R4 -------------------------------------------------------------------------------------


def test_a_tier_4_pupil_living_in_the_city_must_be_referred_to_the_city_R4():
    flag = tier4_from_other_la(replace(TIER4_HOME, home_la="City"), COUNTY)
    assert (flag.rule, flag.severity, flag.subject, flag.partnership) == (
        "R4",
        "warning",
        "P-1",
        "NWL",
    )
    assert flag.message.startswith("Tier 4 pupil from City not referred to their home LA")


def test_a_tier_3_pupil_from_the_city_is_considered_without_reference_to_address_R4():
    assert tier4_from_other_la(replace(TIER4_HOME, home_la="City", tier=3), COUNTY) is None


def test_a_referral_to_the_home_la_clears_the_flag_R4():
    pupil = replace(TIER4_HOME, home_la="City", referred_to_home_la=True)
    assert tier4_from_other_la(pupil, COUNTY) is None


# --- R15 ------------------------------------------------------------------------------------


def test_top_up_from_last_year_does_not_roll_over_R15():
    flag = top_up_not_rolled_over(replace(TIER4_HOME, top_up_year_start=2024), ON)
    assert (flag.rule, flag.severity) == ("R15", "warning")
    assert flag.message.startswith("Top-up funding is for 2024-25, not this year (2025-26)")


def test_top_up_for_this_year_is_current_R15():
    assert top_up_not_rolled_over(TIER4_HOME, ON) is None


def test_the_school_year_turns_on_the_first_of_september_R15():
    assert top_up_not_rolled_over(TIER4_HOME, date(2026, 8, 31)) is None
    assert top_up_not_rolled_over(TIER4_HOME, date(2026, 9, 1)) is not None


def test_old_top_up_below_tier_4_is_not_flagged_R15():
    assert top_up_not_rolled_over(replace(TIER4_HOME, tier=3, top_up_year_start=2023), ON) is None


# --- R17 ------------------------------------------------------------------------------------


def test_off_roll_without_a_reason_is_critical_R17():
    flag = off_roll_without_reason(replace(TIER4_HOME, off_roll_date=ON), ON)
    assert (flag.rule, flag.severity) == ("R17", "critical")
    assert "enrolled elsewhere or genuinely missing" in flag.message


def test_off_roll_when_enrolled_elsewhere_is_lawful_R17():
    pupil = replace(TIER4_HOME, off_roll_date=ON, off_roll_reason="enrolled_elsewhere")
    assert off_roll_without_reason(pupil, ON) is None


def test_off_roll_from_tomorrow_is_not_yet_flagged_R17():
    pupil = replace(TIER4_HOME, off_roll_date=ON + timedelta(days=1))
    assert off_roll_without_reason(pupil, ON) is None


# --- R18 ------------------------------------------------------------------------------------


def test_a_child_looked_after_by_another_la_without_that_la_is_flagged_R18():
    flag = lac_without_placing_la(replace(TIER4_HOME, lac_status="other_la"))
    assert (flag.rule, flag.severity) == ("R18", "warning")
    assert lac_without_placing_la(replace(TIER4_HOME, lac_status="other_la", lac_la="")) == flag


def test_the_placing_la_recorded_or_the_countys_own_child_passes_R18():
    assert lac_without_placing_la(replace(TIER4_HOME, lac_status="other_la", lac_la="City")) is None
    assert lac_without_placing_la(replace(TIER4_HOME, lac_status="own_la")) is None
