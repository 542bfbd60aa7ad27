"""Checks on a pupil's record: home LA, top-up, roll, looked-after status (R4, R15, R17, R18)."""

from dataclasses import dataclass
from datetime import date

from seips_core.school_days import academic_year_label, academic_year_start

from .flag import Flag, raised


@dataclass(frozen=True)
class PupilFacts:
    """A pupil's record and tier on the date the flags are evaluated (R6: from the history)."""

    case_ref: str
    partnership: str | None
    home_la: str = ""
    tier: int | None = None
    #: R4: a panel decision "refer_home_la" has been recorded for the pupil.
    referred_to_home_la: bool = False
    top_up_year_start: int | None = None
    lac_status: str = "none"
    lac_la: str | None = None
    off_roll_date: date | None = None
    off_roll_reason: str | None = None


def tier4_from_other_la(pupil: PupilFacts, county_la: str) -> Flag | None:
    """R4: at Tier 4 a pupil living in another LA is referred to that LA, which takes the cost."""
    if pupil.tier != 4 or pupil.home_la == county_la or pupil.referred_to_home_la:
        return None
    return Flag(
        "R4",
        pupil.case_ref,
        f"Tier 4 pupil from {pupil.home_la} not referred to their home LA: at Tier 4 the "
        "school and partnership must refer to the home LA",
        "warning",
        pupil.partnership,
    )


def top_up_not_rolled_over(pupil: PupilFacts, on: date) -> Flag | None:
    """R15: top-up funding lasts the school year it starts in and does not roll over."""
    this_year = academic_year_start(on)
    funded = pupil.top_up_year_start
    if pupil.tier != 4 or funded is None or funded >= this_year:
        return None
    return Flag(
        "R15",
        pupil.case_ref,
        f"Top-up funding is for {academic_year_label(funded)}, not this year "
        f"({academic_year_label(this_year)}): top-up lasts one school year and does not roll over",
        "warning",
        pupil.partnership,
    )


def off_roll_without_reason(pupil: PupilFacts, on: date) -> Flag | None:
    """R17: a pupil leaves the roll only when enrolled elsewhere or genuinely missing."""
    if pupil.off_roll_date is None or pupil.off_roll_date > on or pupil.off_roll_reason:
        return None
    return Flag(
        "R17",
        pupil.case_ref,
        "Taken off roll without a lawful reason: a pupil may leave the roll only when "
        "enrolled elsewhere or genuinely missing",
        "critical",
        pupil.partnership,
    )


def lac_without_placing_la(pupil: PupilFacts) -> Flag | None:
    """R18: a looked-after child placed from another LA needs that LA recorded."""
    if pupil.lac_status != "other_la" or pupil.lac_la:
        return None
    return Flag(
        "R18",
        pupil.case_ref,
        "Looked-after child from another LA with no placing LA recorded: that LA's social "
        "worker and Virtual School Head must be known",
        "warning",
        pupil.partnership,
    )


def pupil_flags(pupil: PupilFacts, on: date, county_la: str) -> list[Flag]:
    """Every pupil rule's flag for ``pupil`` on ``on``."""
    return raised(
        tier4_from_other_la(pupil, county_la),
        top_up_not_rolled_over(pupil, on),
        off_roll_without_reason(pupil, on),
        lac_without_placing_la(pupil),
    )
