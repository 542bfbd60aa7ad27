"""The placements list: every current AP and work-experience placement of a partnership's schools,
with its weekly grid, its day counts and the flags ``county_flags`` raises on it (R7–R12,
R26–R28).

Two reads of placements: the placements themselves (with their pupil, school, provider and
whether the commissioning school holds the provider's safeguarding confirmation, R27), and every
current AP placement of the same pupils, wherever commissioned, for the days a week *in total*
at AP. The school days come from the stored term dates (``school_calendar``), the flags from
``county_flags``: nothing here decides a flag.

Days a week in total at AP is the **union** of the days of a pupil's current AP placements, not
the sum: Monday morning at one provider and Monday afternoon at another is one day out of school,
the reading R7 asks for (a half-day counts as a day, ``rules.sessions``). Work-experience
placements are not AP (R12) and do not add to it.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import ColumnElement, Row, and_, exists, select
from sqlmodel import Session

from ..auth.roles import Actor, require_partnership
from ..models import (
    Partnership,
    Placement,
    Provider,
    Pupil,
    SafeguardingConfirmation,
    School,
)
from ..models.choices import WEEKDAYS
from ..rules.flag import Flag
from ..rules.placements import PlacementFacts, placement_flags
from ..rules.sessions import days_a_week, days_with_sessions, is_substantial, substantial_reason
from .flags import county_flags, school_calendar
from .pupils import pupil_labels
from .scope import placement_current_on, school_in_partnership

__all__ = [
    "PLACEMENT_RULES",
    "PlacementRow",
    "ap_days_by_pupil",
    "confirmation_held",
    "placements_list",
    "session_grid",
]

#: The rules whose flags the placements list shows beside a placement (R8 by its provider).
PLACEMENT_RULES = frozenset({"R7", "R9", "R11", "R12", "R26", "R27", "R28"})
PROVIDER_RULE = "R8"

#: One weekday's half-days: (morning, afternoon).
HalfDays = tuple[bool, bool]


def session_grid(sessions: str) -> tuple[HalfDays, ...]:
    """The Mon–Fri × AM/PM grid of a ``sessions`` pattern: five (am, pm) pairs, Monday first."""
    attended = set(sessions.split())
    return tuple((f"{day}AM" in attended, f"{day}PM" in attended) for day in WEEKDAYS)


#: The fields of ``PlacementRow`` shown as the store holds them (read under these names).
_AS_STORED = (
    "pupil_id",
    "provider_id",
    "case_ref",
    "partnership",
    "school",
    "provider",
    "kind",
    "sessions",
    "hours_per_week",
    "start_date",
    "planned_end_date",
    "max_duration_weeks",
    "plan_agreed_date",
    "last_review_date",
    "next_review_date",
    "la_informed_date",
    "end_date",
)


@dataclass(frozen=True)
class PlacementRow:
    """One current placement as the placements page shows it on a day."""

    placement_id: int
    #: For the recording form's optimistic lock (the row's version when read).
    version: int
    #: Whom and where, for the recording form.
    pupil_id: int
    provider_id: int
    case_ref: str
    #: Initials, or the full name when asked for and the viewer may see names.
    label: str
    partnership: str
    #: The commissioning school (R27), on whose roll the pupil stays (R17, R26).
    school: str
    provider: str
    #: "ap" or "work_experience" (R12).
    kind: str
    sessions: str
    #: Mon–Fri, each (attends the morning, attends the afternoon).
    grid: tuple[HalfDays, ...]
    #: R7: days a week at this provider, a half-day counting as a day.
    days_at_provider: int
    #: Days a week at AP across all the pupil's current AP placements: the union of their days.
    total_ap_days: int
    hours_per_week: float
    start_date: date
    planned_end_date: date | None
    max_duration_weeks: int | None
    plan_agreed_date: date | None
    last_review_date: date | None
    next_review_date: date | None
    la_informed_date: date | None
    #: The recorded end (on or after the day asked, as the placement is current); None: open.
    end_date: date | None
    #: School days from the start up to the day asked (or the end): charges are pro-rated on it.
    school_days_so_far: int
    #: R7 (more than 3 days) or R8's hours guide (18 hours a week or more).
    substantial: bool
    #: Why it is substantial, in a chair's words; "" when it is not.
    substantial_reason: str
    #: The flags ``county_flags`` raises on this placement (R7, R9, R11, R12, R26–R28) and on
    #: its provider when at risk of being an unregistered school (R8).
    flags: tuple[Flag, ...]


def _current(on: date, partnership: str | None) -> ColumnElement[bool]:
    """Placements current on ``on`` commissioned by a school of ``partnership`` (None: all)."""
    return and_(placement_current_on(on), school_in_partnership(Placement.school_id, partnership))


def ap_days_by_pupil(
    session: Session, on: date, partnership: str | None
) -> dict[int, tuple[str, ...]]:
    """The weekdays each pupil spends at AP on ``on``'s pattern: the union over all their
    current AP placements, for every pupil with one commissioned by ``partnership``'s schools.

    A pupil's other current AP placements count wherever they were commissioned (a pupil who
    changed school may have one from each): the days are the child's, not the school's.
    """
    listed = select(Placement.pupil_id).where(Placement.kind == "ap", _current(on, partnership))
    rows = session.execute(
        select(Placement.pupil_id, Placement.sessions).where(
            Placement.kind == "ap",
            placement_current_on(on),
            Placement.pupil_id.in_(listed),
        )
    ).all()
    sessions: dict[int, list[str]] = defaultdict(list)
    for pupil_id, pattern in rows:
        sessions[pupil_id].append(pattern)
    return {
        pupil_id: days_with_sessions(" ".join(patterns)) for pupil_id, patterns in sessions.items()
    }


def _facts(row: Row) -> PlacementFacts:
    """The rules' facts of a placement read by ``_listed`` (its labels are the field names)."""
    values = {field.name: getattr(row, field.name) for field in fields(PlacementFacts)}
    return PlacementFacts(**values | {"safeguarding_confirmed": bool(row.safeguarding_confirmed)})


def _flags_by_placement(
    rows: Sequence[Row], on: date, flags: Iterable[Flag]
) -> dict[int, list[Flag]]:
    """Each placement's share of ``county_flags``' flags.

    A placement flag names the pupil (its case reference), not the placement. Most pupils have
    one current placement, which the flag is then on. For a pupil with several, the flag goes to
    the placement whose own rule check gives that very flag (same rule, same message naming its
    provider); one matching none (it should not happen) is shown on all the pupil's placements
    rather than lost. R8 goes to every placement at the provider it names.
    """
    by_pupil: dict[str, list[Row]] = defaultdict(list)
    by_provider: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_pupil[row.case_ref].append(row)
        by_provider[row.provider].append(row.id)
    expected: dict[int, list[Flag]] = {}

    def raises(row: Row, flag: Flag) -> bool:
        if row.id not in expected:
            expected[row.id] = placement_flags(_facts(row), on)
        return flag in expected[row.id]

    found: dict[int, list[Flag]] = defaultdict(list)
    for flag in flags:
        if flag.rule == PROVIDER_RULE:
            owners = by_provider.get(flag.subject, [])
        elif flag.rule in PLACEMENT_RULES and flag.subject in by_pupil:
            placements = by_pupil[flag.subject]
            owners = [row.id for row in placements]
            if len(owners) > 1:
                owners = [row.id for row in placements if raises(row, flag)] or owners
        else:
            continue
        for placement_id in owners:
            found[placement_id].append(flag)
    return found


def confirmation_held(on: date) -> ColumnElement[bool]:
    """R27: the placement's commissioning school held the provider's written confirmation of
    its staff checks on ``on`` (as ``county_flags`` reads it)."""
    return exists().where(
        SafeguardingConfirmation.school_id == Placement.school_id,
        SafeguardingConfirmation.provider_id == Placement.provider_id,
        SafeguardingConfirmation.received_date <= on,
    )


def _listed(session: Session, on: date, partnership: str | None) -> Sequence[Row]:
    """The current placements of ``partnership``'s schools, by school, pupil, start, provider.

    Each row holds the placement's id, version and pupil, then one column per field of
    ``PlacementFacts`` under the field's name: the placement's own columns by that name, the
    rest from the pupil, provider, school and partnership joined to it.
    """
    joined: dict[str, ColumnElement] = {
        "case_ref": Pupil.case_ref,
        "provider": Provider.name,
        "school": School.name,
        "partnership": Partnership.code,
        "provider_lebc_check_date": Provider.lebc_check_date,
        "safeguarding_confirmed": confirmation_held(on),
    }
    facts = [
        (joined[field.name] if field.name in joined else getattr(Placement, field.name)).label(
            field.name
        )
        for field in fields(PlacementFacts)
    ]
    stmt = (
        select(Placement.id, Placement.version, Placement.pupil_id, Placement.provider_id, *facts)
        .join(Pupil, Pupil.id == Placement.pupil_id)
        .join(Provider, Provider.id == Placement.provider_id)
        .join(School, School.id == Placement.school_id)
        .join(Partnership, Partnership.id == School.partnership_id)
        .where(_current(on, partnership))
        .order_by(School.name, Pupil.case_ref, Placement.start_date, Provider.name, Placement.id)
    )
    # Columns, not entities: the ORM's per-row handling would cost more than the read.
    return session.connection().execute(stmt).all()


def placements_list(
    session: Session,
    viewer: Actor,
    partnership: str | None,
    *,
    on: date,
    full_names: bool = False,
) -> tuple[PlacementRow, ...]:
    """Every AP and work-experience placement current on ``on`` (started by then, not ended
    before it) commissioned by a school of ``partnership`` (None: the county, for a viewer who
    sees all), by school, then pupil, then start.

    Names only when ``full_names`` is asked for and the viewer may see names; initials else.
    """
    require_partnership(viewer, partnership)
    rows = _listed(session, on, partnership)
    if not rows:
        return ()
    flags = _flags_by_placement(rows, on, county_flags(session, on, partnership))
    ap_days = ap_days_by_pupil(session, on, partnership)
    calendar = school_calendar(session)
    labels = pupil_labels(
        session, {row.case_ref for row in rows}, full_names=full_names and viewer.may("see_names")
    )
    listed = []
    for row in rows:
        days = days_a_week(row.sessions)
        listed.append(
            PlacementRow(
                placement_id=row.id,
                version=row.version,
                label=labels.get(row.case_ref, row.case_ref),
                grid=session_grid(row.sessions),
                days_at_provider=days,
                total_ap_days=len(ap_days.get(row.pupil_id, ())),
                school_days_so_far=calendar.school_days_in(
                    row.start_date, min(on, row.end_date or on)
                ),
                substantial=is_substantial(days, row.hours_per_week),
                substantial_reason=substantial_reason(days, row.hours_per_week),
                flags=tuple(flags.get(row.id, ())),
                **{name: getattr(row, name) for name in _AS_STORED},
            )
        )
    return tuple(listed)
