"""The charge arithmetic (R14, R15, R3, R4): pro rata on calendar days, one rate per financial
year, pupil premium, full cost recovery for non-members, SEND funding, missing rates."""

from datetime import date
from decimal import Decimal

import pytest

from seips_core.rules.charges import (
    APC,
    PERMANENT_EXCLUSION,
    PUPIL_PREMIUM,
    SPECIALIST_PLACEMENT,
    TIER_4,
    Programme,
    PupilFunding,
    RateBook,
    Span,
    Stretch,
    charge_financial_year,
    charge_programme,
    financial_year_label,
    merge_stretches,
    pro_rata,
    split_by_financial_year,
)

RATES = RateBook(
    {
        (APC, 2024): Decimal("5000.00"),
        (APC, 2025): Decimal("5432.10"),
        (PUPIL_PREMIUM, 2025): Decimal("985.00"),
        (SPECIALIST_PLACEMENT, 2025): Decimal("25500.00"),
    }
)
PLAIN = PupilFunding()
#: A day well after every period below: nothing is cut short by "counted to".
LATER = date(2030, 1, 1)


def only(charges):
    (charge,) = charges
    return charge


def test_r14_apc_pro_rata_on_calendar_days_with_the_working_shown():
    # 1 April to 13 May 2025: 43 days of the 365 in 2025/26.
    charge = only(
        charge_programme(
            Programme(date(2025, 4, 1), date(2025, 5, 14), (TIER_4,)),
            PLAIN,
            RATES,
            member=True,
            counted_to=LATER,
        )
    )
    assert (charge.days, charge.year_days) == (43, 365)
    assert charge.apc == Decimal("639.95")  # 5432.10 × 43 / 365 = 639.945… rounded half up
    assert charge.working == ("APC £5,432.10 × 43/365 days = £639.95",)
    assert charge.total == Decimal("639.95") and charge.complete
    assert not charge.runs_on


def test_r14_a_period_across_31_march_is_split_each_part_at_its_own_years_rate():
    # 1 March to 30 April 2025: 31 days of 2024/25 at £5,000, 30 days of 2025/26 at £5,432.10.
    programme = Programme(date(2025, 3, 1), date(2025, 5, 1), (TIER_4,))
    before, after = charge_programme(programme, PLAIN, RATES, member=True, counted_to=LATER)
    assert (before.financial_year_start, before.span) == (
        2024,
        Span(date(2025, 3, 1), date(2025, 4, 1)),
    )
    assert before.working == ("APC £5,000.00 × 31/365 days = £424.66",)
    assert before.runs_on  # it continues into 2025/26
    assert (after.financial_year_start, after.days) == (2025, 30)
    assert after.working == ("APC £5,432.10 × 30/365 days = £446.47",)
    assert not after.runs_on
    # Asked for one year, only that year's part is charged.
    assert charge_programme(
        programme, PLAIN, RATES, member=True, counted_to=LATER, financial_year=2025
    ) == (after,)


def test_a_period_entirely_outside_the_financial_year_is_not_charged_in_it():
    programme = Programme(date(2024, 5, 1), date(2025, 2, 1), (TIER_4,))
    assert (
        charge_programme(
            programme, PLAIN, RATES, member=True, counted_to=LATER, financial_year=2025
        )
        == ()
    )
    # A period that ends (exclusive) on 1 April has no day in the new year.
    ends_on_1_april = Programme(date(2025, 3, 1), date(2025, 4, 1), (TIER_4,))
    assert (
        charge_programme(
            ends_on_1_april, PLAIN, RATES, member=True, counted_to=LATER, financial_year=2025
        )
        == ()
    )


def test_a_running_programme_is_charged_up_to_the_day_counted_to():
    running = Programme(date(2025, 4, 1), None, (TIER_4,))
    charge = only(
        charge_programme(running, PLAIN, RATES, member=True, counted_to=date(2025, 4, 10))
    )
    assert charge.span == Span(date(2025, 4, 1), date(2025, 4, 11))
    assert charge.days == 10 and charge.runs_on
    # Started after the day counted to: nothing yet.
    assert charge_programme(running, PLAIN, RATES, member=True, counted_to=date(2025, 3, 31)) == ()


def test_a_leap_financial_year_has_366_days():
    assert split_by_financial_year(Span(date(2023, 4, 1), date(2024, 4, 1))) == (
        (2023, Span(date(2023, 4, 1), date(2024, 4, 1))),
    )
    rates = RateBook({(APC, 2023): Decimal("3660.00")})
    charge = charge_financial_year(
        2023, Span(date(2024, 2, 1), date(2024, 3, 1)), PLAIN, rates, member=True
    )
    assert (charge.days, charge.year_days, charge.apc) == (29, 366, Decimal("290.00"))
    assert financial_year_label(2023) == "2023/24"


@pytest.mark.parametrize(
    ("pupil_premium", "expected_pp", "expected_total"),
    [(True, Decimal("116.04"), Decimal("755.99")), (False, None, Decimal("639.95"))],
)
def test_r14_pupil_premium_pro_rata_only_for_a_pupil_premium_pupil(
    pupil_premium, expected_pp, expected_total
):
    span = Span(date(2025, 4, 1), date(2025, 5, 14))
    funding = PupilFunding(pupil_premium=pupil_premium)
    charge = charge_financial_year(2025, span, funding, RATES, member=True)
    assert charge.pupil_premium == expected_pp  # 985 × 43 / 365 = 116.04
    assert charge.total == expected_total
    has_line = "Pupil premium £985.00 × 43/365 days = £116.04" in charge.working
    assert has_line is pupil_premium


def test_r3_r14_a_non_member_pays_full_cost_recovery_a_member_does_not():
    span = Span(date(2025, 4, 1), date(2025, 5, 14))
    funding = PupilFunding(pupil_premium=True)
    member = charge_financial_year(2025, span, funding, RATES, member=True)
    non_member = charge_financial_year(2025, span, funding, RATES, member=False)
    assert member.full_cost_balance is None
    # Estimated full cost 25,500 × 43/365 = 3,004.11, less APC 639.95 and pupil premium 116.04.
    assert non_member.full_cost_balance == Decimal("2248.12")
    assert non_member.total == Decimal("3004.11")
    assert non_member.working[-1] == (
        "Full cost recovery (R3, R14), estimate: specialist placement rate £25,500.00 × 43/365 "
        "days = £3,004.11, less APC and pupil premium £755.99 = £2,248.12"
    )
    assert non_member.apc == member.apc and non_member.pupil_premium == member.pupil_premium


def test_r3_no_full_cost_figure_without_the_rate_it_is_estimated_from():
    rates = RateBook({(APC, 2025): Decimal("5432.10")})
    charge = charge_financial_year(
        2025, Span(date(2025, 4, 1), date(2025, 5, 14)), PLAIN, rates, member=False
    )
    assert charge.full_cost_balance is None and not charge.complete
    assert charge.missing == (
        "no specialist placement rate held for 2025/26: add it in reference data "
        "(the full-cost estimate for a non-member school, R3)",
    )
    assert charge.apc == Decimal("639.95")  # what can be worked out still is


def test_r14_a_missing_rate_is_said_never_charged_as_zero():
    span = Span(date(2026, 4, 1), date(2026, 5, 1))
    charge = charge_financial_year(2026, span, PupilFunding(pupil_premium=True), RATES, member=True)
    assert charge.apc is None and charge.pupil_premium is None
    assert not charge.complete
    assert charge.missing == (
        "no APC rate held for 2026/27: add it in reference data",
        "no pupil premium rate held for 2026/27: add it in reference data",
    )
    assert charge.working == charge.missing
    # Across 31 March: the year with a rate is priced, the year without says so.
    before, after = charge_programme(
        Programme(date(2026, 3, 1), date(2026, 5, 1), (TIER_4,)),
        PLAIN,
        RATES,
        member=True,
        counted_to=LATER,
    )
    assert before.complete and before.apc == pro_rata(Decimal("5432.10"), 31, 365)
    assert after.missing == ("no APC rate held for 2026/27: add it in reference data",)


def test_r15_top_up_follows_the_pupil_for_its_own_school_year_only():
    # Top-up £3,650 for 2025-26 (1 Sep 2025 to 31 Aug 2026: 365 days).
    funding = PupilFunding(top_up_amount=Decimal("3650.00"), top_up_year_start=2025)
    # 20 Aug to 9 Sep 2025: 21 days in the programme, 9 of them in 2025-26.
    charge = charge_financial_year(
        2025, Span(date(2025, 8, 20), date(2025, 9, 10)), funding, RATES, member=True
    )
    assert charge.top_up == Decimal("90.00")
    assert charge.working[-1] == (
        "Top-up (R15) £3,650.00 for school year 2025-26 × 9/365 days = £90.00, follows the "
        "pupil to the partnership"
    )
    assert charge.total == charge.apc + Decimal("90.00")
    # Days wholly in the school year before: no top-up, and the line says it does not roll over.
    earlier = charge_financial_year(
        2025, Span(date(2025, 5, 1), date(2025, 6, 1)), funding, RATES, member=True
    )
    assert earlier.top_up is None
    assert "does not roll over (R15)" in earlier.working[-1]


def test_r15_ehcp_sena_funding_is_noted_as_not_held_not_invented():
    charge = charge_financial_year(
        2025, Span(date(2025, 4, 1), date(2025, 5, 14)), PupilFunding(ehcp=True), RATES, member=True
    )
    assert charge.total == charge.apc == Decimal("639.95")
    assert charge.working[-1] == (
        "EHCP (R15): SENA funding follows the pupil to the partnership: amount not held in the "
        "store (check the SENA spreadsheets)"
    )
    assert charge.complete  # nothing the reference data could supply is missing


def test_r4_another_home_las_pupil_is_not_charged_by_the_partnership():
    funding = PupilFunding(pupil_premium=True, other_home_la="City of Exampleton")
    charge = charge_financial_year(
        2025, Span(date(2025, 4, 1), date(2025, 5, 14)), funding, RATES, member=False
    )
    assert charge.home_la == "City of Exampleton"
    assert (charge.apc, charge.pupil_premium, charge.full_cost_balance) == (None, None, None)
    assert charge.total == 0 and charge.complete
    assert charge.working[0].startswith("R4: home LA is City of Exampleton")


def test_an_exclusion_then_tier_4_is_one_programme_charged_once():
    programmes = merge_stretches(
        [
            Stretch(TIER_4, date(2025, 5, 20), date(2025, 9, 1)),
            Stretch(PERMANENT_EXCLUSION, date(2025, 5, 6), date(2025, 9, 1)),
            # After a gap: a new programme.
            Stretch(TIER_4, date(2025, 10, 1), None),
        ]
    )
    assert programmes == (
        Programme(date(2025, 5, 6), date(2025, 9, 1), (PERMANENT_EXCLUSION, TIER_4)),
        Programme(date(2025, 10, 1), None, (TIER_4,)),
    )
    assert programmes[0].reason == "Permanent exclusion and Tier 4"


def test_touching_periods_join_and_an_open_one_keeps_the_programme_open():
    programmes = merge_stretches(
        [
            Stretch(TIER_4, date(2025, 4, 1), date(2025, 6, 1)),
            Stretch(PERMANENT_EXCLUSION, date(2025, 6, 1), None),
            Stretch(TIER_4, date(2025, 7, 1), date(2025, 8, 1)),
        ]
    )
    assert programmes == (Programme(date(2025, 4, 1), None, (TIER_4, PERMANENT_EXCLUSION)),)
