"""The deliberate cases: one or two of each flag of the catalogue, so every rule is seen firing.

Everything else in the sample keeps to the rules; these pupils, placements and meetings each
break one rule (R8's provider needs four placements), so a chair trying the dashboard sees
every kind of flag, and a test can check that each rule fires.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ..models import Exclusion, FairAccessCase, Provider, Referral
from ..models.choices import WEEKDAYS
from .area import NamePools
from .context import ProviderInfo, SchoolInfo
from .fair_access import FairAccess
from .meetings import DecisionSpec, MeetingInfo
from .names import CITY_LA, full_name, initials
from .placements import Placements, session_pattern
from .pupils import Story, StoryTeller

#: A planted pupil has none of the traits that other rules look at.
PLAIN = {"lac_status": "none", "lac_la": None, "ehcp": False, "sen_support": False}
SINCE = timedelta(days=300)
FOUR_DAYS, THREE_DAYS = list(WEEKDAYS[:4]), list(WEEKDAYS[:3])
#: R8: three full days at six hours a day reach the 18-hour guide without being "over 3 days".
FULL_TIME_HOURS = 18.0


@dataclass
class Planter:
    """Adds the deliberate cases to an area whose ordinary stories are already told."""

    teller: StoryTeller
    placements: Placements
    fair_access: FairAccess
    pools: NamePools

    def __post_init__(self) -> None:
        self.ctx = self.teller.ctx
        self.today = self.ctx.clock.today
        self.members = [s for s in self.ctx.area.schools if s.is_member]
        self.aps = self.placements.providers("ap")
        self.registered = self.placements.providers("registered")

    # -- building blocks --------------------------------------------------------------------

    def story(self, tier: int, school: SchoolInfo | None = None, **pupil: object) -> Story:
        """A plain pupil at ``tier`` for the last 300 days, at a member school by default."""
        school = school or self.ctx.rng.choice(self.members)
        values = PLAIN | {"home_la": self.ctx.area.local_authority} | pupil
        year_group = self.ctx.rng.randint(8, 11)  # at the school since before the 300 days
        return self.teller.open_story(year_group, school, self.today - SINCE, tier, **values)

    def last_panel(self, school: SchoolInfo, *, before: date | None = None) -> MeetingInfo:
        held = [
            m
            for m in self.teller.schedule.held(school.partnership_id)
            if m.day < (before or self.today)
        ]
        return held[-1]

    def at_tier_4(self, school: SchoolInfo | None = None, **pupil: object) -> Story:
        """A plain pupil programme managed since the latest panel of their partnership (R5)."""
        story = self.story(3, school, **pupil)
        self.teller.enter_tier_4(story, self.last_panel(story.now.school), after=story.now.start)
        return story

    def placed(
        self,
        provider: ProviderInfo,
        days: list[str],
        *,
        school: SchoolInfo | None = None,
        hours: float | None = None,
        weeks: int = 10,
        start_ago: int = 30,
        half_days: int = 0,
    ) -> dict:
        """A current placement of a plain Tier 3 pupil, within every rule unless changed after."""
        story = self.story(3, school)
        self.teller.finish(story, suspensions=False)
        start = self.today - timedelta(days=start_ago)
        start -= timedelta(days=max(0, start.weekday() - 4))
        return self.placements.place(
            story.pupil_id,
            story.now.school,
            provider,
            start,
            session_pattern(days, half_days=half_days),
            weeks=weeks,
            hours=hours,
        )

    # -- the cases, by rule -----------------------------------------------------------------

    def plant(self) -> None:
        """Every deliberate case, after the ordinary stories (R27 needs their school-provider
        pairs to find one of its own)."""
        for case in (
            self.non_member_tier_4,
            self.other_la_tier_4_not_referred,
            self.providers_without_training,
            self.placements_outside_rules,
            self.fair_access_cases,
            self.decisions_outside_rules,
            self.pupil_records,
            self.exclusions,
        ):
            case()

    def non_member_tier_4(self) -> None:
        """R3: a non-member school's pupil at Tier 4 (full cost recovery, R14)."""
        non_member = next(s for s in self.ctx.area.schools if not s.is_member)
        self.teller.finish(self.at_tier_4(non_member))

    def other_la_tier_4_not_referred(self) -> None:
        """R4: a city-address pupil at Tier 4 whom the panel did not refer to the home LA."""
        story = self.story(3, home_la=CITY_LA)
        self.teller.enter_tier_4(
            story,
            self.last_panel(story.now.school),
            after=story.now.start,
            decision=DecisionSpec("programme_manage_tier4", "Full-time programme agreed"),
        )
        self.teller.finish(story)

    def providers_without_training(self) -> None:
        """R10: one provider without staff training, one whose DSL training has lapsed."""
        rows = self.ctx.rows
        rows.find(Provider, self.aps[1].id)["staff_training_date"] = None
        rows.find(Provider, self.aps[2].id)["dsl_training_date"] = self.today - timedelta(days=800)

    def placements_outside_rules(self) -> None:
        """R7, R8, R9, R11, R12, R26, R28 and (last, on a pair of its own) R27."""
        rng = self.ctx.rng
        self.placed(self.registered[0], FOUR_DAYS)  # R7: four days at one provider
        for days, hours in (
            (FOUR_DAYS, None),
            (FOUR_DAYS, None),
            (THREE_DAYS, FULL_TIME_HOURS),
            (THREE_DAYS, FULL_TIME_HOURS),
        ):
            self.placed(self.aps[0], days, hours=hours)  # R8: four substantial pupils, unregistered
        unplanned = self.placed(self.registered[-1], THREE_DAYS, hours=FULL_TIME_HOURS)
        unplanned["plan_agreed_date"] = None  # R9: substantial by hours, with no agreed plan
        overdue = self.placed(self.aps[3], ["Tue"], start_ago=100, weeks=16)  # R11: review missed
        overdue["last_review_date"] = overdue["start_date"] + timedelta(weeks=6)
        overdue["next_review_date"] = overdue["start_date"] + timedelta(weeks=12)
        self.placed(self.unchecked_work_experience(), ["Wed"])  # R12
        self.placed(self.aps[4], ["Thu"])["la_informed_date"] = None  # R26
        self.placed(self.aps[5], THREE_DAYS, half_days=3, weeks=20)  # R28: 3 mornings for 20 weeks
        school, provider = next(
            (s, p)
            for s in rng.sample(self.members, len(self.members))
            for p in self.aps[6:]
            if (s.id, p.id) not in self.placements.first_use
        )
        self.placed(provider, ["Fri"], school=school)  # R27: no confirmation from this school
        self.placements.unconfirmed.add((school.id, provider.id))

    def unchecked_work_experience(self) -> ProviderInfo:
        """R12: a work-experience provider that has not passed its LEBC check."""
        provider_id = self.ctx.rows.add(
            Provider,
            name=self.pools.work_experience.take(1)[0],
            is_registered_school=False,
            staff_training_date=self.today - timedelta(days=90),
            dsl_name=initials(full_name(self.ctx.rng)),
            dsl_training_date=self.today - timedelta(days=90),
            lebc_check_date=None,
        )
        return ProviderInfo(provider_id, "work_experience")

    def fair_access_cases(self) -> None:
        """R13 (not on roll after a week, Admissions not told), R13a, R20, R21, R22."""
        fa, clock, rows = self.fair_access, self.ctx.clock, self.ctx.rows
        school = self.members[0]
        week_ago = self.last_panel(school, before=self.today - timedelta(days=8))
        _row, late = fa.allocated(week_ago, on_roll=date.max)  # R13: not on roll after 7 days
        case = rows.find(FairAccessCase, late)
        case["admissions_told_date"] = None  # R13: nor Admissions told
        logged = max(week_ago.day + timedelta(days=1), date(clock.academic_year, 9, 1))
        fa.refusal(late, case["allocated_school_id"], logged)  # R22: the school's delay, this year
        self.unnotified_meetings()
        partnership_id = school.partnership_id
        fa.waiting(partnership_id, clock.school_days_before_today(3), with_categories=False)  # R20
        fa.waiting(partnership_id, clock.school_days_before_today(16))  # R21 warning
        fa.waiting(partnership_id, clock.school_days_before_today(22))  # R21 critical

    def unnotified_meetings(self) -> None:
        """R13a: an allocation at a panel one member school was never invited to; and an
        upcoming meeting with a member school not yet notified."""
        schedule, rows = self.teller.schedule, self.ctx.rows
        meeting = schedule.latest(self.today)  # in this academic year wherever there is one
        school = self.ctx.area.members_of(meeting.partnership_id)[0]
        invitations = rows.tables["meetinginvitation"]
        invitations.remove(
            next(
                i
                for i in invitations
                if i["meeting_id"] == meeting.id and i["school_id"] == school.id
            )
        )
        schedule.unnotified.add(meeting.id)
        self.fair_access.allocated(meeting)
        coming = schedule.upcoming()[0]
        next(i for i in invitations if i["meeting_id"] == coming.id)["notified_date"] = None

    def decisions_outside_rules(self) -> None:
        """R15 (EHCP pupil at the panel; last year's top-up at Tier 4), R16, R19."""
        teller, rows = self.teller, self.ctx.rows
        ehcp = self.story(3, ehcp=True)  # R15: an EHCP case belongs to its annual review
        meeting = teller.schedule.next(ehcp.now.school.partnership_id, self.today)
        referral = rows.add(
            Referral,
            pupil_id=ehcp.pupil_id,
            school_id=ehcp.now.school.id,
            route="panel",
            received_date=self.today - timedelta(days=5),
            summary="Asks for Tier 4",
            closed_date=None,
        )
        if meeting is not None:
            teller.agenda.add(meeting, "referral", ehcp.pupil_id, referral_id=referral)
        teller.finish(ehcp)
        topped = self.at_tier_4(sen_support=True)
        teller.finish(topped)
        topped.row["top_up_amount"] = Decimal(3000)
        topped.row["top_up_year_start"] = self.ctx.clock.academic_year - 1  # not rolled over
        meeting = teller.schedule.latest(self.today)
        home, receiving = self.ctx.area.members_of(meeting.partnership_id)[:2]
        moving = self.story(2, home)  # R16: recorded as agreed without the parents
        referral = teller.refer_to_panel(
            moving, "managed_move", meeting, "Managed move asked", moving.now.start
        )
        teller.agenda.add(
            meeting,
            "referral",
            moving.pupil_id,
            DecisionSpec(
                "agree_managed_move",
                "Both schools agree; parents to be asked",
                school_id=receiving.id,
                parents_agree=False,
                home_school_agrees=True,
                receiving_school_agrees=True,
            ),
            referral_id=referral,
        )
        teller.finish(moving)
        forum = self.at_tier_4()  # R19: a Tier 4 pupil sent to the Inclusion Forum
        rows.add(
            Referral,
            pupil_id=forum.pupil_id,
            school_id=forum.now.school.id,
            route="inclusion_forum",
            received_date=self.today - timedelta(days=3),
            summary="Asks the forum for a health assessment",
            closed_date=None,
        )
        teller.finish(forum)

    def pupil_records(self) -> None:
        """R17: off roll with no reason; R18: another LA's looked-after child with no LA named."""
        gone = self.story(1)
        gone.off_roll = (self.today - timedelta(days=40), None)
        self.teller.finish(gone)
        self.teller.finish(self.story(2, lac_status="other_la", lac_la=None))

    def exclusions(self) -> None:
        """R25: 46 and 41 suspension days this year; exclusions with no or a late review."""
        clock, rows = self.ctx.clock, self.ctx.rows
        year_start = date(clock.academic_year, 9, 1)
        for total in (46, 41):
            story = self.story(2)
            self.teller.finish(story, suspensions=False)
            days = [5] * (total // 5) + ([total % 5] if total % 5 else [])
            for index, length in enumerate(days):
                start = clock.school_day_on_or_after(year_start + timedelta(weeks=index))
                rows.add(
                    Exclusion,
                    pupil_id=story.pupil_id,
                    school_id=story.now.school.id,
                    kind="suspension",
                    start_date=min(start, self.today),
                    school_days=length,
                )
        for ago, review_after in ((20, None), (25, 18)):
            story = self.story(3)
            self.teller.finish(story, suspensions=False)
            start = clock.school_days_before_today(ago)
            review = clock.calendar.add_school_days(start, review_after) if review_after else None
            rows.add(
                Exclusion,
                pupil_id=story.pupil_id,
                school_id=story.now.school.id,
                kind="permanent",
                start_date=start,
                governors_review_date=review,
            )
