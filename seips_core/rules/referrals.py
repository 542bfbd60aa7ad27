"""Checks on open referrals and the route they took (R15, R19)."""

from dataclasses import dataclass
from datetime import date

from .flag import Flag, raised

#: R19: each route as a sentence names it ("referred to the panel").
ROUTE_WORDS = {
    "inclusion_forum": "the Inclusion Forum",
    "panel": "the panel",
    "fair_access": "Fair Access",
    "managed_move": "a managed move",
    "ehcp_annual_review": "the EHCP annual review",
}


@dataclass(frozen=True)
class ReferralFacts:
    """A referral with the pupil's EHCP status and tier on the date (R6)."""

    case_ref: str
    partnership: str | None
    route: str
    received_date: date
    closed_date: date | None = None
    ehcp: bool = False
    tier: int | None = None

    def is_open(self, on: date) -> bool:
        return self.received_date <= on and (self.closed_date is None or self.closed_date > on)


def ehcp_outside_annual_review(referral: ReferralFacts, on: date) -> Flag | None:
    """R15: an EHCP pupil's case goes to an annual review, not to the normal panel."""
    if not referral.is_open(on) or not referral.ehcp or referral.route == "ehcp_annual_review":
        return None
    return Flag(
        "R15",
        referral.case_ref,
        f"EHCP pupil referred to {ROUTE_WORDS.get(referral.route, referral.route)}: "
        "an EHCP pupil's case goes to the EHCP annual review, not the normal panel",
        "warning",
        referral.partnership,
    )


def tier4_at_inclusion_forum(referral: ReferralFacts, on: date) -> Flag | None:
    """R19: the Inclusion Forum is for pupils below Tier 4; Tier 4 goes to the panel."""
    if not referral.is_open(on) or referral.route != "inclusion_forum" or referral.tier != 4:
        return None
    return Flag(
        "R19",
        referral.case_ref,
        "Tier 4 pupil referred to the Inclusion Forum: the Forum is for pupils below Tier 4; "
        "refer to the panel",
        "warning",
        referral.partnership,
    )


def referral_flags(referral: ReferralFacts, on: date) -> list[Flag]:
    """Every referral rule's flag for ``referral`` on ``on``."""
    return raised(ehcp_outside_annual_review(referral, on), tier4_at_inclusion_forum(referral, on))
