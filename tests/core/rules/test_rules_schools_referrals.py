"""School and referral rules (R3, R15 EHCP route, R19)."""

from dataclasses import replace
from datetime import date, timedelta

from seips_core.rules.referrals import (
    ReferralFacts,
    ehcp_outside_annual_review,
    referral_flags,
    tier4_at_inclusion_forum,
)
from seips_core.rules.schools import SchoolFacts, non_member_full_cost

ON = date(2025, 11, 12)
NON_MEMBER = SchoolFacts(name="Castle School", partnership="NWL", is_member=False)
TIER3_AT_FORUM = ReferralFacts(
    case_ref="P-1",
    partnership="NWL",
    route="inclusion_forum",
    received_date=date(2025, 10, 1),
    tier=3,
)


# --- R3 -------------------------------------------------------------------------------------


def test_a_non_member_with_a_tier_4_pupil_pays_full_cost_R3():
    flag = non_member_full_cost(replace(NON_MEMBER, tier4_pupils=1))
    assert (flag.rule, flag.severity, flag.subject, flag.partnership) == (
        "R3",
        "advisory",
        "Castle School",
        "NWL",
    )
    assert flag.message.startswith("Non-member school with 1 pupil(s) at Tier 4")
    assert "full cost recovery applies (R14)" in flag.message


def test_a_non_member_with_a_permanent_exclusion_this_year_pays_full_cost_R3():
    flag = non_member_full_cost(replace(NON_MEMBER, permanent_exclusions=2))
    assert "2 permanent exclusion(s) this academic year" in flag.message


def test_a_non_member_with_no_such_pupil_raises_nothing_R3():
    assert non_member_full_cost(NON_MEMBER) is None


def test_a_member_school_pays_the_member_rate_R3():
    member = replace(NON_MEMBER, is_member=True, tier4_pupils=3, permanent_exclusions=1)
    assert non_member_full_cost(member) is None


# --- R15 ------------------------------------------------------------------------------------


def test_an_ehcp_pupil_referred_to_the_panel_goes_to_annual_review_instead_R15():
    flag = ehcp_outside_annual_review(replace(TIER3_AT_FORUM, route="panel", ehcp=True), ON)
    assert (flag.rule, flag.severity) == ("R15", "warning")
    assert flag.message.startswith("EHCP pupil referred to the panel")


def test_an_ehcp_pupil_at_annual_review_is_on_the_right_route_R15():
    referral = replace(TIER3_AT_FORUM, route="ehcp_annual_review", ehcp=True)
    assert ehcp_outside_annual_review(referral, ON) is None


def test_a_closed_referral_of_an_ehcp_pupil_raises_nothing_R15():
    referral = replace(TIER3_AT_FORUM, route="panel", ehcp=True, closed_date=ON)
    assert ehcp_outside_annual_review(referral, ON) is None
    still_open = replace(referral, closed_date=ON + timedelta(days=1))
    assert ehcp_outside_annual_review(still_open, ON) is not None


# --- R19 ------------------------------------------------------------------------------------


def test_a_tier_4_pupil_at_the_inclusion_forum_belongs_at_the_panel_R19():
    flag = tier4_at_inclusion_forum(replace(TIER3_AT_FORUM, tier=4), ON)
    assert (flag.rule, flag.severity, flag.subject) == ("R19", "warning", "P-1")
    assert "refer to the panel" in flag.message


def test_a_tier_3_pupil_at_the_inclusion_forum_is_in_the_right_place_R19():
    assert referral_flags(TIER3_AT_FORUM, ON) == []


def test_a_tier_4_pupil_referred_to_the_panel_is_in_the_right_place_R19():
    assert tier4_at_inclusion_forum(replace(TIER3_AT_FORUM, tier=4, route="panel"), ON) is None


def test_a_referral_received_tomorrow_is_not_yet_open_R19():
    referral = replace(TIER3_AT_FORUM, tier=4, received_date=ON + timedelta(days=1))
    assert tier4_at_inclusion_forum(referral, ON) is None
