"""What a meeting's walls show now (issue 12): the presented item, its place on the agenda,
the panel, and who put it up when. Read by every wall on every change of the meeting."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from ..auth.roles import Actor
from ..auth.scope import meeting_in_scope
from ..models import AgendaItem, Presentation


@dataclass(frozen=True)
class OnTheWall:
    """The presented item (None if it was taken off the agenda), its position, the panel
    ("item" or "history"), and who moved the wall to it and when."""

    item_id: int | None
    position: int | None
    panel: str
    presented_by: str
    presented_at: datetime


def on_the_wall(session: Session, viewer: Actor, meeting_id: int) -> OnTheWall | None:
    """What meeting ``meeting_id``'s walls show; None until someone has presented."""
    meeting_in_scope(session, viewer, meeting_id)
    row = session.execute(
        select(
            Presentation.agenda_item_id,
            AgendaItem.position,
            Presentation.panel,
            Presentation.presented_by,
            Presentation.presented_at,
        )
        .outerjoin(AgendaItem, AgendaItem.id == Presentation.agenda_item_id)
        .where(Presentation.meeting_id == meeting_id)
    ).first()
    return None if row is None else OnTheWall(*row)
