"""Home for a chair or co-ordinator: their partnership's meeting at a glance, and what changed
since the last one.

The meeting is today's, else the next to come (as the meeting pages choose it): its items and
decisions, the member schools not notified (R13a), its quorum (``rules.quorum``: expected from
the schools told until attendance is ticked) and the partnership's overdue actions. "Since the
last meeting" counts what happened after the day of the partnership's latest meeting held
before today, up to today: new referrals, Fair Access cases referred and allocated, placements
started and ended, tier changes and exclusions, each of the partnership's schools (R2) or, for
Fair Access, cases referred to the partnership (R13).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlmodel import Session

from ..auth.roles import Actor
from ..models import Exclusion, FairAccessCase, Placement, Referral, TierChange
from ..rules.quorum import Quorum
from .actions import overdue_actions
from .meetings import MeetingRow, meeting_quorum, meetings_overview
from .scope import in_partnership, school_in_partnership


@dataclass(frozen=True)
class SinceLast:
    """What happened after ``since`` (the last meeting's day) up to the glance's day."""

    since: date
    referrals: int
    fair_access_referred: int
    fair_access_allocated: int
    placements_started: int
    placements_ended: int
    tier_changes: int
    exclusions: int


@dataclass(frozen=True)
class MeetingGlance:
    """The partnership's meeting of the day (or next), and what changed since the last."""

    #: Today's meeting, else the next; None when none is in the diary.
    meeting: MeetingRow | None
    is_today: bool
    quorum: Quorum | None
    #: The partnership's actions not done and due before today, of any meeting.
    overdue_actions: int
    #: None when the partnership has held no meeting before today.
    since_last: SinceLast | None


def meeting_glance(session: Session, viewer: Actor, partnership: str, *, on: date) -> MeetingGlance:
    """``partnership``'s meeting at a glance as on ``on`` (``NotAllowed`` outside the viewer's
    partnerships)."""
    overview = meetings_overview(session, viewer, partnership, on=on)
    meeting = (overview.today or overview.next or (None,))[0]
    last = overview.past[0].meeting_date if overview.past else None
    return MeetingGlance(
        meeting=meeting,
        is_today=meeting is not None and meeting.meeting_date == on,
        quorum=meeting_quorum(session, viewer, meeting.id) if meeting else None,
        overdue_actions=len(overdue_actions(session, viewer, partnership, on=on)),
        since_last=_since(session, partnership, last, on) if last else None,
    )


def _since(session: Session, partnership: str, last: date, on: date) -> SinceLast:
    """Each count in SQL, in one round trip."""

    def between(day: ColumnElement[date]) -> ColumnElement[bool]:
        return (day > last) & (day <= on)

    def count(column, *where: ColumnElement[bool]):
        return select(func.count(column)).where(*where).scalar_subquery()

    def of_schools(column, day):
        return count(column, between(day), school_in_partnership(column.class_.school_id,
                                                                  partnership))  # fmt: skip

    fair_access = in_partnership(FairAccessCase.partnership_id, partnership)
    row = session.execute(
        select(
            of_schools(Referral.id, Referral.received_date),
            count(FairAccessCase.id, fair_access, between(FairAccessCase.referred_date)),
            count(
                FairAccessCase.id,
                fair_access,
                FairAccessCase.allocated_school_id.is_not(None),
                between(FairAccessCase.decision_date),
            ),
            of_schools(Placement.id, Placement.start_date),
            of_schools(Placement.id, Placement.end_date),
            of_schools(TierChange.id, TierChange.from_date),
            of_schools(Exclusion.id, Exclusion.start_date),
        )
    ).one()
    return SinceLast(last, *row)
