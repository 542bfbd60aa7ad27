"""Whose data an id is: each id a service or query takes, checked against the actor's partnerships.

A page, the command line or a crafted request can hand a service any id. Checking only the
first one (the meeting) let a co-ordinator of one partnership put another partnership's pupil
on their own agenda and read the child's name and school through the item view. So every id
goes through ``in_scope`` (or ``item_in_scope`` for an agenda item, whose pupil is checked
too), which returns the row and the code of its partnership, or refuses it: ``InvalidValue``
when there is no such row, ``NotAllowed`` naming the field when it is another partnership's.
A county admin sees every partnership (``Actor.sees_all``). A wall link's screen
(``Actor.wall_meeting``) sees one meeting of its partnership: ``meeting_in_scope`` and
``item_in_scope`` refuse it any other meeting and any other meeting's item.

Whose each row is (R1), in one table (``_PARTNERSHIPS``):

- a school, meeting or Fair Access case: its own partnership (a Fair Access case is the
  partnership the child was referred to, R13);
- an agenda item, decision, action or invitation: its meeting's partnership;
- a referral or placement: the partnership of its school (the referring school, R19; the
  commissioning school, on whose roll the pupil stays, R17, R26, R27);
- a pupil: R2, ``pupil_partnerships``;
- a provider: nobody's. Providers are a county-wide register shared by every partnership (R8
  counts a provider's pupils across all of them), so any actor may name any provider; the id
  must still exist.

Queries that take a partnership code and no actor (``county_flags``, ``home_figures``,
``flag_list``…) are not checked here: the pages call them through ``dashboard.store``'s
``cached_query`` with the sidebar's partnership, and ``dashboard.state`` refuses a code the
user may not see (``require_partnership``) before any page runs. Checking again inside the
cache would need the actor in its key, and users could no longer share answers.
"""

from collections.abc import Callable, Iterable
from typing import Generic, NamedTuple, TypeVar

from sqlalchemy import Select, exists, or_, select, true
from sqlmodel import Session

from ..concurrency import locked
from ..errors import InvalidValue, NotAllowed, RuleViolation
from ..models import (
    Action,
    AgendaItem,
    Decision,
    Exclusion,
    FairAccessCase,
    Meeting,
    MeetingInvitation,
    Partnership,
    Placement,
    Provider,
    Pupil,
    Referral,
    School,
    TierChange,
)
from .roles import Actor, require_partnership

Row = TypeVar("Row")


class Scoped(NamedTuple, Generic[Row]):
    """A row the actor may see, and the code of its partnership (None: a provider, or a pupil
    no partnership is responsible for, which only a county admin sees)."""

    row: Row
    partnership: str | None


class ScopedItem(NamedTuple):
    """An agenda item the actor may see, with its meeting and the meeting's partnership."""

    item: AgendaItem
    meeting: Meeting
    partnership: str


def _codes(session: Session, query: Select) -> tuple[str, ...]:
    return tuple(session.scalars(query))


def _of_partnership(partnership_id: int) -> Select:
    return select(Partnership.code).where(Partnership.id == partnership_id)


def _of_meeting(meeting_id: int) -> Select:
    return (
        select(Partnership.code)
        .join(Meeting, Meeting.partnership_id == Partnership.id)
        .where(Meeting.id == meeting_id)
    )


def _of_school(school_id: int) -> Select:
    return (
        select(Partnership.code)
        .join(School, School.partnership_id == Partnership.id)
        .where(School.id == school_id)
    )


def _last_school(session: Session, pupil_id: int) -> int | None:
    """R2 for a pupil on no school's roll: the school that last excluded them permanently,
    else the school of their latest tier period (R6 keeps the responsible school on each
    period), else the school of their latest referral."""
    for column, day, where in (
        (Exclusion.school_id, Exclusion.start_date, Exclusion.kind == "permanent"),
        (TierChange.school_id, TierChange.from_date, true()),
        (Referral.school_id, Referral.received_date, true()),
    ):
        table = column.class_
        found = session.scalars(
            select(column)
            .where(table.pupil_id == pupil_id, where)
            .order_by(day.desc(), table.id.desc())
            .limit(1)
        ).first()
        if found is not None:
            return found
    return None


def pupil_partnerships(session: Session, pupil: Pupil) -> tuple[str, ...]:
    """The partnerships responsible for ``pupil``, the R2 one first.

    R2: the partnership of the school on roll; for a permanently excluded pupil, the excluding
    school's. ``Pupil.school_id`` holds that school (the import's ``school_urn``: "for a
    permanently excluded child, the excluding school"), and it stays on the record when the
    pupil is taken off roll (``services.pupils.take_off_roll``), so an off-roll pupil stays
    their last school's. A pupil with no school recorded falls back to ``_last_school``.
    Besides, R13: the co-ordinator of the partnership a Fair Access case was referred to is
    responsible for the child until they are on roll, so every open case's partnership is
    responsible too (an unplaced child has no school at all). None of these: no partnership,
    and only a county admin sees the pupil.
    """
    school_id = pupil.school_id or _last_school(session, pupil.id)
    codes = _codes(session, _of_school(school_id)) if school_id is not None else ()
    open_cases = _codes(
        session,
        select(Partnership.code)
        .join(FairAccessCase, FairAccessCase.partnership_id == Partnership.id)
        .where(FairAccessCase.pupil_id == pupil.id, FairAccessCase.on_roll_date.is_(None))
        .order_by(Partnership.code),
    )
    return tuple(dict.fromkeys((*codes, *open_cases)))


#: Per kind of row: how the field is named in messages, the word for one row, and whose the
#: row is (None: no partnership's, a provider). The module docstring says why.
_PARTNERSHIPS: dict[type, tuple[str, str, Callable[[Session, object], tuple[str, ...]] | None]] = {
    Pupil: ("Pupil", "pupil", pupil_partnerships),
    School: ("School", "school", lambda s, row: _codes(s, _of_partnership(row.partnership_id))),
    Meeting: ("Meeting", "meeting", lambda s, row: _codes(s, _of_partnership(row.partnership_id))),
    FairAccessCase: (
        "Fair Access case",
        "case",
        lambda s, row: _codes(s, _of_partnership(row.partnership_id)),
    ),
    AgendaItem: ("Agenda item", "item", lambda s, row: _codes(s, _of_meeting(row.meeting_id))),
    Action: ("Action", "action", lambda s, row: _codes(s, _of_meeting(row.meeting_id))),
    MeetingInvitation: (
        "Invitation",
        "invitation",
        lambda s, row: _codes(s, _of_meeting(row.meeting_id)),
    ),
    Decision: (
        "Decision",
        "decision",
        lambda s, row: _codes(
            s,
            _of_meeting(
                select(AgendaItem.meeting_id)
                .where(AgendaItem.id == row.agenda_item_id)
                .scalar_subquery()
            ),
        ),
    ),
    Referral: ("Referral", "referral", lambda s, row: _codes(s, _of_school(row.school_id))),
    Placement: ("Placement", "placement", lambda s, row: _codes(s, _of_school(row.school_id))),
    Provider: ("Provider", "provider", None),
}


def _visible(actor: Actor, codes: tuple[str, ...], field: str) -> str | None:
    """The first of ``codes`` the actor sees; ``NotAllowed`` naming ``field`` if none.

    The refusal names the row's (first) partnership, never the row itself: no pupil's name
    reaches a user of another partnership, not even in a refusal.
    """
    seen = next((code for code in codes if actor.can_see(code)), None)
    if seen is None and not actor.sees_all:
        require_partnership(actor, codes[0] if codes else None, field=field)  # refuses
    return seen


def in_scope(
    session: Session,
    actor: Actor,
    model: type[Row],
    row_id: int | None,
    *,
    field: str | None = None,
    lock: bool = False,
) -> Scoped[Row]:
    """Row ``row_id`` of ``model`` and its partnership's code, if ``actor`` may see it.

    ``field`` names the form field in messages (default: the kind's name, "Pupil");
    ``lock`` reads the row afresh ``FOR UPDATE`` (``concurrency.locked``) for a write that
    depends on it.
    """
    label, noun, partnerships = _PARTNERSHIPS[model]
    field = field or label
    if row_id is None:
        row = None
    else:
        row = locked(session, model, row_id) if lock else session.get(model, row_id)
    if row is None:
        raise InvalidValue(f"{field}: there is no {noun} {row_id}.")
    if partnerships is None:
        return Scoped(row, None)
    return Scoped(row, _visible(actor, partnerships(session, row), field))


def meeting_in_scope(
    session: Session, actor: Actor, meeting_id: int, *, lock: bool = False
) -> tuple[Meeting, str]:
    """The meeting and its partnership's code, refused outside the actor's partnerships (and,
    for a wall link's screen, outside its meeting); ``lock``: read afresh and locked for a write
    that depends on it."""
    _wall_sees(actor, meeting_id)
    return in_scope(session, actor, Meeting, meeting_id, lock=lock)


def _wall_sees(actor: Actor, meeting_id: int | None) -> None:
    """Refuse a wall link's screen any meeting but its own."""
    if actor.wall_meeting is not None and meeting_id != actor.wall_meeting:
        raise NotAllowed(f"Meeting: this screen shows meeting {actor.wall_meeting} only.")


def tied_to_meeting(session: Session, item: AgendaItem, meeting: Meeting) -> bool:
    """Is the item's case one of the meeting's partnership, by what the item points at?

    Its referral came from, or its placement was commissioned by, a school of the partnership;
    its Fair Access case was referred to the partnership (R13); or the pupil's tier history
    puts them at a school of the partnership on the meeting day (R2, R6). This keeps an old
    item readable by its own partnership after the pupil moved on (a managed move the panel
    agreed, R16), while a pupil of another partnership who was never the meeting's is not.
    """
    schools = select(School.id).where(School.partnership_id == meeting.partnership_id)
    day = meeting.meeting_date
    ties = (
        select(Referral.id).where(
            Referral.id == item.referral_id,
            Referral.pupil_id == item.pupil_id,
            Referral.school_id.in_(schools),
        ),
        select(FairAccessCase.id).where(
            FairAccessCase.id == item.fair_access_case_id,
            FairAccessCase.pupil_id == item.pupil_id,
            FairAccessCase.partnership_id == meeting.partnership_id,
        ),
        select(Placement.id).where(
            Placement.id == item.placement_id,
            Placement.pupil_id == item.pupil_id,
            Placement.school_id.in_(schools),
        ),
        select(TierChange.id).where(
            TierChange.pupil_id == item.pupil_id,
            TierChange.school_id.in_(schools),
            TierChange.from_date <= day,
            or_(TierChange.to_date.is_(None), TierChange.to_date > day),
        ),
    )
    return bool(session.scalar(select(or_(*(exists(tie) for tie in ties)))))


def item_in_scope(
    session: Session, actor: Actor, item_id: int, *, lock: bool = False
) -> ScopedItem:
    """Agenda item ``item_id`` with its meeting, if the actor may see both it and its pupil.

    The meeting must be the actor's (R1), and the pupil too (R2), unless the item ties the
    pupil to the meeting's partnership (``tied_to_meeting``): an item put on the meeting
    for another partnership's child tells nothing about that child.
    """
    item, code = in_scope(session, actor, AgendaItem, item_id, lock=lock)
    _wall_sees(actor, item.meeting_id)
    meeting = session.get(Meeting, item.meeting_id)
    codes = pupil_partnerships(session, session.get(Pupil, item.pupil_id))
    if not _pupil_readable(session, actor, item, meeting, codes):
        _visible(actor, codes, "Agenda item")
    return ScopedItem(item, meeting, code)


def _pupil_readable(
    session: Session, actor: Actor, item: AgendaItem, meeting: Meeting, codes: tuple[str, ...]
) -> bool:
    """May the actor, who sees the meeting, read about the item's pupil (``item_in_scope``)?"""
    return any(map(actor.can_see, codes)) or tied_to_meeting(session, item, meeting)


def hidden_items(session: Session, actor: Actor, meeting: Meeting) -> frozenset[int]:
    """The meeting's items whose pupil ``item_in_scope`` would refuse the actor.

    A list of the items (the agenda, the minutes) still shows them, as the meeting's record,
    but by case reference only: no name, no school. Only items whose pupil is on the roll of
    none of the actor's partnerships' schools are looked at one by one (normally none).
    """
    if actor.sees_all:
        return frozenset()
    theirs = (
        select(School.id)
        .join(Partnership, Partnership.id == School.partnership_id)
        .where(Partnership.code.in_(sorted(actor.partnerships)))
    )
    doubtful = session.execute(
        select(AgendaItem, Pupil)
        .join(Pupil, Pupil.id == AgendaItem.pupil_id)
        .where(
            AgendaItem.meeting_id == meeting.id,
            or_(Pupil.school_id.is_(None), Pupil.school_id.not_in(theirs)),
        )
    ).all()
    return frozenset(
        item.id
        for item, pupil in doubtful
        if not _pupil_readable(session, actor, item, meeting, pupil_partnerships(session, pupil))
    )


def require_on_meeting(
    session: Session, actor: Actor, item: AgendaItem, meeting: Meeting, code: str
) -> None:
    """A new item's pupil, on meeting ``meeting`` (partnership ``code``) of the actor's.

    R2, R19: a case goes to the meetings of the partnership responsible for the pupil, or of
    the partnership the item's referral, case or placement is of (``tied_to_meeting``; each
    of those already checked as the actor's). A pupil the actor may not see is refused as
    ``NotAllowed``, naming no one. Otherwise, for every actor, a county admin too, the case
    reference is named (``RuleViolation``): an item never carries a child whom the meeting's
    own users may not read (``item_in_scope``).
    """
    pupil = session.get(Pupil, item.pupil_id)
    codes = pupil_partnerships(session, pupil)
    if code in codes or tied_to_meeting(session, item, meeting):
        return
    _visible(actor, codes, "Pupil")
    raise RuleViolation(
        "R2",
        f"Pupil: {pupil.case_ref} is another partnership's (the school on roll decides), so "
        f"the case goes to that partnership's meetings, not {code}'s.",
    )


def partnerships_in_scope(session: Session, actor: Actor, codes: Iterable[str]) -> dict[str, int]:
    """Partnership code → id for ``codes`` (in any case), each one the actor may see.

    A code that names no partnership is ``InvalidValue``, listing the partnerships there are.
    """
    found = {
        code.upper(): (code, id_)
        for code, id_ in session.execute(select(Partnership.code, Partnership.id))
    }
    wanted = {code.strip().upper() for code in codes}
    unknown = sorted(wanted - found.keys())
    if unknown:
        raise InvalidValue(
            f"Partnerships: no partnership {', '.join(unknown)}; "
            f"the partnerships are {', '.join(sorted(found))}."
        )
    for key in sorted(wanted):
        require_partnership(actor, found[key][0], field="Partnerships")
    return dict(found[key] for key in wanted)
