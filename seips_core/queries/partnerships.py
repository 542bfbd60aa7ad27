"""The partnerships every view can be filtered to (R1), and each one's quorum setting."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from ..auth.roles import Actor, require_partnership
from ..models import Partnership, School


@dataclass(frozen=True)
class PartnershipChoice:
    """One entry of the partnership filter: the code the queries take and the name shown."""

    code: str
    name: str


def partnership_choices(session: Session) -> tuple[PartnershipChoice, ...]:
    """Every partnership of the county, in code order, for the sidebar filter."""
    rows = session.execute(select(Partnership.code, Partnership.name).order_by(Partnership.code))
    return tuple(PartnershipChoice(code=code, name=name) for code, name in rows)


@dataclass(frozen=True)
class QuorumSetting:
    """A partnership's quorum as set (None: the default, a majority), its member schools, and
    the partnership's version for a change (``services.meetings.set_quorum``)."""

    schools: int | None
    members: int
    version: int


def quorum_setting(session: Session, viewer: Actor, partnership: str) -> QuorumSetting:
    """``partnership``'s quorum setting, refused outside the viewer's partnerships."""
    require_partnership(viewer, partnership)
    members = (
        select(func.count(School.id))
        .where(School.partnership_id == Partnership.id, School.is_member)
        .scalar_subquery()
    )
    schools, count, version = session.execute(
        select(Partnership.quorum_schools, members, Partnership.version).where(
            Partnership.code == partnership
        )
    ).one()
    return QuorumSetting(schools, count, version)
