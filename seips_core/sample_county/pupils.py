"""Pupils known to the partnerships, each with a story told forward through time.

A story starts when a school first asks for help and moves on review by review: up a tier
(Tier 4 only by a panel decision, R5), down, a managed move (R16), a permanent exclusion and
reintegration through Fair Access (R13, R20, R25), or off roll (R17). The tier history (R6),
referrals (R19), agenda items and exclusions follow from the story, so they agree.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from ..models import Exclusion, FairAccessCase, FairAccessCategory, Pupil, Referral, TierChange
from ..school_days import academic_year_start
from .context import Ctx, SchoolInfo
from .meetings import Agenda, DecisionSpec, MeetingInfo, Schedule
from .names import full_name

#: Chances at each review, by current tier: (up a tier, down a tier).
STEPS = {1: (0.22, 0.0), 2: (0.2, 0.22), 3: (0.15, 0.3), 4: (0.0, 0.1)}
MANAGED_MOVE, LEAVE, EXCLUDE_BEFORE_TIER_4, REINTEGRATE = 0.035, 0.012, 0.25, 0.35
#: R25: suspensions per pupil-period by tier, and a cap well under the 40-day warning.
SUSPENSION_CHANCE = {1: 0.03, 2: 0.1, 3: 0.25, 4: 0.35}
SUSPENSION_DAYS_CAP = 25
YEAR_GROUP_WEIGHTS = {7: 15, 8: 17, 9: 19, 10: 20, 11: 19, 12: 6, 13: 4}
#: A new Year 7 is not yet known to the partnership in its first weeks.
NEW_COHORT_SETTLES = timedelta(days=30)


@dataclass
class Period:
    """A stretch of the story at one tier and one school; the next period's start ends it."""

    start: date
    tier: int
    school: SchoolInfo


@dataclass
class Story:
    """One pupil's history as it is being told."""

    row: dict
    periods: list[Period] = field(default_factory=list)
    off_roll: tuple[date, str | None] | None = None
    excluded_from: SchoolInfo | None = None
    open_forum_referral: dict | None = None

    @property
    def pupil_id(self) -> int:
        return self.row["id"]

    @property
    def now(self) -> Period:
        return self.periods[-1]

    def move(self, day: date, *, tier: int | None = None, school: SchoolInfo | None = None) -> None:
        """A new period from ``day`` (the same day replaces the last change)."""
        period = Period(day, tier or self.now.tier, school or self.now.school)
        if self.periods and self.periods[-1].start >= day:
            self.periods[-1] = period
        else:
            self.periods.append(period)

    def spans(self, today: date) -> list[tuple[Period, date | None]]:
        """Each period with its end (exclusive): the next start, the day off roll, or open."""
        ends: list[date | None] = [p.start for p in self.periods[1:]]
        ends.append(self.off_roll[0] if self.off_roll else None)
        return list(zip(self.periods, ends, strict=True))


def year_group_in(year_group_now: int, day: date, today: date) -> int:
    """The year group a pupil was in on ``day``."""
    return year_group_now - (academic_year_start(today) - academic_year_start(day))


def date_of_birth(ctx: Ctx, year_group: int) -> date:
    """A birthday that puts the pupil in ``year_group`` this academic year."""
    first = date(ctx.clock.academic_year - year_group - 5, 9, 1)
    return ctx.between(first, date(first.year + 1, 8, 31))


def new_pupil(
    ctx: Ctx, year_group: int, *, school_id: int | None, known_from: date, **values: object
) -> dict:
    """A pupil row with invented names and the usual spread of LAC, EHCP and SEN (R4, R18).

    ``values`` override the drawn ones; the case reference carries the year first known.
    """
    rng, area = ctx.rng, ctx.area
    first, last = full_name(rng)
    home_la = rng.choices([la for la, _w in area.home_las], [w for _l, w in area.home_las])[0]
    lac = rng.choices(("none", "own_la", "other_la"), (95.5, 3.0, 1.5))[0]
    ehcp = rng.random() < 0.04
    drawn = {
        "first_name": first,
        "last_name": last,
        "date_of_birth": date_of_birth(ctx, year_group),
        "year_group": year_group,
        "school_id": school_id,
        "home_la": home_la,
        "lac_status": lac,
        # R18: the placing authority of another LA's looked-after child
        "lac_la": rng.choice([la for la, _w in area.home_las[1:]]) if lac == "other_la" else None,
        "ehcp": ehcp,
        "sen_support": not ehcp and rng.random() < 0.2,
        "pupil_premium": rng.random() < 0.3,
    }
    row = ctx.rows.add_row(Pupil, **(drawn | values))
    row["case_ref"] = f"SEIP-{academic_year_start(known_from) % 100:02d}-{row['id']:06d}"
    return row


class StoryTeller:
    """Tells pupils' stories in one area, writing their rows as it goes."""

    def __init__(self, ctx: Ctx, schedule: Schedule, agenda: Agenda) -> None:
        self.ctx, self.schedule, self.agenda = ctx, schedule, agenda
        self.today = ctx.clock.today
        self.schools = ctx.area.schools
        self.rolls = [s.roll for s in self.schools]

    # -- the start and the end of a story -------------------------------------------------

    def tell(self) -> Story:
        """A whole story of one pupil known to a partnership, written to the rows."""
        ctx, rng = self.ctx, self.ctx.rng
        school = rng.choices(self.schools, self.rolls)[0]
        year_group = rng.choices(list(YEAR_GROUP_WEIGHTS), list(YEAR_GROUP_WEIGHTS.values()))[0]
        cohort_start = date(ctx.clock.academic_year - (year_group - 7), 9, 1)
        if cohort_start > self.today - NEW_COHORT_SETTLES:
            year_group, cohort_start = year_group + 1, cohort_start.replace(cohort_start.year - 1)
        known_from = ctx.weekday_between(
            max(ctx.clock.history_start, cohort_start), self.today - timedelta(days=10)
        )
        story = self.open_story(year_group, school, known_from, rng.choice((1, 1, 1, 2, 2, 3)))
        self.live(story)
        self.finish(story)
        return story

    def live(self, story: Story) -> None:
        """Review the story every few weeks to months, from its latest change up to today."""
        day = story.now.start
        while True:
            day += timedelta(days=self.ctx.rng.randint(40, 160))
            if day >= self.today or story.off_roll:
                return
            if day > story.now.start:  # a decision dated ahead of this review has not yet landed
                self.review(story, day)

    def open_story(
        self, year_group: int, school: SchoolInfo, day: date, tier: int, **pupil: object
    ) -> Story:
        """A new pupil on roll at ``school`` from ``day`` at ``tier``."""
        story = Story(new_pupil(self.ctx, year_group, school_id=school.id, known_from=day, **pupil))
        story.periods.append(Period(day, tier, school))
        if tier in (2, 3):
            self.ask_forum(story, day)
        return story

    def finish(self, story: Story, *, suspensions: bool = True) -> None:
        """Write the tier history, close what the story closed, and settle the pupil row (R6)."""
        ctx, pupil = self.ctx, story.row
        ends = story.off_roll[0] if story.off_roll else self.today
        forum = story.open_forum_referral
        if forum and forum["closed_date"] > ends:
            forum["closed_date"] = story.off_roll[0] if story.off_roll else None
        for period, end in story.spans(self.today):
            ctx.rows.add(
                TierChange,
                pupil_id=story.pupil_id,
                school_id=period.school.id,
                tier=period.tier,
                from_date=period.start,
                to_date=end,
            )
        if story.periods:
            pupil["school_id"] = story.now.school.id
        if story.off_roll:
            pupil["off_roll_date"], pupil["off_roll_reason"] = story.off_roll
        if suspensions:
            self.suspensions(story)
        self.top_up(story, pupil)

    def top_up(self, story: Story, pupil: dict) -> None:
        """R15: SEN support pupils at Tier 3-4 get top-up for one school year, never rolled over."""
        reached = [p for p in story.periods if p.tier >= 3]
        if not reached or not pupil["sen_support"]:
            return
        year = academic_year_start(reached[-1].start)
        if story.now.tier == 4 and not story.off_roll:
            year = self.ctx.clock.academic_year  # renewed this year while programme managed
        pupil["top_up_amount"] = Decimal(self.ctx.rng.randrange(1500, 6000, 250))
        pupil["top_up_year_start"] = year

    # -- one review: what happens next ----------------------------------------------------

    def review(self, story: Story, day: date) -> None:
        rng, tier = self.ctx.rng, story.now.tier
        up, down = STEPS[tier]
        roll = rng.random()
        if roll < up:
            self.step_up(story, day)
        elif roll < up + down:
            self.step_down(story, day)
        elif tier in (2, 3) and roll < up + down + MANAGED_MOVE:
            self.managed_move(story, day)
        elif tier == 4 and story.excluded_from and roll < up + down + REINTEGRATE:
            self.reintegrate(story, day)
        elif tier < 4 and roll > 1 - LEAVE:
            story.off_roll = (day, "enrolled_elsewhere" if rng.random() < 0.85 else "missing")
        elif tier == 4:
            self.keep_at_tier_4(story, day)

    def ask_forum(self, story: Story, day: date) -> None:
        """R19: below Tier 4 a school asks its Inclusion Forum (for an EHCP pupil, R15's review)."""
        ctx, school = self.ctx, story.now.school
        route = "ehcp_annual_review" if story.row["ehcp"] else "inclusion_forum"
        if story.open_forum_referral:
            story.open_forum_referral["closed_date"] = min(
                story.open_forum_referral["closed_date"], day
            )
        closed = day + timedelta(days=ctx.rng.randint(20, 90))
        story.open_forum_referral = ctx.rows.add_row(
            Referral,
            pupil_id=story.pupil_id,
            school_id=school.id,
            route=route,
            received_date=day,
            summary=f"Tier {story.now.tier}: support asked of the partnership",
            closed_date=closed,
        )
        forum = self.schedule.next_held(school.partnership_id, day, "inclusion_forum")
        if route == "inclusion_forum" and forum is not None and forum.day <= closed:
            self.agenda.add(
                forum,
                "referral",
                story.pupil_id,
                DecisionSpec("advise_inclusion_forum", "Early help and an EP consultation agreed"),
                referral_id=story.open_forum_referral["id"],
            )

    def refer_to_panel(
        self, story: Story, route: str, meeting: MeetingInfo, summary: str, after: date
    ) -> int:
        """A referral to the panel received 1-3 weeks before ``meeting`` and closed there."""
        received = max(after, meeting.day - timedelta(days=self.ctx.rng.randint(7, 21)))
        return self.ctx.rows.add(
            Referral,
            pupil_id=story.pupil_id,
            school_id=story.now.school.id,
            route=route,
            received_date=received,
            summary=summary,
            closed_date=meeting.day,
        )

    def step_up(self, story: Story, day: date) -> None:
        tier = story.now.tier
        if tier < 3:
            story.move(day, tier=tier + 1)
            self.ask_forum(story, day)
            return
        if not story.now.school.is_member:
            return  # R3: the sample's non-members keep their pupils below Tier 4
        meeting = self.schedule.next_held(story.now.school.partnership_id, day + timedelta(days=7))
        if meeting is None:
            return
        if story.row["ehcp"]:
            self.route_to_annual_review(story, meeting, day)
            return
        if self.ctx.rng.random() < EXCLUDE_BEFORE_TIER_4:
            self.exclude(story, day, meeting)
        self.enter_tier_4(story, meeting, after=day)

    def enter_tier_4(
        self,
        story: Story,
        meeting: MeetingInfo,
        *,
        after: date,
        decision: DecisionSpec | None = None,
    ) -> None:
        """R5: Tier 4 starts the day the panel decides; R4: another LA's pupil is referred home."""
        if story.open_forum_referral:
            closing = story.open_forum_referral["closed_date"]
            story.open_forum_referral["closed_date"] = min(closing, meeting.day)  # R19
        referral_id = self.refer_to_panel(
            story, "panel", meeting, "At risk of permanent exclusion: Tier 4 asked", after
        )
        home_la = story.row["home_la"]
        if decision is None and home_la != self.ctx.area.local_authority:
            decision = DecisionSpec("refer_home_la", f"R4: home LA is {home_la}; referred to it")
        elif decision is None:
            decision = DecisionSpec("programme_manage_tier4", "Full-time programme agreed")
        self.agenda.add(meeting, "referral", story.pupil_id, decision, referral_id=referral_id)
        story.move(meeting.day, tier=4)

    def route_to_annual_review(self, story: Story, meeting: MeetingInfo, day: date) -> None:
        """R15: the panel sends an EHCP pupil's case to the annual review instead."""
        referral_id = self.refer_to_panel(story, "panel", meeting, "Needs beyond Tier 3", day)
        decision = DecisionSpec(
            "route_ehcp_annual_review", "R15: EHCP pupil: bring the annual review forward"
        )
        self.agenda.add(meeting, "referral", story.pupil_id, decision, referral_id=referral_id)

    def exclude(self, story: Story, day: date, meeting: MeetingInfo) -> None:
        """R25: a permanent exclusion shortly before the panel, governors within 15 school days."""
        clock = self.ctx.clock
        start = clock.school_day_on_or_after(max(day, meeting.day - timedelta(days=20)))
        if start >= meeting.day or start <= story.now.start:
            return
        review = clock.calendar.add_school_days(start, self.ctx.rng.randint(4, 14))
        self.ctx.rows.add(
            Exclusion,
            pupil_id=story.pupil_id,
            school_id=story.now.school.id,
            kind="permanent",
            start_date=start,
            school_days=None,
            governors_review_date=review if review and review <= self.today else None,
        )
        story.excluded_from = story.now.school  # R2: the excluding school stays responsible

    def step_down(self, story: Story, day: date) -> None:
        tier = story.now.tier
        if tier < 4:
            story.move(day, tier=tier - 1)
            return
        meeting = self.schedule.next_held(story.now.school.partnership_id, day)
        if meeting is None or story.excluded_from:
            return
        self.agenda.add(
            meeting,
            "tier4_review",
            story.pupil_id,
            DecisionSpec(
                "advise_inclusion_forum", "Progress made: back to Tier 3 with forum support"
            ),
        )
        story.move(meeting.day, tier=3)

    def keep_at_tier_4(self, story: Story, day: date) -> None:
        meeting = self.schedule.next_held(story.now.school.partnership_id, day)
        if meeting is not None:
            self.agenda.add(
                meeting,
                "tier4_review",
                story.pupil_id,
                DecisionSpec(
                    "programme_manage_tier4", "Programme continues; next review next term"
                ),
            )

    def managed_move(self, story: Story, day: date) -> None:
        """R16: agreed by parents and both schools at a panel, then the pupil moves roll."""
        rng, school = self.ctx.rng, story.now.school
        others = [s for s in self.ctx.area.members_of(school.partnership_id) if s != school]
        meeting = self.schedule.next_held(school.partnership_id, day + timedelta(days=14))
        if not school.is_member or not others or meeting is None:
            return
        receiving = rng.choice(others)
        referral_id = self.refer_to_panel(
            story, "managed_move", meeting, "Fresh start asked through a managed move", day
        )
        if rng.random() < 0.2:
            decision = DecisionSpec("decline", "Receiving school cannot meet need this term")
        else:
            decision = DecisionSpec(
                "agree_managed_move",
                "R16: parents and both schools agree a six-week trial",
                school_id=receiving.id,
                parents_agree=True,
                home_school_agrees=True,
                receiving_school_agrees=True,
            )
            move_day = meeting.day + timedelta(days=rng.randint(7, 14))
            if move_day < self.today:
                story.move(move_day, school=receiving)
        self.agenda.add(meeting, "referral", story.pupil_id, decision, referral_id=referral_id)

    def reintegrate(self, story: Story, day: date) -> None:
        """R20: a permanently excluded pupil fit for mainstream goes back through Fair Access."""
        rng, excluded_from = self.ctx.rng, story.excluded_from
        pid = excluded_from.partnership_id
        meeting = self.schedule.next_held(pid, day + timedelta(days=30))
        others = [s for s in self.ctx.area.members_of(pid) if s != excluded_from]
        if meeting is None or not others or meeting.day + timedelta(days=6) >= self.today:
            return
        school = rng.choices(others, [s.roll for s in others])[0]
        on_roll = meeting.day + timedelta(days=rng.randint(1, 6))
        accepted = meeting.day - timedelta(days=rng.randint(3, 20))
        referred = accepted - timedelta(days=rng.randint(1, 5))
        referral_id = self.refer_to_panel(
            story, "fair_access", meeting, "Ready to return to mainstream (R20)", referred
        )
        case_id = self.fair_access_case(
            story.pupil_id,
            pid,
            year_group_in(story.row["year_group"], accepted, self.today),
            referred,
            accepted,
            meeting,
            school,
            on_roll,
        )
        self.ctx.rows.add(FairAccessCategory, case_id=case_id, category="ap_reintegration")
        self.agenda.add(
            meeting,
            "fair_access",
            story.pupil_id,
            DecisionSpec(
                "allocate_fair_access",
                "R13: allocated by turn and year-group numbers",
                school_id=school.id,
            ),
            referral_id=referral_id,
            fair_access_case_id=case_id,
        )
        story.move(on_roll, tier=3, school=school)
        story.excluded_from = None

    def fair_access_case(
        self,
        pupil_id: int,
        partnership_id: int,
        year_group: int,
        referred: date,
        accepted: date,
        meeting: MeetingInfo | None,
        school: SchoolInfo | None,
        on_roll: date | None = None,
    ) -> int:
        """R13, R20, R21: a case through check, acceptance and (at a held meeting) allocation."""
        rng = self.ctx.rng
        decided = meeting.day if meeting is not None and school is not None else None
        if decided and on_roll is None:
            on_roll = decided + timedelta(days=rng.randint(1, 6))
        return self.ctx.rows.add(
            FairAccessCase,
            pupil_id=pupil_id,
            partnership_id=partnership_id,
            year_group=year_group,
            referred_date=referred,
            unplaced=True,
            eligibility_checked_date=self.ctx.between(referred, accepted),
            accepted_date=accepted,
            allocated_school_id=school.id if decided else None,
            decision_date=decided,
            school_told_date=decided,
            admissions_told_date=decided,
            on_roll_date=on_roll if on_roll and on_roll <= self.today else None,
        )

    # -- suspensions across the story -----------------------------------------------------

    def suspensions(self, story: Story) -> None:
        """R25: a few short suspensions, kept well under the 45-day limit per year."""
        ctx, rng = self.ctx, self.ctx.rng
        per_year: dict[int, int] = {}
        suspended: list[tuple[date, date]] = []  # a pupil is suspended at most once a day
        for period, end in story.spans(self.today):
            if rng.random() >= SUSPENSION_CHANCE[period.tier]:
                continue
            last = min(end or self.today, self.today) - timedelta(days=1)
            for _ in range(rng.randint(1, 3)):
                start = ctx.clock.school_day_on_or_after(ctx.between(period.start, last))
                days = rng.randint(1, 5)
                finish = ctx.clock.calendar.add_school_days(start, days - 1) or start
                year = academic_year_start(start)
                overlaps = any(start <= other_end and other_start <= finish
                               for other_start, other_end in suspended)  # fmt: skip
                if start > last or overlaps or per_year.get(year, 0) + days > SUSPENSION_DAYS_CAP:
                    continue
                per_year[year] = per_year.get(year, 0) + days
                suspended.append((start, finish))
                ctx.rows.add(
                    Exclusion,
                    pupil_id=story.pupil_id,
                    school_id=period.school.id,
                    kind="suspension",
                    start_date=start,
                    school_days=days,
                )
