"""A partnership's panel and Inclusion Forum meetings, with who was invited and who came."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Row, Select, and_, case, func, select
from sqlmodel import Session

from ..auth.roles import Actor, require_partnership
from ..auth.scope import hidden_items, meeting_in_scope
from ..errors import InvalidValue
from ..models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingInvitation,
    Partnership,
    Provider,
    Pupil,
    School,
)
from ..models.choices import DECISION_OUTCOMES
from ..rules.agenda import PURPOSE_LABELS
from ..rules.meetings import MeetingFacts, meeting_label
from ..rules.quorum import Quorum, quorum
from .decisions import meeting_items
from .meeting_marker import meeting_marker
from .pupils import pupil_labels

__all__ = [
    "DECISION_OUTCOMES",
    "AgendaEntry",
    "InvitationRow",
    "MeetingDetail",
    "MeetingRow",
    "MeetingsOverview",
    "agenda",
    "facts_by_meeting",
    "invitations",
    "meeting_detail",
    "meeting_facts",
    "meeting_in_scope",
    "meeting_marker",
    "meeting_quorum",
    "meetings_facts",
    "meetings_of",
    "meetings_overview",
    "member_notifications",
]


@dataclass(frozen=True)
class MeetingRow:
    """One meeting as the list shows it, with the R13a gap before it starts."""

    id: int
    meeting_date: date
    kind: str
    status: str
    label: str
    items: int
    decided: int
    #: R13a: member schools with no notification by the meeting day.
    unnotified: tuple[str, ...]


@dataclass(frozen=True)
class InvitationRow:
    """A member school's invitation: when it was told, and whether it came (None: not ticked)."""

    school_id: int
    school: str
    notified_date: date | None
    attended: bool | None
    version: int | None


def meetings_of(session: Session, viewer: Actor, partnership: str) -> tuple[MeetingRow, ...]:
    """Every meeting of ``partnership``, newest first, with its items and decisions counted."""
    require_partnership(viewer, partnership)
    per_meeting = (
        select(
            AgendaItem.meeting_id,
            func.count(AgendaItem.id).label("n_items"),
            func.count(func.distinct(Decision.agenda_item_id)).label("n_decided"),
        )
        .outerjoin(Decision, Decision.agenda_item_id == AgendaItem.id)
        .group_by(AgendaItem.meeting_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Meeting.id,
            Meeting.meeting_date,
            Meeting.kind,
            Meeting.status,
            func.coalesce(per_meeting.c.n_items, 0),
            func.coalesce(per_meeting.c.n_decided, 0),
        )
        .join(Partnership, Partnership.id == Meeting.partnership_id)
        .outerjoin(per_meeting, per_meeting.c.meeting_id == Meeting.id)
        .where(Partnership.code == partnership)
        .order_by(Meeting.meeting_date.desc())
    ).all()
    gaps = _unnotified(session, partnership)
    return tuple(
        MeetingRow(
            id=id_,
            meeting_date=day,
            kind=kind,
            status=status,
            label=meeting_label(partnership, kind, day),
            items=n_items,
            decided=n_decided,
            unnotified=gaps.get(id_, ()),
        )
        for id_, day, kind, status, n_items, n_decided in rows
    )


@dataclass(frozen=True)
class MeetingsOverview:
    """A partnership's meetings split around a day: held (newest first), today's, coming
    (soonest first)."""

    past: tuple[MeetingRow, ...]
    today: tuple[MeetingRow, ...]
    next: tuple[MeetingRow, ...]


def meetings_overview(
    session: Session, viewer: Actor, partnership: str, *, on: date
) -> MeetingsOverview:
    """``meetings_of`` split into past, today and next as seen on ``on``."""
    rows = meetings_of(session, viewer, partnership)
    return MeetingsOverview(
        past=tuple(row for row in rows if row.meeting_date < on),
        today=tuple(row for row in rows if row.meeting_date == on),
        next=tuple(reversed([row for row in rows if row.meeting_date > on])),
    )


def invitations(
    session: Session, viewer: Actor, partnership: str, meeting_id: int
) -> tuple[InvitationRow, ...]:
    """Each member school of the partnership for one of its meetings, invited or not."""
    require_partnership(viewer, partnership)
    if meeting_in_scope(session, viewer, meeting_id)[1] != partnership:
        raise InvalidValue(f"Meeting: meeting {meeting_id} is not {partnership}'s.")
    rows = session.execute(
        _member_invitations(partnership)
        .where(Meeting.id == meeting_id)
        .add_columns(School.id, MeetingInvitation.attended, MeetingInvitation.version)
        .order_by(School.name)
    ).all()
    return tuple(
        InvitationRow(school_id, school, notified, attended, version)
        for _meeting, school, notified, school_id, attended, version in rows
    )


def meeting_quorum(session: Session, viewer: Actor, meeting_id: int) -> Quorum:
    """The meeting's quorum: the partnership's setting against its member schools told of the
    meeting (before it) and ticked present (during and after it), ``rules.quorum``."""
    meeting, code = meeting_in_scope(session, viewer, meeting_id)
    setting = session.scalar(select(Partnership.quorum_schools).where(Partnership.code == code))
    rows = invitations(session, viewer, code, meeting_id)
    return quorum(setting, meeting.meeting_date, [(r.notified_date, r.attended) for r in rows])


def _member_invitations(partnership: str):
    """(meeting, school, notified date) for every meeting × member school of ``partnership``."""
    return (
        select(Meeting.id, School.name, MeetingInvitation.notified_date)
        .join(Partnership, Partnership.id == Meeting.partnership_id)
        .join(School, and_(School.partnership_id == Partnership.id, School.is_member))
        .outerjoin(
            MeetingInvitation,
            and_(
                MeetingInvitation.meeting_id == Meeting.id,
                MeetingInvitation.school_id == School.id,
            ),
        )
        .where(Partnership.code == partnership)
    )


def _unnotified(session: Session, partnership: str) -> dict[int, tuple[str, ...]]:
    """R13a, per meeting: member schools not notified by the meeting day."""
    late = case(
        (MeetingInvitation.notified_date.is_(None), True),
        (MeetingInvitation.notified_date > Meeting.meeting_date, True),
        else_=False,
    )
    gaps: dict[int, list[str]] = {}
    for meeting_id, school, _notified in session.execute(
        _member_invitations(partnership).where(late).order_by(School.name)
    ):
        gaps.setdefault(meeting_id, []).append(school)
    return {meeting_id: tuple(schools) for meeting_id, schools in gaps.items()}


@dataclass(frozen=True)
class MeetingDetail:
    """One meeting with what its screens need around the agenda: who was invited, the R13a
    warning, and the schools and providers a decision may name."""

    id: int
    partnership: str
    label: str
    meeting_date: date
    kind: str
    status: str
    signed_off_by: str | None
    signed_off_at: datetime | None
    invitations: tuple[InvitationRow, ...]
    #: "R13a: 2 school(s) not notified: …", empty when every member school was notified.
    warnings: tuple[str, ...]
    #: (id, name) of the partnership's member schools, for an allocation or a managed move.
    schools: tuple[tuple[int, str], ...]
    #: (id, name) of every AP provider (shared across partnerships, R8).
    providers: tuple[tuple[int, str], ...]


def meeting_detail(session: Session, viewer: Actor, meeting_id: int) -> MeetingDetail:
    """Meeting ``meeting_id`` of one of the viewer's partnerships (``NotAllowed`` otherwise)."""
    meeting, code = meeting_in_scope(session, viewer, meeting_id)
    rows = invitations(session, viewer, code, meeting_id)
    missing = [row.school for row in rows if row.notified_date is None
               or row.notified_date > meeting.meeting_date]  # fmt: skip
    warnings = (
        (
            f"R13a: {len(missing)} school(s) not notified ({', '.join(missing)}): a Fair "
            "Access allocation here would be unenforceable",
        )
        if missing
        else ()
    )
    return MeetingDetail(
        id=meeting.id,
        partnership=code,
        label=meeting_label(code, meeting.kind, meeting.meeting_date),
        meeting_date=meeting.meeting_date,
        kind=meeting.kind,
        status=meeting.status,
        signed_off_by=meeting.signed_off_by,
        signed_off_at=meeting.signed_off_at,
        invitations=rows,
        warnings=warnings,
        schools=tuple((row.school_id, row.school) for row in rows),
        providers=tuple(
            session.execute(select(Provider.id, Provider.name).order_by(Provider.name))
        ),
    )


@dataclass(frozen=True)
class AgendaEntry:
    """One agenda line: who (case reference, initials or a name), why, and what was decided."""

    item_id: int
    position: int
    purpose: str
    purpose_label: str
    case_ref: str
    #: Initials, or the full name when asked for and the viewer may see names.
    label: str
    school: str | None
    #: The current decision's outcome label, None while undecided.
    decision: str | None
    decision_version: int | None
    enforceable: bool | None
    #: The item's own version, for removing it (optimistic locking).
    version: int


def agenda(
    session: Session, viewer: Actor, meeting_id: int, *, full_names: bool = False
) -> list[AgendaEntry]:
    """The meeting's items in order, each with its current decision, in one statement.

    An item about a child the viewer may not read (``auth.scope.hidden_items``) shows its
    case reference only."""
    meeting, _code = meeting_in_scope(session, viewer, meeting_id)
    hidden = hidden_items(session, viewer, meeting)
    rows = session.execute(
        meeting_items(
            meeting_id,
            AgendaItem.id,
            AgendaItem.position,
            AgendaItem.purpose,
            Pupil.case_ref,
            School.name,
            Decision.outcome,
            Decision.version,
            Decision.enforceable,
            AgendaItem.version,
        ).outerjoin(School, School.id == Pupil.school_id)
    ).all()
    labels = pupil_labels(
        session,
        [row[3] for row in rows if row[0] not in hidden],
        full_names=full_names and viewer.may("see_names"),
    )
    return [
        AgendaEntry(
            item_id=item_id,
            position=position,
            purpose=purpose,
            purpose_label=PURPOSE_LABELS[purpose],
            case_ref=case_ref,
            label=labels.get(case_ref, ""),
            school=None if item_id in hidden else school,
            decision=DECISION_OUTCOMES[outcome] if outcome else None,
            decision_version=decision_version,
            enforceable=enforceable,
            version=version,
        )
        for (item_id, position, purpose, case_ref, school, outcome, decision_version,
             enforceable, version) in rows
    ]  # fmt: skip


def meeting_facts(session: Session, meeting: Meeting) -> MeetingFacts:
    """R13a: each member school of the meeting's partnership with the day it was notified."""
    return meetings_facts(session, (meeting.id,))[meeting.id]


#: How many ids one ``IN (…)`` list holds: well inside every engine's limit on parameters.
CHUNK = 500


def meetings_facts(session: Session, meeting_ids: Iterable[int]) -> dict[int, MeetingFacts]:
    """``meeting_facts`` of many meetings, a few hundred to a read."""
    ids = sorted(set(meeting_ids))
    facts: dict[int, MeetingFacts] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = session.connection().execute(member_notifications(Meeting.id.in_(chunk)))
        facts |= facts_by_meeting(rows)
    return facts


def member_notifications(*where: ColumnElement[bool]) -> Select:
    """R13a: (meeting id, partnership code, kind, day, member school, notified date) for every
    member school of the partnership of each meeting ``where`` selects; the school and date are
    None for a partnership without member schools, the date None for a school not notified."""
    return (
        select(
            Meeting.id,
            Partnership.code,
            Meeting.kind,
            Meeting.meeting_date,
            School.name,
            MeetingInvitation.notified_date,
        )
        .join(Partnership, Partnership.id == Meeting.partnership_id)
        .outerjoin(School, and_(School.partnership_id == Meeting.partnership_id, School.is_member))
        .outerjoin(
            MeetingInvitation,
            and_(
                MeetingInvitation.meeting_id == Meeting.id,
                MeetingInvitation.school_id == School.id,
            ),
        )
        .where(*where)
    )


def facts_by_meeting(rows: Iterable[Row]) -> dict[int, MeetingFacts]:
    """The rows of ``member_notifications`` as one ``MeetingFacts`` per meeting."""
    meetings: dict[int, tuple[str, str, date]] = {}
    notified: dict[int, list[tuple[str, date | None]]] = defaultdict(list)
    for meeting_id, code, kind, meeting_date, school, notified_date in rows:
        meetings[meeting_id] = (code, kind, meeting_date)
        if school is not None:
            notified[meeting_id].append((school, notified_date))
    return {
        meeting_id: MeetingFacts(
            label=meeting_label(code, kind, meeting_date),
            partnership=code,
            meeting_date=meeting_date,
            notifications=tuple(notified[meeting_id]),
        )
        for meeting_id, (code, kind, meeting_date) in meetings.items()
    }
