"""Panel meetings, invitations, agendas and decisions (R13a, R16, R19)."""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from .base import Versioned
from .choices import (
    AGENDA_PURPOSES,
    DECISION_OUTCOMES,
    MEETING_KINDS,
    MEETING_STATUSES,
    one_of,
)


class Meeting(Versioned, table=True):
    """A panel or Inclusion Forum meeting of one partnership."""

    __table_args__ = (
        one_of("kind", MEETING_KINDS, "ck_meeting_kind"),
        one_of("status", MEETING_STATUSES, "ck_meeting_status"),
    )

    partnership_id: int = Field(foreign_key="partnership.id", index=True)
    kind: str = Field(default="panel", max_length=16)
    meeting_date: date = Field(index=True)
    status: str = Field(default="planned", max_length=10)
    #: Who signed the minutes off and when: from then on the meeting is closed and its
    #: decisions change only by amendment.
    signed_off_by: str | None = Field(default=None, max_length=120)
    signed_off_at: datetime | None = None


class MeetingInvitation(Versioned, table=True):
    """R13a: a school's invitation to a meeting (notified or not) and its attendance."""

    __table_args__ = (UniqueConstraint("meeting_id", "school_id", name="uq_invitation"),)

    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    notified_date: date | None = None
    attended: bool | None = None


class AgendaItem(Versioned, table=True):
    """One item the room decides, in agenda order."""

    __table_args__ = (one_of("purpose", AGENDA_PURPOSES, "ck_agenda_purpose"),)

    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    position: int
    purpose: str = Field(max_length=16)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    referral_id: int | None = Field(default=None, foreign_key="referral.id")
    fair_access_case_id: int | None = Field(default=None, foreign_key="fairaccesscase.id")
    placement_id: int | None = Field(default=None, foreign_key="placement.id")


class Decision(Versioned, table=True):
    """What the panel decided on an agenda item, why, who recorded it and when.

    Until the minutes are signed off an item has one decision row, edited in place (each edit
    audited). After sign-off it is never edited: a change is a new row that ``amends`` the one
    it replaces, so the minutes as signed stay readable. An item's current decision is its
    newest row (the highest id).
    """

    __table_args__ = (one_of("outcome", tuple(DECISION_OUTCOMES), "ck_decision_outcome"),)

    agenda_item_id: int = Field(foreign_key="agendaitem.id", index=True)
    amends_decision_id: int | None = Field(default=None, foreign_key="decision.id")
    outcome: str = Field(max_length=30)
    rationale: str = Field(max_length=2000)
    decided_by: str = Field(max_length=120)
    decided_at: datetime
    #: R13: the school allocated under Fair Access, or receiving a managed move (R16).
    school_id: int | None = Field(default=None, foreign_key="school.id")
    #: R13a: False when a school of the partnership was not notified of the meeting.
    enforceable: bool = Field(default=True)
    #: R16: a managed move needs all three.
    parents_agree: bool | None = None
    home_school_agrees: bool | None = None
    receiving_school_agrees: bool | None = None
    #: The placement an ``agree_ap_placement`` decision created (R7-R9).
    placement_id: int | None = Field(default=None, foreign_key="placement.id")
    #: R23: for a Fair Access allocation, the schools the dashboard suggested when the panel
    #: decided, best first ("1. Oakfield Academy; 2. …"): the panel decides, both are recorded.
    suggestion: str | None = Field(default=None, max_length=1000)


class Action(Versioned, table=True):
    """Something the meeting asked someone to do, by a day: listed in the minutes."""

    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    agenda_item_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    description: str = Field(max_length=500)
    owner: str = Field(max_length=120)
    due_date: date
    done_date: date | None = None
