"""What may go on a panel agenda, and what the room must know before it does (R4, R15).

Pure functions over plain facts: the agenda suggestions query reads the facts, these decide
the route and the marks, so the rule text lives in one place.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from .flag import when
from .referrals import ROUTE_WORDS

PURPOSE_LABELS = {
    "referral": "Referral",
    "fair_access": "Fair Access",
    "ap_review": "AP review",
    "tier4_review": "Tier 4 review",
}
#: R15: where an EHCP pupil's case goes instead of the panel.
EHCP_ROUTE = "ehcp_annual_review"
EHCP_REASON = "R15: an EHCP pupil's case goes to the annual review, not the panel"
HOME_LA_MARK = "R4: refer to the home LA"
#: A Tier 4 pupil comes back to the panel when its last decision is older than this: the
#: half-termly reading R26 uses for AP reviews (no rule sets a Tier 4 review period).
TIER4_REVIEW_DAYS = 49
#: With no next meeting planned, reviews due within this many days are suggested.
DEFAULT_HORIZON_DAYS = 28


@dataclass(frozen=True)
class CandidateFacts:
    """A case that could go on the agenda: the pupil facts R4 and R15 read."""

    purpose: str
    ehcp: bool
    home_la: str
    #: At Tier 4 now, or referred to the panel, where Tier 4 is decided (R4 asks either way).
    at_or_going_to_tier4: bool


def routed_to(candidate: CandidateFacts) -> str | None:
    """R15: an EHCP pupil's case goes to the annual review; None when the panel may take it."""
    return EHCP_ROUTE if candidate.ehcp else None


def marks(candidate: CandidateFacts, county_la: str) -> tuple[str, ...]:
    """R4: a pupil living outside the county at or going to Tier 4 is referred to the home LA."""
    if candidate.home_la != county_la and candidate.at_or_going_to_tier4:
        return (HOME_LA_MARK,)
    return ()


def review_horizon(meeting_date: date, next_meeting: date | None) -> date:
    """Reviews due before the next meeting are taken at this one (default: four weeks on)."""
    return next_meeting or meeting_date + timedelta(days=DEFAULT_HORIZON_DAYS)


def tier4_review_due(last_decided: date | None, meeting_date: date) -> bool:
    """A Tier 4 pupil never decided at a panel, or not within ``TIER4_REVIEW_DAYS``."""
    return last_decided is None or (meeting_date - last_decided).days > TIER4_REVIEW_DAYS


def referral_reason(route: str, school: str, received: date) -> str:
    """Why a referral is on the agenda: "Referral to the panel by Oakfield Academy, received
    5 Nov 2026" (R19: the route it took)."""
    return f"Referral to {ROUTE_WORDS.get(route, route)} by {school}, received {when(received)}"


def fair_access_reason(referred: date) -> str:
    """Why a Fair Access case is on the agenda (R13: the panel allocates a school)."""
    return f"Fair Access case referred {when(referred)}, no school allocated yet"


def ap_review_reason(provider: str, due: date | None) -> str:
    """Why an AP placement is on the agenda: its review (R11, R26)."""
    return f"AP review at {provider} due {when(due) if due else '(no date set)'} (R11, R26)"


def tier4_review_reason(since: date | None, last_decided: date | None) -> str:
    """Why a Tier 4 pupil is on the agenda: the last panel decision is ``TIER4_REVIEW_DAYS``
    old (or there is none), so a review is due."""
    at_tier4 = f"At Tier 4 since {when(since)}" if since else "At Tier 4"
    if last_decided is None:
        return f"{at_tier4}; never decided at a panel"
    due = last_decided + timedelta(days=TIER4_REVIEW_DAYS)
    return f"{at_tier4}; last decided at a panel {when(last_decided)}, review due {when(due)}"


#: The columns naming the case an agenda item is about; an item with none of them (a Tier 4
#: review) is about its pupil and purpose. ``models.meetings.AgendaItem`` holds each case once
#: per meeting (a unique index per column), and so do the services, the import and the sample.
CASE_COLUMNS = ("referral_id", "fair_access_case_id", "placement_id")


def agenda_case_keys(
    purpose: str,
    pupil_id: object,
    referral_id: object = None,
    fair_access_case_id: object = None,
    placement_id: object = None,
) -> frozenset[tuple]:
    """What makes two items of one meeting the same case: the referral, Fair Access case or
    placement each is about, or, for an item about none (a Tier 4 review), its pupil and
    purpose. A pupil may have two AP placements reviewed at one meeting, not two Tier 4
    reviews."""
    given = zip(CASE_COLUMNS, (referral_id, fair_access_case_id, placement_id), strict=True)
    keys = frozenset((column, value) for column, value in given if value is not None)
    return keys or frozenset({("pupil_purpose", pupil_id, purpose)})
