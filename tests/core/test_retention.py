"""The retention schedule (issue 16): periods as settings, what falls due, and anonymising it.

On the sample county with a day far in the future, every pupil's file is due: after
``apply_retention`` the statistics, the termly report and the Adjudicator's Fair Access report
give the same figures as before, no name, date of birth or free text of the pupils is left in
any text column of any table (the audit trail included: plain SQL), the trail still verifies,
and every changed row has its audit entry.
"""

import dataclasses
from datetime import date

import pytest
from sqlalchemy import Engine, String, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from seips_core.audit_chain import REDACTION, verify_trail
from seips_core.auth.roles import Actor, Role
from seips_core.db import read_session, write_session
from seips_core.errors import InvalidValue, NotAllowed
from seips_core.models import (
    Action,
    AgendaItem,
    AuditEntry,
    Decision,
    FairAccessCase,
    FairAccessRefusal,
    Pupil,
    Referral,
    Setting,
)
from seips_core.queries.charges import charges
from seips_core.queries.fair_access_cases import fair_access_cases
from seips_core.queries.home import home_figures
from seips_core.queries.placements import ap_days_by_pupil
from seips_core.queries.tiers import tier_counts
from seips_core.queries.trends import exclusions_by_term, tier_trend
from seips_core.reports.fair_access_annual import fair_access_annual
from seips_core.reports.termly import termly_report
from seips_core.retention import KINDS, falling_due, periods, retention_problems
from seips_core.sample_county import generate_sample
from seips_core.services import set_setting
from seips_core.services.retention import REMOVED, apply_retention

TODAY = date(2026, 3, 4)
#: Every sample pupil is past 31 (the EHCP period) by then.
FAR_FUTURE = date(2090, 1, 1)
ADMIN = Actor("admin@shire.example", "County Admin", Role.COUNTY_ADMIN)
#: Names no sample pupil has, planted on a few pupils (and in text about them) before retention.
PLANTED = ("Zebedeeq", "Quillfeatherx")
#: What a page shows beside the counts: initials, which anonymising changes to "A".
_LABELS = {"label", "initials"}


def _figures(value: object) -> object:
    """A query's answer as plain data, without the pupils' initials (anonymising changes them)."""
    if dataclasses.is_dataclass(value):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _figures(v) for k, v in value.items() if k not in _LABELS}
    if isinstance(value, list | tuple):
        return [_figures(v) for v in value]
    return value


def statistics(engine: Engine) -> dict[str, object]:
    """Every figure the statistics pages and the reports rest on, for the county and NW."""
    with read_session(engine) as session:
        spring = session.scalar(
            text(
                "SELECT MIN(start_date) FROM termdate WHERE name LIKE 'Spring%'"
                " AND academic_year_start = 2025"
            )
        )
        spring = date.fromisoformat(spring) if isinstance(spring, str) else spring
        return _figures(
            {
                "tiers": tier_counts(session, ADMIN, None, on=TODAY),
                "trend": tier_trend(session, ADMIN, None, end=TODAY),
                "exclusions": exclusions_by_term(session, ADMIN, None, academic_year=2025),
                "charges": charges(session, ADMIN, None, financial_year_start=2025, as_of=TODAY),
                "fair_access": fair_access_cases(session, ADMIN, None, on=TODAY),
                "adjudicator": fair_access_annual(session, ADMIN, 2025),
                "termly": termly_report(session, ADMIN, "NW", term_start=spring, today=TODAY),
                "home": home_figures(session, TODAY),
                "ap_days": ap_days_by_pupil(session, TODAY, None),
            }
        )


def _plant(engine: Engine) -> list[tuple[int, date]]:
    """Give three pupils with a decision, a referral and a Fair Access refusal the ``PLANTED``
    names and write them into text about them, through audited writes (the trail holds them
    then); returns the pupils' ids and dates of birth."""
    with write_session("coordinator@shire.example", engine) as session:
        with_refusal = select(FairAccessCase.pupil_id).join(
            FairAccessRefusal, FairAccessRefusal.case_id == FairAccessCase.id
        )
        ids = (
            session.scalars(
                select(AgendaItem.pupil_id)
                .join(Decision, Decision.agenda_item_id == AgendaItem.id)
                .join(Referral, Referral.pupil_id == AgendaItem.pupil_id)
                .join(Pupil, Pupil.id == AgendaItem.pupil_id)
                .where(func.extract("month", Pupil.date_of_birth) != 9)
                .distinct()
                .order_by(AgendaItem.pupil_id)
                .limit(2)
            ).all()
            + session.scalars(with_refusal.limit(1)).all()
        )
        planted = []
        for n, pupil in enumerate(session.scalars(select(Pupil).where(Pupil.id.in_(ids)))):
            first, last = (f"{name}{n}" for name in PLANTED)
            pupil.first_name, pupil.last_name = first, last
            said = f"{first} {last} was seen on {pupil.date_of_birth.isoformat()}."
            for _model, column, rows in _texts(session, pupil.id):
                for row in rows:
                    setattr(row, column, said)
            planted.append((pupil.id, pupil.date_of_birth))
        return planted


def _texts(session, pupil_id: int) -> list[tuple[type, str, list]]:
    """The free-text rows about one pupil, by model and column."""
    items = select(AgendaItem.id).where(AgendaItem.pupil_id == pupil_id)
    cases = select(FairAccessCase.id).where(FairAccessCase.pupil_id == pupil_id)
    wheres = {
        (Referral, "summary"): Referral.pupil_id == pupil_id,
        (Decision, "rationale"): Decision.agenda_item_id.in_(items),
        (Action, "description"): Action.agenda_item_id.in_(items),
        (FairAccessRefusal, "note"): FairAccessRefusal.case_id.in_(cases),
    }
    return [
        (model, column, session.scalars(select(model).where(where)).all())
        for (model, column), where in wheres.items()
    ]


def text_columns(engine: Engine) -> list[tuple[str, str]]:
    """Every (table, column) of the store that holds text."""
    schema = inspect(engine)
    return [
        (table, column["name"])
        for table in schema.get_table_names()
        for column in schema.get_columns(table)
        if isinstance(column["type"], String)
    ]


def holding(engine: Engine, needle: str) -> list[tuple[str, str, int]]:
    """Plain SQL: the (table, column, rows) of every text column with ``needle`` in a value."""
    found = []
    with engine.connect() as connection:
        for table, column in text_columns(engine):
            count = connection.execute(
                text(f'SELECT COUNT(*) FROM "{table}" WHERE "{column}" LIKE :needle'),
                {"needle": f"%{needle}%"},
            ).scalar_one()
            if count:
                found.append((table, column, count))
    return found


@pytest.fixture
def sample(engine) -> Engine:
    generate_sample(engine, today=TODAY)
    return engine


def test_every_kind_has_a_documented_default_and_doctor_says_which_to_set(engine):
    with read_session(engine) as session:
        problems = retention_problems(session)
        in_force = periods(session)
    assert len(problems) == len(KINDS)
    for kind, problem in zip(KINDS, problems, strict=True):
        assert kind.setting in problem and kind.source in problem
    assert [(p.kind, p.age, p.is_set) for p in in_force] == [
        (kind, kind.default_age, False) for kind in KINDS
    ]
    for kind in KINDS:
        set_setting(engine, ADMIN, kind.setting, 30)
    with read_session(engine) as session:
        assert retention_problems(session) == []
        assert {p.age for p in periods(session)} == {30}


def test_a_period_is_a_whole_age_and_only_a_county_admin_sets_it(engine):
    with pytest.raises(InvalidValue, match="retention_age_pupil"):
        set_setting(engine, ADMIN, "retention_age_pupil", "five")
    with pytest.raises(InvalidValue):
        set_setting(engine, ADMIN, "retention_age_pupil", 12)
    chair = Actor("chair@shire.example", "Chair", Role.CHAIR, frozenset({"NW"}))
    with pytest.raises(NotAllowed):
        set_setting(engine, chair, "retention_age_pupil", 25)
    with pytest.raises(NotAllowed):
        apply_retention(engine, chair, FAR_FUTURE)
    with read_session(engine) as session:
        assert session.scalars(select(Setting).where(Setting.key.like("retention%"))).all() == []


def test_a_pupil_falls_due_at_the_latest_birthday_of_the_kinds_of_record_they_have(sample):
    with read_session(sample) as session:
        due = falling_due(session, date(2035, 6, 1))
        born = dict(session.execute(select(Pupil.id, Pupil.date_of_birth)).all())
        ehcp = set(session.scalars(select(Pupil.id).where(Pupil.ehcp)))
    assert due and all(records.due <= date(2035, 6, 1) for records in due)
    assert not ehcp & {records.pupil_id for records in due}  # kept to 31: not due until 2039
    for records in due:
        age = records.kind.default_age
        assert records.due == born[records.pupil_id].replace(year=born[records.pupil_id].year + age)


def test_anonymising_keeps_every_statistic_and_leaves_no_name_anywhere(sample):
    planted = _plant(sample)
    assert len(planted) == 3
    assert holding(sample, PLANTED[0])  # in the pupil rows, the text and the audit trail
    before = statistics(sample)

    applied = apply_retention(sample, ADMIN, FAR_FUTURE)

    assert statistics(sample) == before
    with read_session(sample) as session:
        pupils = session.scalar(select(func.count(Pupil.id)))
        assert applied.pupils == pupils
        assert falling_due(session, FAR_FUTURE) == []
        check = verify_trail(session)
        assert check.broken is None
        assert check.intact_entries == session.scalar(select(func.count(AuditEntry.id)))
        mine = session.execute(
            select(AuditEntry.table_name, func.count())
            .where(AuditEntry.actor == ADMIN.email)
            .group_by(AuditEntry.table_name)
        )
        entries = dict(mine.all())
        anonymised = session.execute(
            select(Pupil.first_name, Pupil.last_name, Pupil.anonymised_on).distinct()
        ).all()
        born = dict(session.execute(select(Pupil.id, Pupil.date_of_birth)).all())
    # One entry per changed row, and one that records the redactions.
    assert entries.pop(REDACTION) == 1
    assert sum(entries.values()) == applied.rows and entries["pupil"] == pupils
    assert anonymised == [("Anonymised", "", FAR_FUTURE)]
    for name in PLANTED:
        assert holding(sample, name) == []
    for pupil_id, birthday in planted:
        assert born[pupil_id] != birthday and born[pupil_id].day == 1
        assert holding(sample, birthday.isoformat()) == [], "the date of birth is gone"
    with sample.connect() as connection:
        texts = connection.execute(
            text(
                "SELECT summary FROM referral UNION SELECT rationale FROM decision "
                "UNION SELECT description FROM action UNION SELECT note FROM fairaccessrefusal"
            )
        ).scalars()
        assert set(texts) <= {REMOVED, ""}


def test_applying_twice_changes_nothing_more_and_the_trail_still_verifies(sample):
    first = apply_retention(sample, ADMIN, date(2035, 6, 1))
    second = apply_retention(sample, ADMIN, date(2035, 6, 1))
    assert first.pupils > 0 and second.pupils == 0
    third = apply_retention(sample, ADMIN, FAR_FUTURE)
    assert third.pupils > 0
    with read_session(sample) as session:
        assert verify_trail(session).broken is None


def test_a_redacted_entry_is_refused_by_the_triggers_and_breaks_the_chain_if_forced(sample):
    _plant(sample)
    apply_retention(sample, ADMIN, FAR_FUTURE)
    forge = "UPDATE auditentry SET after = 'forged' WHERE id = :id"
    with sample.connect() as connection:
        entry_id = connection.execute(
            text("SELECT MIN(id) FROM auditentry WHERE table_name = 'pupil'")
        ).scalar_one()
    # Outside the retention schedule's transaction, before and after are as fixed as the rest.
    with pytest.raises(IntegrityError, match="append-only"), sample.begin() as connection:
        connection.execute(text(forge), {"id": entry_id})
    drop = (
        ["DROP TRIGGER auditentry_append_only ON auditentry"]
        if sample.dialect.name == "postgresql"
        else ["DROP TRIGGER auditentry_append_only_update"]
    )
    with sample.begin() as connection:
        for statement in drop:
            connection.execute(text(statement))
        connection.execute(text(forge), {"id": entry_id})
    with read_session(sample) as session:
        check = verify_trail(session)
    assert check.broken is not None and check.broken.entry_id == entry_id
    assert "after it was redacted" in check.broken.problem
