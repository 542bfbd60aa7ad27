"""Panel meetings, invitations, agendas and decisions (R13a, R16, R19)."""

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint, event, inspect, text
from sqlalchemy.orm import declared_attr
from sqlmodel import Field

from ..rules.agenda import CASE_COLUMNS
from .base import Versioned
from .choices import (
    AGENDA_PURPOSES,
    DECISION_OUTCOMES,
    MEETING_KINDS,
    MEETING_STATUSES,
    WALL_PANELS,
    one_of,
)

#: An agenda item about no referral, Fair Access case or placement (``rules.agenda``).
_NO_CASE = " AND ".join(f"{column} IS NULL" for column in CASE_COLUMNS)
#: A decision that amends none: an item's first, standing until sign-off.
_STANDING = "amends_decision_id IS NULL"


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
    """One item the room decides, in agenda order.

    A case is on a meeting's agenda once (``rules.agenda.agenda_case_keys``): the database
    refuses a second item about the same referral, Fair Access case or placement, or a second
    item of the same purpose about a pupil with none of those (a Tier 4 review), so two
    screens adding the same case at once cannot both succeed.
    """

    __table_args__ = (
        one_of("purpose", AGENDA_PURPOSES, "ck_agenda_purpose"),
        Index("uq_agenda_referral", "meeting_id", "referral_id", unique=True),
        Index("uq_agenda_fair_access_case", "meeting_id", "fair_access_case_id", unique=True),
        Index("uq_agenda_placement", "meeting_id", "placement_id", unique=True),
        Index(
            "uq_agenda_pupil_purpose",
            "meeting_id",
            "pupil_id",
            "purpose",
            unique=True,
            sqlite_where=text(_NO_CASE),
            postgresql_where=text(_NO_CASE),
        ),
    )

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

    The database keeps that shape whatever the writers do: one decision per item that amends
    nothing (``uq_decision_standing``, partial), and a decision amended at most once
    (``uq_decision_amends``), so an item's decisions form one chain, oldest to newest.

    ``version`` counts the item's decision, not the row: an amendment starts at the version of
    the decision it amends plus one (``next_decision_version``), so a chair who opened the
    decision before another chair amended it holds a version that no longer matches and is
    refused, as an edit before sign-off would be.
    """

    __table_args__ = (
        one_of("outcome", tuple(DECISION_OUTCOMES), "ck_decision_outcome"),
        Index(
            "uq_decision_standing",
            "agenda_item_id",
            unique=True,
            sqlite_where=text(_STANDING),
            postgresql_where=text(_STANDING),
        ),
        Index("uq_decision_amends", "amends_decision_id", unique=True),
    )

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

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        # The version is set here, not by SQLAlchemy (which starts every new row at 1): see
        # the class docstring and ``_next_version``. It still guards every UPDATE and DELETE.
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}


def next_decision_version(amended: "Decision | None") -> int:
    """The version a new decision row starts at: one more than the decision it amends."""
    return 1 if amended is None else amended.version + 1


@event.listens_for(Decision, "before_update")
def _next_version(_mapper, _connection, target: Decision) -> None:
    """An edited decision's version goes up by one, as SQLAlchemy's own counter would."""
    state = inspect(target)
    if state.session is not None and state.session.is_modified(target):
        target.version = state.attrs.version.loaded_value + 1


class Action(Versioned, table=True):
    """Something the meeting asked someone to do, by a day: listed in the minutes."""

    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    agenda_item_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    description: str = Field(max_length=500)
    owner: str = Field(max_length=120)
    due_date: date
    done_date: date | None = None


class Presentation(Versioned, table=True):
    """What every wall of a meeting shows now: the item a presenter put up, and which panel.

    One row per meeting (unique), moved by whoever presents last: two presenters never lock
    each other out, and both read who moved it (``presented_by``, ``presented_at``). The walls
    follow it through the meeting's change marker. ``agenda_item_id`` is None when the item
    shown was taken off the agenda.
    """

    __table_args__ = (
        UniqueConstraint("meeting_id", name="uq_presentation_meeting"),
        one_of("panel", WALL_PANELS, "ck_presentation_panel"),
    )

    meeting_id: int = Field(foreign_key="meeting.id")
    agenda_item_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    panel: str = Field(default="item", max_length=10)
    presented_by: str = Field(max_length=120)
    presented_at: datetime
