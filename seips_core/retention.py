"""The retention schedule: how long each kind of record about a pupil is kept, and what is due.

Every period is an age: a kind of record is kept until the pupil's birthday at that age (the
IRMS Information Management Toolkit for Schools counts pupil files from the date of birth:
"DOB of the pupil + 25 years" for a secondary pupil's record and exclusions, "+ 31 years" for
SEN and EHCP files). The periods are ``Setting`` rows (``retention_age_<kind>``) that a county
admin changes like any other setting (``services.set_setting``, or the settings file of
``seips import``); unset, the documented default applies, and ``retention_problems`` (which
``seips doctor`` calls) says which to set. Sources of each default: ``docs/retention.md``.

A pupil's file is anonymised as a whole, once every kind of record the pupil has is due: the
latest of those birthdays. Anonymising a record part by part would leave, say, an exclusion
kept to 25 on a pupil whose name went at 18. Nothing here writes: ``services.retention`` does.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlmodel import Session

from .models import (
    AgendaItem,
    Exclusion,
    FairAccessCase,
    Placement,
    Pupil,
    Referral,
    Setting,
    TierChange,
)

#: The prefix of every retention setting's key; the kind's key follows.
SETTING_PREFIX = "retention_age_"
#: The youngest and oldest age a period may end at (a school-age pupil is 11 to 18).
YOUNGEST, OLDEST = 18, 100


@dataclass(frozen=True)
class RetentionKind:
    """One kind of record, the birthday it is kept until by default, and where that comes from."""

    key: str
    label: str
    default_age: int
    source: str

    @property
    def setting(self) -> str:
        """The ``Setting`` key that holds this kind's age."""
        return SETTING_PREFIX + self.key


_IRMS = "IRMS Information Management Toolkit for Schools (2019), "
#: The kinds of record about a pupil, in the order they are listed.
KINDS: tuple[RetentionKind, ...] = (
    RetentionKind(
        "pupil",
        "Pupil record: name, date of birth, tier history",
        25,
        _IRMS + "1.6 pupil's educational record, secondary: DOB of the pupil + 25 years",
    ),
    RetentionKind(
        "referrals",
        "Referrals and their summaries",
        25,
        _IRMS + "pupil's educational record (a referral for support belongs to it): DOB + 25",
    ),
    RetentionKind(
        "exclusions",
        "Suspensions and permanent exclusions",
        25,
        _IRMS + "exclusion records kept with the pupil record: DOB of the pupil + 25 years",
    ),
    RetentionKind(
        "fair_access",
        "Fair Access cases, categories and refusals",
        25,
        "IRMS toolkit for Local Authorities, in-year admissions and Fair Access files of a "
        "pupil: DOB + 25 (the retention commonly kept by councils for Fair Access files)",
    ),
    RetentionKind(
        "placements",
        "Alternative Provision and work-experience placements",
        25,
        _IRMS + "pupil's educational record (AP arranged by the school is part of it): DOB + 25",
    ),
    RetentionKind(
        "panel_decisions",
        "Panel minutes about the pupil: agenda items, decisions and their rationale, actions",
        25,
        _IRMS + "pupil's educational record: the decisions taken about a pupil are kept with "
        "it, DOB + 25 (the signed minutes of a governing body are kept permanently, but not "
        "their part about a named child)",
    ),
    RetentionKind(
        "ehcp",
        "Records of a pupil with an EHCP (SEND)",
        31,
        _IRMS + "1.8 SEN files, reviews and Education, Health and Care Plans: DOB + 31 years",
    ),
)
BY_KEY = {kind.key: kind for kind in KINDS}


def check_age(key: str, value: str) -> str:
    """The stored text of a retention age for setting ``key``, or ``ValueError`` saying why not."""
    text = value.strip()
    if not text.isdigit() or not YOUNGEST <= int(text) <= OLDEST:
        raise ValueError(
            f"{key}: give the pupil's age the records are kept until, a whole number of years "
            f"from {YOUNGEST} to {OLDEST} (the documented default is "
            f"{BY_KEY[key.removeprefix(SETTING_PREFIX)].default_age}), not '{value}'."
        )
    return str(int(text))


def _stored(session: Session) -> dict[str, str]:
    rows = session.execute(
        select(Setting.key, Setting.value).where(Setting.key.startswith(SETTING_PREFIX))
    )
    return dict(rows.all())


@dataclass(frozen=True)
class Period:
    """A kind's period in force: the age, and whether it was set or is the default."""

    kind: RetentionKind
    age: int
    is_set: bool


def periods(session: Session) -> list[Period]:
    """The periods in force, in ``KINDS`` order (an unset or unreadable one: its default)."""
    stored = _stored(session)
    found = []
    for kind in KINDS:
        value = stored.get(kind.setting)
        try:
            age = int(check_age(kind.setting, value)) if value is not None else None
        except ValueError:
            age = None
        found.append(Period(kind, kind.default_age if age is None else age, age is not None))
    return found


def retention_problems(session: Session) -> list[str]:
    """What to set before the retention schedule is the council's own: empty when every kind
    has a valid period set (``seips doctor`` prints these)."""
    stored = _stored(session)
    problems = []
    for kind in KINDS:
        value = stored.get(kind.setting)
        if value is None:
            problems.append(
                f"Retention: set {kind.setting} ({kind.label}); the documented default is the "
                f"pupil's {kind.default_age}th birthday ({kind.source}). Until then the "
                "default applies."
            )
            continue
        try:
            check_age(kind.setting, value)
        except ValueError as error:
            problems.append(f"Retention: {error}")
    return problems


def birthday(born: date, age: int) -> date:
    """The day a pupil born on ``born`` turns ``age`` (29 February: 1 March in other years)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return date(born.year + age, 3, 1)


@dataclass(frozen=True)
class DueRecords:
    """One kind of record of one pupil that falls due: how many rows, and the day."""

    kind: RetentionKind
    case_ref: str
    pupil_id: int
    rows: int
    due: date


def _kind_counts(session: Session, pupil_ids: list[int]) -> dict[int, dict[str, int]]:
    """For each pupil, the number of rows of each kind of record the pupil has."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    tables = {
        "pupil": TierChange.pupil_id,
        "referrals": Referral.pupil_id,
        "exclusions": Exclusion.pupil_id,
        "fair_access": FairAccessCase.pupil_id,
        "placements": Placement.pupil_id,
        "panel_decisions": AgendaItem.pupil_id,
    }
    for key, column in tables.items():
        for pupil_id in session.scalars(select(column).where(column.in_(pupil_ids))):
            counts[pupil_id][key] = counts[pupil_id].get(key, 0) + 1
    for pupil_id in pupil_ids:
        counts[pupil_id]["pupil"] = counts[pupil_id].get("pupil", 0) + 1
    ehcp = select(Referral.pupil_id).where(Referral.route == "ehcp_annual_review")
    for pupil_id in session.scalars(
        select(Pupil.id).where(Pupil.id.in_(pupil_ids), or_(Pupil.ehcp, Pupil.id.in_(ehcp)))
    ):
        counts[pupil_id]["ehcp"] = 1
    return counts


def falling_due(session: Session, on: date) -> list[DueRecords]:
    """The records of every pupil not yet anonymised whose whole file is due by ``on``: the
    latest birthday of the kinds of record they have has come. By case reference, then kind."""
    ages = {period.kind.key: period.age for period in periods(session)}
    # A pupil younger than the shortest period on ``on`` cannot be due: leave them unread.
    candidates = session.execute(
        select(Pupil.id, Pupil.case_ref, Pupil.date_of_birth)
        .where(
            Pupil.anonymised_on.is_(None),
            Pupil.date_of_birth <= birthday(on, -min(ages.values())),
        )
        .order_by(Pupil.case_ref)
    ).all()
    if not candidates:
        return []
    counts = _kind_counts(session, [pupil_id for pupil_id, _, _ in candidates])
    due = []
    for pupil_id, case_ref, born in candidates:
        kinds = counts[pupil_id]
        days = {key: birthday(born, ages[key]) for key in kinds}
        if max(days.values()) > on:
            continue
        due.extend(
            DueRecords(BY_KEY[key], case_ref, pupil_id, kinds[key], days[key])
            for key in BY_KEY
            if key in kinds
        )
    return due


def by_kind(due: list[DueRecords]) -> dict[RetentionKind, list[DueRecords]]:
    """``due`` grouped by kind, in ``KINDS`` order, each by case reference; no empty kind."""
    groups: dict[RetentionKind, list[DueRecords]] = {kind: [] for kind in KINDS}
    for records in due:
        groups[records.kind].append(records)
    return {
        kind: sorted(found, key=lambda r: r.case_ref) for kind, found in groups.items() if found
    }


def due_report(due: list[DueRecords]) -> list[str]:
    """What ``seips retention`` prints of ``due``: by kind, each pupil's case reference, how
    many rows and the day they fell due; never a name."""
    lines = []
    for kind, found in by_kind(due).items():
        lines.append(f"{kind.label}:")
        lines.extend(
            f"  {r.case_ref:<16} {r.rows:>4} row(s)  due {r.due.isoformat()}" for r in found
        )
    pupils = len({r.pupil_id for r in due})
    lines.append(f"{pupils} pupil(s) due, {sum(r.rows for r in due)} record(s).")
    return lines
