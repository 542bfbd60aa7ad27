"""Children referred by School Admissions under the Fair Access Protocol (R13, R20-R22).

Most were allocated at a panel and were on roll within a week; a few are waiting for the next
panel, well inside R21's 20 school days; some allocations met a school's refusal or delay,
recorded against the school (R22).
"""

from collections import Counter
from datetime import date, timedelta

from ..models import FairAccessCategory, FairAccessRefusal
from ..models.choices import FAIR_ACCESS_CATEGORIES
from ..school_days import academic_year_start
from .context import SchoolInfo
from .meetings import DecisionSpec, MeetingInfo
from .pupils import StoryTeller, new_pupil

WAITING_SHARE = 0.05
#: R21: a waiting case has used at most this many of its 20 school days.
WAITING_SCHOOL_DAYS = 8
REFUSAL_CHANCE = 0.12


class FairAccess:
    """Fair Access arrivals in one area, allocated fairly by roll and earlier allocations (R13b)."""

    def __init__(self, teller: StoryTeller) -> None:
        self.teller = teller
        self.ctx = teller.ctx
        self.allocations: Counter[int] = Counter()

    def categories(self, case_id: int) -> None:
        """R20: one to three categories."""
        rng = self.ctx.rng
        for category in rng.sample(sorted(FAIR_ACCESS_CATEGORIES), rng.choice((1, 1, 2, 3))):
            self.ctx.rows.add(FairAccessCategory, case_id=case_id, category=category)

    def fair_choice(self, partnership_id: int) -> SchoolInfo:
        """R13b: weighted by roll, less so for schools already given many."""
        members = self.ctx.area.members_of(partnership_id)
        weights = [s.roll / (1 + self.allocations[s.id]) for s in members]
        school = self.ctx.rng.choices(members, weights)[0]
        self.allocations[school.id] += 1
        return school

    def arrivals(self, count: int) -> None:
        rng = self.ctx.rng
        waiting = max(1, round(count * WAITING_SHARE))
        for index in range(count):
            partnership_id = rng.choice(self.ctx.area.partnership_ids)
            if index < waiting:
                accepted = self.ctx.clock.school_days_before_today(
                    rng.randint(1, WAITING_SCHOOL_DAYS)
                )
                self.waiting(partnership_id, accepted)
            else:
                held = self.teller.schedule.held(partnership_id)
                if held:
                    self.allocated(rng.choice(held))

    def year_groups(self, accepted: date) -> tuple[int, int]:
        """A child's year group now and when accepted (7 to 11 then)."""
        then = self.ctx.rng.randint(7, 11)
        return min(then + self.ctx.clock.academic_year - academic_year_start(accepted), 13), then

    def waiting(self, partnership_id: int, accepted: date, *, with_categories: bool = True) -> int:
        """A case accepted recently, on the agenda of the partnership's next panel (R21)."""
        ctx, teller = self.ctx, self.teller
        referred = accepted - timedelta(days=ctx.rng.randint(1, 6))
        now, then = self.year_groups(accepted)
        row = new_pupil(ctx, now, school_id=None, known_from=referred)
        case_id = teller.fair_access_case(
            row["id"], partnership_id, then, referred, accepted, None, None
        )
        if with_categories:
            self.categories(case_id)
        meeting = teller.schedule.next(partnership_id, ctx.clock.today)
        if meeting is not None:
            teller.agenda.add(meeting, "fair_access", row["id"], fair_access_case_id=case_id)
        return case_id

    def allocated(self, meeting: MeetingInfo, *, on_roll: date | None = None) -> tuple[dict, int]:
        """A case allocated at a held panel; returns the child's row and the case id."""
        ctx, teller, rng = self.ctx, self.teller, self.ctx.rng
        accepted = ctx.weekday_between(
            meeting.day - timedelta(days=25), meeting.day - timedelta(days=3)
        )
        referred = accepted - timedelta(days=rng.randint(1, 6))
        school = self.fair_choice(meeting.partnership_id)
        refusal = (
            rng.random() < REFUSAL_CHANCE and meeting.day + timedelta(days=21) < ctx.clock.today
        )
        if refusal and on_roll is None:
            on_roll = meeting.day + timedelta(days=rng.randint(8, 20))
        elif on_roll is None:
            on_roll = meeting.day + timedelta(days=rng.randint(1, 6))
        now, then = self.year_groups(accepted)
        if on_roll <= ctx.clock.today:
            story = teller.open_story(now, school, on_roll, 2)
            teller.live(story)
            teller.finish(story)
            row = story.row
        else:
            row = new_pupil(ctx, now, school_id=None, known_from=referred)
        case_id = teller.fair_access_case(
            row["id"],
            meeting.partnership_id,
            then,
            referred,
            accepted,
            meeting,
            school,
            on_roll,
        )
        self.categories(case_id)
        if refusal:
            self.refusal(case_id, school.id, meeting.day + timedelta(days=rng.randint(1, 3)))
        teller.agenda.add(
            meeting,
            "fair_access",
            row["id"],
            DecisionSpec(
                "allocate_fair_access",
                "R13: allocated by turn, roll and year-group numbers",
                school_id=school.id,
            ),
            fair_access_case_id=case_id,
        )
        return row, case_id

    def refusal(self, case_id: int, school_id: int, logged: date) -> None:
        """R22: a school's refusal or delay, logged against it."""
        kind = self.ctx.rng.choice(("refusal", "delay"))
        note = "Said the year group is full" if kind == "refusal" else "Start delayed by the school"
        self.ctx.rows.add(
            FairAccessRefusal,
            case_id=case_id,
            school_id=school_id,
            kind=kind,
            logged_date=logged,
            note=f"R22: {note}",
        )
