"""AP and work-experience placements, and the schools' safeguarding confirmations (R7-R12, R26-R28).

Ordinary placements keep within every rule: at most 2 days (4 sessions) a week at one provider,
a plan agreed before the start, an end planned, reviews every six weeks and the LA informed.
Only the deliberate cases (``planted``) step outside.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..models import Placement, SafeguardingConfirmation
from ..models.choices import WEEKDAYS
from .context import Ctx, ProviderInfo, SchoolInfo
from .meetings import Agenda, DecisionSpec
from .pupils import Story, year_group_in

#: R26: reviewed at least half-termly; six weeks apart.
REVIEW_EVERY = timedelta(weeks=6)
HOURS_PER_SESSION = 2.5
PLANNED_WEEKS = (6, 8, 10, 12, 12, 16, 20)
PLACEMENT_CHANCE = {3: 0.45, 4: 0.85}
#: Share of programme-managed placements whose first panel review is deferred.
DEFERRED_REVIEW = 0.15
WORK_EXPERIENCE_CHANCE = 0.12


def session_pattern(days: list[str], *, half_days: int = 0) -> str:
    """``sessions`` for whole days at ``days``, the first ``half_days`` of them mornings only."""
    sessions = []
    for index, day in enumerate(sorted(days, key=WEEKDAYS.index)):
        sessions.append(f"{day}AM")
        if index >= half_days:
            sessions.append(f"{day}PM")
    return " ".join(sessions)


def weekly_hours(sessions: str) -> float:
    return HOURS_PER_SESSION * len(sessions.split())


@dataclass
class Placements:
    """Makes an area's placements and remembers which school uses which provider (R27)."""

    ctx: Ctx
    agenda: Agenda
    #: (school id, provider id) → the first placement's start.
    first_use: dict[tuple[int, int], date] = field(default_factory=dict)
    #: R27: pairs deliberately left without a confirmation.
    unconfirmed: set[tuple[int, int]] = field(default_factory=set)

    def providers(self, kind: str) -> list[ProviderInfo]:
        return [p for p in self.ctx.area.providers if p.kind == kind]

    def for_story(self, story: Story) -> None:
        """Placements while the pupil is at Tier 3 or 4, one or two days a week each."""
        rng, today = self.ctx.rng, self.ctx.clock.today
        for period, end in story.spans(today):
            if rng.random() >= PLACEMENT_CHANCE.get(period.tier, 0):
                continue
            last_start = min(end or today, today) - timedelta(days=7)
            free_days = list(WEEKDAYS)
            for _ in range(rng.choice((1, 1, 2)) if period.tier == 4 else 1):
                start = self.ctx.clock.school_day_on_or_after(
                    self.ctx.between(period.start + timedelta(days=7), last_start)
                )
                if start > last_start or len(free_days) < 2:
                    break
                days = rng.sample(free_days, rng.choice((1, 2, 2)))
                free_days = [d for d in free_days if d not in days]
                year_group = year_group_in(story.row["year_group"], start, today)
                work = year_group in (10, 11) and rng.random() < WORK_EXPERIENCE_CHANCE
                provider = rng.choice(
                    self.providers("work_experience")
                    if work
                    else self.providers("ap") + self.providers("registered")
                )
                half_days = 1 if rng.random() < 0.15 else 0
                placement = self.place(
                    story.pupil_id,
                    period.school,
                    provider,
                    start,
                    session_pattern(days, half_days=half_days),
                    weeks=rng.choice(PLANNED_WEEKS),
                    ends_by=end,
                )
                if period.tier == 4:
                    self.panel_review(placement, period.school)

    def panel_review(self, placement: dict, school: SchoolInfo) -> None:
        """R26: a programme-managed pupil's placement is reviewed at the next panel."""
        meeting = self.agenda.schedule.next(school.partnership_id, placement["start_date"])
        if meeting is None:
            return
        if self.ctx.rng.random() < DEFERRED_REVIEW:
            decision = DecisionSpec("defer", "Provider's attendance report awaited")
        else:
            decision = DecisionSpec("agree_ap_placement", "R26: plan, end date and reviews agreed")
        self.agenda.add(
            meeting, "ap_review", placement["pupil_id"], decision, placement_id=placement["id"]
        )

    def place(
        self,
        pupil_id: int,
        school: SchoolInfo,
        provider: ProviderInfo,
        start: date,
        sessions: str,
        *,
        weeks: int,
        ends_by: date | None = None,
        hours: float | None = None,
    ) -> dict:
        """One placement kept to R9, R11 and R26: plan, planned end, reviews, LA informed."""
        rng, today = self.ctx.rng, self.ctx.clock.today
        planned_end = start + timedelta(weeks=weeks)
        ended = planned_end if ends_by is None else min(planned_end, ends_by - timedelta(days=1))
        end_date = ended if ended < today else None
        reviewed_to = min(today, end_date or today)
        reviews = (reviewed_to - start) // REVIEW_EVERY
        last_review = start + reviews * REVIEW_EVERY if reviews else None
        self.first_use[(school.id, provider.id)] = min(
            start, self.first_use.get((school.id, provider.id), start)
        )
        return self.ctx.rows.add_row(
            Placement,
            pupil_id=pupil_id,
            provider_id=provider.id,
            school_id=school.id,
            kind="work_experience" if provider.kind == "work_experience" else "ap",
            sessions=sessions,
            hours_per_week=hours or weekly_hours(sessions),
            start_date=start,
            planned_end_date=planned_end,
            max_duration_weeks=weeks if rng.random() < 0.7 else None,
            plan_agreed_date=start - timedelta(days=rng.randint(2, 10)),
            last_review_date=last_review,
            next_review_date=None if end_date else (last_review or start) + REVIEW_EVERY,
            la_informed_date=start - timedelta(days=rng.randint(0, 5)),
            end_date=max(end_date, start) if end_date else None,
        )

    def write_confirmations(self) -> None:
        """R27: each school confirms a provider's staff checks before its first placement there."""
        for (school_id, provider_id), first in sorted(self.first_use.items()):
            if (school_id, provider_id) in self.unconfirmed:
                continue
            self.ctx.rows.add(
                SafeguardingConfirmation,
                school_id=school_id,
                provider_id=provider_id,
                received_date=first - timedelta(days=self.ctx.rng.randint(5, 30)),
            )
