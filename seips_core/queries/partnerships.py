"""The partnerships every view can be filtered to (R1)."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from ..models import Partnership


@dataclass(frozen=True)
class PartnershipChoice:
    """One entry of the partnership filter: the code the queries take and the name shown."""

    code: str
    name: str


def partnership_choices(session: Session) -> tuple[PartnershipChoice, ...]:
    """Every partnership of the county, in code order, for the sidebar filter."""
    rows = session.execute(select(Partnership.code, Partnership.name).order_by(Partnership.code))
    return tuple(PartnershipChoice(code=code, name=name) for code, name in rows)
