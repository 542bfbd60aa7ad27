"""Helpers over the sample county's NW panel meeting today, shared by the meeting tests."""

from datetime import date, datetime

from sqlalchemy import Engine, func, select

from seips_core.db import read_session, write_session
from seips_core.models import AgendaItem, AuditEntry, Decision, Meeting, Partnership, Pupil, School

TODAY = date(2026, 11, 25)  # the sample's NW panel meeting (conftest.MEETING_DAY)
AT = datetime.fromisoformat("2026-11-25T10:42:00+00:00")


def undecided_items(engine: Engine, purpose: str) -> list[AgendaItem]:
    """Today's NW panel items of ``purpose`` with no decision yet (NW: the demo partnership)."""
    with read_session(engine) as session:
        return list(
            session.scalars(
                select(AgendaItem)
                .join(Meeting, Meeting.id == AgendaItem.meeting_id)
                .join(Partnership, Partnership.id == Meeting.partnership_id)
                .outerjoin(Decision, Decision.agenda_item_id == AgendaItem.id)
                .where(
                    Partnership.code == "NW",
                    Meeting.meeting_date == TODAY,
                    AgendaItem.purpose == purpose,
                    Decision.id.is_(None),
                )
                .order_by(AgendaItem.position)
            )
        )


def nw_school_other_than(engine: Engine, school_id: int | None) -> School:
    with read_session(engine) as session:
        return session.scalars(
            select(School)
            .join(Partnership, Partnership.id == School.partnership_id)
            .where(Partnership.code == "NW", School.is_member, School.id != school_id)
            .order_by(School.id)
        ).first()


def counts(engine: Engine) -> tuple[int, int]:
    with read_session(engine) as session:
        return (
            session.scalar(select(func.count()).select_from(Decision)),
            session.scalar(select(func.count()).select_from(AuditEntry)),
        )


def with_pupil(engine: Engine, item: AgendaItem, **changes: object) -> None:
    with write_session("test", engine) as session:
        pupil = session.get(Pupil, item.pupil_id)
        for name, value in changes.items():
            setattr(pupil, name, value)
