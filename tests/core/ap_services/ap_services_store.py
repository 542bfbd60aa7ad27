"""A small county for the placement services (``build``): two partnerships share a provider.

On ``TODAY`` Oakfield Skills Centre (unregistered) gives substantial provision to three pupils
across the county, two from NW schools and one from an HB school, so the default R8 threshold
of 4 is one pupil away. Every other row is there for one refusal or flag the tests check.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select, text
from sqlmodel import SQLModel

from seips_core.db import read_session, write_session
from seips_core.models import (
    AuditEntry,
    Partnership,
    Placement,
    Provider,
    Pupil,
    SafeguardingConfirmation,
    School,
)

#: A Wednesday in term.
TODAY = date(2026, 11, 25)
FOUR_DAYS = "MonAM MonPM TueAM TuePM WedAM WedPM ThuAM ThuPM"
TWO_DAYS = "MonAM MonPM TueAM TuePM"
OAKFIELD = "Oakfield Skills Centre"


@dataclass(frozen=True)
class Ids:
    """The ids of the rows the tests name: schools, providers, pupils (by case ref) and
    placements (by their pupil's case ref)."""

    schools: dict[str, int]
    providers: dict[str, int]
    pupils: dict[str, int]
    placements: dict[str, int]


def _school(urn: int, name: str, partnership: Partnership) -> School:
    return School(
        urn=urn,
        name=name,
        partnership_id=partnership.id,
        number_on_roll=900,
        local_authority="Shire County",
    )


def _pupil(case_ref: str, school: School | None, **fields) -> Pupil:
    return Pupil(
        case_ref=case_ref,
        first_name="Testfirst",
        last_name=f"Test{case_ref}",
        date_of_birth=date(2012, 1, 1),
        year_group=9,
        school_id=school.id if school else None,
        home_la="Shire County",
        **fields,
    )


def _placement(pupil: Pupil, provider: Provider, school: School, sessions: str, **fields):
    values = {
        "hours_per_week": 2.5 * len(sessions.split()),
        "start_date": date(2026, 11, 2),
        "planned_end_date": date(2027, 1, 22),
        "plan_agreed_date": date(2026, 10, 28),
        "next_review_date": date(2026, 12, 9),
        "la_informed_date": date(2026, 10, 29),
        **fields,
    }
    return Placement(
        pupil_id=pupil.id,
        provider_id=provider.id,
        school_id=school.id,
        sessions=sessions,
        **values,
    )


def build(engine: Engine) -> Ids:
    """Write the small county in one transaction."""
    with write_session("test setup", engine) as session:
        nw, hb = Partnership(code="NW", name="North Wold"), Partnership(code="HB", name="Harbury")
        session.add_all([nw, hb])
        session.flush()
        schools = {
            "Oakmere": _school(100001, "Oakmere Academy", nw),
            "Wold": _school(100002, "Wold High School", nw),
            "Harbury": _school(100003, "Harbury College", hb),
        }
        session.add_all(schools.values())
        trained = {"staff_training_date": date(2026, 1, 10), "dsl_training_date": date(2026, 1, 10)}
        providers = {
            OAKFIELD: Provider(name=OAKFIELD, dsl_name="A. Lead", **trained),
            "Quiet Lane Centre": Provider(name="Quiet Lane Centre", **trained),
            "Hilltop College": Provider(
                name="Hilltop College", is_registered_school=True, **trained
            ),
            "Brook Farm Work": Provider(name="Brook Farm Work", **trained),
        }
        session.add_all(providers.values())
        session.flush()
        oak, wold, harbury = schools["Oakmere"], schools["Wold"], schools["Harbury"]
        pupils = {
            "NW-1": _pupil("NW-1", oak),
            "NW-2": _pupil("NW-2", oak),
            "HB-1": _pupil("HB-1", harbury),
            "NW-3": _pupil("NW-3", oak),
            "NW-4": _pupil("NW-4", oak),
            "NW-5": _pupil("NW-5", oak, lac_status="own_la"),
            "NW-6": _pupil("NW-6", wold),
            "NW-7": _pupil("NW-7", None),
            "NW-8": _pupil(
                "NW-8", oak, off_roll_date=date(2026, 10, 1), off_roll_reason="enrolled_elsewhere"
            ),
            "NW-9": _pupil("NW-9", oak),
            "NW-10": _pupil("NW-10", oak),
            "HB-2": _pupil("HB-2", harbury),
        }
        session.add_all(pupils.values())
        session.flush()
        oakfield, quiet = providers[OAKFIELD], providers["Quiet Lane Centre"]
        placements = {
            # Oakfield's three substantial pupils today, across NW and HB (R8).
            "NW-1": _placement(pupils["NW-1"], oakfield, oak, FOUR_DAYS),
            "NW-2": _placement(pupils["NW-2"], oakfield, oak, "MonAM TueAM", hours_per_week=18),
            "HB-1": _placement(pupils["HB-1"], oakfield, harbury, FOUR_DAYS),
            # Part time: not counted (2 days, 10 hours).
            "NW-3": _placement(pupils["NW-3"], oakfield, oak, TWO_DAYS),
            # Substantial, but ended before today: not counted.
            "NW-10": _placement(
                pupils["NW-10"],
                oakfield,
                oak,
                FOUR_DAYS,
                start_date=date(2026, 9, 7),
                end_date=date(2026, 10, 23),
            ),
            # Agreed, not yet started.
            "NW-9": _placement(pupils["NW-9"], quiet, oak, TWO_DAYS, start_date=date(2026, 12, 7)),
        }
        session.add_all(placements.values())
        session.add_all(
            [
                SafeguardingConfirmation(
                    school_id=school.id, provider_id=oakfield.id, received_date=date(2026, 9, 1)
                )
                for school in (oak, harbury)
            ]
        )
        session.flush()
        return Ids(
            schools={name: row.id for name, row in schools.items()},
            providers={name: row.id for name, row in providers.items()},
            pupils={ref: row.id for ref, row in pupils.items()},
            placements={ref: row.id for ref, row in placements.items()},
        )


def every_row(engine: Engine) -> dict[str, list[tuple]]:
    """The whole store, audit trail included: equal before and after means nothing changed."""
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(r)
                for r in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in SQLModel.metadata.sorted_tables
        }


def substantial_pupils_in_sql(engine: Engine, provider: str, on: date) -> int:
    """R8's count read directly: distinct pupils with a placement at ``provider`` running on
    ``on`` that is over 3 days a week (a half-day counting as a day) or 18 hours or more."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT pl.pupil_id, pl.sessions, pl.hours_per_week FROM placement pl "
                "JOIN provider pr ON pr.id = pl.provider_id WHERE pr.name = :provider "
                "AND pl.start_date <= :on AND (pl.end_date IS NULL OR pl.end_date >= :on)"
            ),
            {"provider": provider, "on": on},
        ).all()
    return len(
        {
            pupil
            for pupil, sessions, hours in rows
            if len({s[:3] for s in sessions.split()}) > 3 or hours >= 18
        }
    )


def placement(engine: Engine, placement_id: int) -> Placement:
    with read_session(engine) as session:
        return session.get(Placement, placement_id)


def pupil(engine: Engine, pupil_id: int) -> Pupil:
    with read_session(engine) as session:
        return session.get(Pupil, pupil_id)


def audit_of(engine: Engine, table: str, row_id: int) -> list[AuditEntry]:
    with read_session(engine) as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.table_name == table, AuditEntry.row_id == row_id)
                .order_by(AuditEntry.id)
            )
        )
