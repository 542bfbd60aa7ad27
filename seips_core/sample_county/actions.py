"""The actions the sample's meetings set: a few per meeting, most done on time, some late.

Actions are drawn after every decision (``Agenda.write``), from the area's own random stream,
so adding them changes nothing else in the sample. Each partnership so has open actions of
its latest meetings, and a few overdue ones to chase.
"""

from datetime import date, timedelta

from ..models import Action
from .context import Ctx

#: What a panel asks for after an item, by its purpose, and who usually does it.
_ACTIONS = {
    "fair_access": (
        ("Arrange the admission meeting with the allocated school", "Co-ordinator"),
        ("Send the pupil's records to the allocated school", "Home school SENCO"),
    ),
    "referral": (
        ("Share the support plan with the parents", "Head of Year"),
        ("Ask the educational psychologist for a report", "Home school SENCO"),
    ),
    "tier4_review": (("Book the Tier 4 review with the family", "Co-ordinator"),),
    "ap_review": (("Send the AP review report to the co-ordinator", "AP provider lead"),),
}
#: One decided item in this many gets an action.
ONE_IN = 3
#: How long a meeting gives for an action, in days.
DUE_IN = (14, 21, 28)
#: The share of actions done by their due date (the rest are late, some still open).
ON_TIME = 0.8
#: An action left open longer than this was chased and done late: only recent ones are open.
STILL_CHASED = timedelta(days=60)


def add_actions(ctx: Ctx, decided: list[tuple[int, int, str, date]]) -> None:
    """Actions for some of the ``decided`` items: (meeting id, item id, purpose, meeting day)."""
    rng, today = ctx.rng, ctx.clock.today
    for meeting_id, item_id, purpose, day in decided:
        if rng.randrange(ONE_IN):
            continue
        description, owner = rng.choice(_ACTIONS[purpose])
        due = day + timedelta(days=rng.choice(DUE_IN))
        done = due - timedelta(days=rng.randint(0, 10)) if rng.random() < ON_TIME else None
        if done is None and (rng.random() < 0.5 or due < today - STILL_CHASED):
            done = due + timedelta(days=rng.randint(1, 20))  # late
        ctx.rows.add(
            Action,
            meeting_id=meeting_id,
            agenda_item_id=item_id,
            description=description,
            owner=owner,
            due_date=due,
            done_date=done if done is not None and day <= done <= today else None,
        )
