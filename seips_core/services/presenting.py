"""Putting an item on a meeting's walls (issue 12): the presenter drives, the walls follow.

A co-ordinator or chair presents: the item they show (and whether the room sees the case or
its history) is kept in the store, one ``Presentation`` row per meeting, and every wall and
follower screen of the meeting shows it within a second through the meeting's change marker.
The last click wins: two presenters never lock each other out, and each reads who moved the
wall last. A wall (a viewer, or a wall link) cannot move it: presenting needs ``EDIT_CASES``.

Concurrency: the meeting's row is locked first, as every meeting service does, so two clicks
at once are taken one after the other (the later stands); the first presentation of a meeting
is unique in the database, and a writer that loses that race runs again as an update.
"""

from datetime import UTC, datetime

from sqlalchemy import Engine, select

from ..auth.roles import Actor, Capability, require
from ..auth.scope import item_in_scope, meeting_in_scope
from ..concurrency import retried
from ..db import write_session
from ..errors import InvalidValue
from ..models import Presentation
from ..models.choices import WALL_PANELS


@retried
def present(
    engine: Engine,
    by: Actor,
    meeting_id: int,
    item_id: int,
    *,
    panel: str = "item",
    now: datetime | None = None,
) -> bool:
    """Show agenda item ``item_id`` (its ``panel``: the case, or its history) on every wall
    of meeting ``meeting_id``; False when the walls already show exactly that (nothing saved,
    so "present as I go" costs no write on a screen that merely reruns)."""
    require(by, Capability.EDIT_CASES, doing="put an item on the meeting's wall")
    if panel not in WALL_PANELS:
        raise InvalidValue(f"Wall panel: {panel!r} is not one of {', '.join(WALL_PANELS)}.")
    with write_session(by.email, engine) as session:
        meeting_in_scope(session, by, meeting_id, lock=True)
        if item_in_scope(session, by, item_id).item.meeting_id != meeting_id:
            raise InvalidValue("Agenda item: it is not on this meeting, so it cannot be shown.")
        shown = session.scalars(
            select(Presentation).where(Presentation.meeting_id == meeting_id)
        ).first()
        if shown is not None and (shown.agenda_item_id, shown.panel) == (item_id, panel):
            return False
        if shown is None:
            shown = Presentation(meeting_id=meeting_id, presented_by="", presented_at=now)
            session.add(shown)
        shown.agenda_item_id = item_id
        shown.panel = panel
        shown.presented_by = by.display_name or by.email
        shown.presented_at = now or datetime.now(UTC)
        return True
