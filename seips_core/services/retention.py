"""Applying the retention schedule: anonymising the pupils whose whole file is due (issue 16).

Rows are anonymised, not deleted, so that every count the statistics, the termly report and
the Adjudicator's Fair Access report make stays as it was: tier periods, referrals, exclusions,
Fair Access cases and their clocks, placements and their AP days, decisions and charges keep
their dates, kinds, schools and amounts. What goes is what says who the child is or what was
written about them:

- the pupil's names (first name "Anonymised", last name empty: the wall's initials read "A");
- the date of birth, cut to 1 September of its school year: the cohort stays (statistics count
  by year group, which is stored), the day does not;
- free text: referral summaries, Fair Access refusal notes, decisions' rationales, actions'
  descriptions, R8 confirmations.

The audit trail held those values too. In the same transaction, every entry about a changed row
(the anonymising writes' own entries included) has them replaced by ``REMOVED`` in ``before``
and ``after``, and one redaction entry records each redacted entry's new digest, by which
``seips audit verify`` still finds the chain intact (``audit_chain``). The trail keeps who
changed which row when, and that the schedule removed the values.

All of it is one ``write_session``: every pupil due, or none.
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, bindparam, delete, insert, select, update
from sqlmodel import Session, SQLModel

from ..audit import append_entries
from ..audit_chain import content_digest, redaction_entry
from ..auth.roles import Actor, Capability, require
from ..db import write_session
from ..models import (
    Action,
    AgendaItem,
    AuditEntry,
    AuditRedaction,
    Decision,
    FairAccessCase,
    FairAccessRefusal,
    Placement,
    Pupil,
    Referral,
)
from ..retention import falling_due
from ..school_days import academic_year_start

ANONYMISED_FIRST_NAME, ANONYMISED_LAST_NAME = "Anonymised", ""
#: What replaces free text in the rows, and every personal value in the audit trail.
REMOVED = "(removed under the retention schedule)"
#: Per table, the columns that say who the pupil is or what was written about them.
PERSONAL = {
    Pupil: ("first_name", "last_name", "date_of_birth"),
    Referral: ("summary",),
    FairAccessRefusal: ("note",),
    Decision: ("rationale",),
    Action: ("description",),
    Placement: ("r8_confirmation",),
}
#: Entries redacted per statement: a county's due pupils can run to thousands.
BATCH = 500


@dataclass(frozen=True)
class Applied:
    """What one run anonymised: pupils, rows changed (each with its audit entry), entries
    of the trail redacted."""

    pupils: int
    rows: int
    redacted_entries: int


def school_year_start(born: date) -> date:
    """1 September of the school year ``born`` falls in: the cohort, not the day."""
    return date(academic_year_start(born), 9, 1)


def _texts_of(session: Session, pupil_ids: list[int]) -> list[SQLModel]:
    """The rows holding free text about the pupils, whatever they hold now."""
    items = select(AgendaItem.id).where(AgendaItem.pupil_id.in_(pupil_ids))
    cases = select(FairAccessCase.id).where(FairAccessCase.pupil_id.in_(pupil_ids))
    queries = (
        select(Referral).where(Referral.pupil_id.in_(pupil_ids)),
        select(FairAccessRefusal).where(FairAccessRefusal.case_id.in_(cases)),
        select(Decision).where(Decision.agenda_item_id.in_(items)),
        select(Action).where(Action.agenda_item_id.in_(items)),
        select(Placement).where(Placement.pupil_id.in_(pupil_ids)),
    )
    return [row for query in queries for row in session.scalars(query)]


def _anonymise(
    session: Session, pupil_ids: list[int], on: date
) -> tuple[dict[str, list[int]], int]:
    """Anonymise the pupils and their free text (ORM writes: each audited); returns, per
    table, the ids of every row whose trail entries may hold a personal value, and how many
    rows changed (one audit entry each)."""
    touched: dict[str, list[int]] = defaultdict(list)
    changed = 0
    for pupil in session.scalars(select(Pupil).where(Pupil.id.in_(pupil_ids))):
        pupil.first_name, pupil.last_name = ANONYMISED_FIRST_NAME, ANONYMISED_LAST_NAME
        pupil.date_of_birth = school_year_start(pupil.date_of_birth)
        pupil.anonymised_on = on
        touched[Pupil.__tablename__].append(pupil.id)
        changed += 1
    for row in _texts_of(session, pupil_ids):
        # An empty note stays empty, and a row without text stays unwritten.
        written = [column for column in PERSONAL[type(row)] if getattr(row, column)]
        for column in written:
            setattr(row, column, REMOVED)
        touched[row.__tablename__].append(row.id)
        changed += bool(written)
    session.flush()
    return touched, changed


def _redacted(values: str | None, columns: tuple[str, ...], kept: set) -> str | None:
    """``values`` (an entry's JSON) with every personal column's value replaced by
    ``REMOVED``, but the anonymised values the row now holds (``kept``)."""
    if values is None:
        return None
    row = json.loads(values)
    for column in columns:
        if row.get(column) not in kept:
            row[column] = REMOVED
    return json.dumps(row, sort_keys=True)


def _redact_trail(session: Session, touched: dict[str, list[int]], kept: set) -> dict[int, str]:
    """Redact the entries about the ``touched`` rows; returns each one's new content digest."""
    columns = {model.__tablename__: names for model, names in PERSONAL.items()}
    trail = AuditEntry.__table__
    store = (
        update(trail)
        .where(trail.c.id == bindparam("entry_id"))
        .values(before=bindparam("new_before"), after=bindparam("new_after"))
    )
    connection = session.connection()
    permit = AuditRedaction.__table__
    connection.execute(insert(permit).values(id=1))  # the triggers let before/after change
    digests: dict[int, str] = {}
    for table, row_ids in touched.items():
        for first in range(0, len(row_ids), BATCH):
            entries = connection.execute(
                select(trail).where(
                    trail.c.table_name == table, trail.c.row_id.in_(row_ids[first : first + BATCH])
                )
            ).mappings()
            changed = []
            for entry in entries:
                before = _redacted(entry["before"], columns[table], kept)
                after = _redacted(entry["after"], columns[table], kept)
                if (before, after) == (entry["before"], entry["after"]):
                    continue
                digests[entry["id"]] = content_digest({**entry, "before": before, "after": after})
                changed.append({"entry_id": entry["id"], "new_before": before, "new_after": after})
            if changed:
                connection.execute(store, changed)
    connection.execute(delete(permit))  # and refuse every change again, before the commit
    return digests


def apply_retention(engine: Engine, by: Actor, on: date) -> Applied:
    """Anonymise every pupil whose whole file is due by ``on`` (``retention.falling_due``),
    and redact them from the audit trail, in one transaction; a county admin's to do."""
    require(by, Capability.MANAGE_REFERENCE_DATA, doing="apply the retention schedule")
    with write_session(by.email, engine) as session:
        pupil_ids = sorted({due.pupil_id for due in falling_due(session, on)})
        if not pupil_ids:
            return Applied(0, 0, 0)
        touched, rows = _anonymise(session, pupil_ids, on)
        births = session.scalars(select(Pupil.date_of_birth).where(Pupil.id.in_(pupil_ids)))
        kept = {None, "", ANONYMISED_FIRST_NAME, ANONYMISED_LAST_NAME, REMOVED}
        kept |= {born.isoformat() for born in births}
        digests = _redact_trail(session, touched, kept)
        if digests:
            append_entries(
                session, [{"at": datetime.now(UTC), "actor": by.email, **redaction_entry(digests)}]
            )
        return Applied(len(pupil_ids), rows, len(digests))
