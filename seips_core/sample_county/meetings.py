"""Panel and Inclusion Forum meetings: the schedule, invitations, agendas and decisions.

Each partnership meets once a half term as a panel and once a year as an Inclusion Forum
(R19), on a weekday of its own. Stories ask the schedule for "the next panel after this date";
only meetings up to today have decisions (R13a, R16).
"""

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from ..models import AgendaItem, Decision, Meeting, MeetingInvitation
from ..rules.agenda import agenda_case_keys
from .actions import add_actions
from .calendar import half_terms
from .context import Ctx
from .names import full_name, initials

#: Weeks into a half term when the panel meets, and when the spring Inclusion Forum meets.
PANEL_WEEK, FORUM_WEEK = 2, 4
FORUM_HALF_TERM = "Spring 1"
#: How far ahead meetings are already in the diary.
DIARY_AHEAD = timedelta(weeks=8)
PURPOSE_ORDER = ("fair_access", "referral", "tier4_review", "ap_review")


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    partnership_id: int
    kind: str
    day: date


@dataclass(frozen=True)
class DecisionSpec:
    """What the panel decides on an item, written only if the meeting has happened."""

    outcome: str
    rationale: str
    school_id: int | None = None
    parents_agree: bool | None = None
    home_school_agrees: bool | None = None
    receiving_school_agrees: bool | None = None


@dataclass
class Schedule:
    """The meetings of an area, found by partnership, kind and date."""

    today: date
    _days: dict[tuple[int, str], list[date]] = field(default_factory=lambda: defaultdict(list))
    _meetings: dict[tuple[int, str], list[MeetingInfo]] = field(
        default_factory=lambda: defaultdict(list)
    )
    #: R13a: meetings where a member school was left un-notified on purpose.
    unnotified: set[int] = field(default_factory=set)

    def add(self, meeting: MeetingInfo) -> None:
        key = (meeting.partnership_id, meeting.kind)
        self._days[key].append(meeting.day)
        self._meetings[key].append(meeting)

    def next(
        self, partnership_id: int, on_or_after: date, kind: str = "panel"
    ) -> MeetingInfo | None:
        """The partnership's first meeting of ``kind`` on or after a day, if in the diary."""
        key = (partnership_id, kind)
        index = bisect_left(self._days[key], on_or_after)
        return self._meetings[key][index] if index < len(self._meetings[key]) else None

    def next_held(
        self, partnership_id: int, on_or_after: date, kind: str = "panel"
    ) -> MeetingInfo | None:
        """As ``next``, but only a meeting already held (before today), which has decisions."""
        meeting = self.next(partnership_id, on_or_after, kind)
        return meeting if meeting is not None and meeting.day < self.today else None

    def latest(self, on_or_before: date, kind: str = "panel") -> MeetingInfo:
        """The county's most recent meeting of ``kind`` up to a day (today's, while it sits)."""
        return max(
            (
                m
                for (_p, k), ms in self._meetings.items()
                if k == kind
                for m in ms
                if m.day <= on_or_before
            ),
            key=lambda m: (m.day, m.id),
        )

    def held(self, partnership_id: int, kind: str = "panel") -> list[MeetingInfo]:
        return [m for m in self._meetings[(partnership_id, kind)] if m.day < self.today]

    def upcoming(self) -> list[MeetingInfo]:
        return sorted(
            (m for ms in self._meetings.values() for m in ms if m.day >= self.today),
            key=lambda m: (m.day, m.id),
        )


def _meeting_days(ctx: Ctx, offset: int) -> list[tuple[str, date]]:
    """A partnership's regular (kind, day) pairs from the start of history into the diary."""
    clock = ctx.clock
    days = []
    for year in range(clock.history_start.year, clock.academic_year + 2):
        for name, start, _end in half_terms(year):
            monday = start - timedelta(days=start.weekday())
            days.append(("panel", monday + timedelta(weeks=PANEL_WEEK, days=offset)))
            if name == FORUM_HALF_TERM:
                days.append(("inclusion_forum", monday + timedelta(weeks=FORUM_WEEK, days=offset)))
    days.sort(key=lambda kd: kd[1])
    first_ahead = next(i for i, (_k, day) in enumerate(days) if day >= clock.today)
    return [
        (kind, day)
        for i, (kind, day) in enumerate(days)
        if clock.history_start <= day and (day <= clock.today + DIARY_AHEAD or i == first_ahead)
    ]


def _bring_one_to_today(ctx: Ctx, plans: dict[int, list[tuple[str, date]]]) -> None:
    """A weekday's sample has a panel meeting today: the soonest coming panel moves to today."""
    today = ctx.clock.today
    if today.weekday() > 4 or any(day == today for p in plans.values() for _k, day in p):
        return
    soonest = min(
        (
            (day, pid, i)
            for pid, p in plans.items()
            for i, (kind, day) in enumerate(p)
            if kind == "panel" and day > today
        ),
        default=None,
    )
    if soonest is not None:
        _day, pid, i = soonest
        plans[pid][i] = ("panel", today)


def build_schedule(ctx: Ctx) -> Schedule:
    """Every meeting of the area, with an invitation to each member school of the partnership."""
    clock, rows, rng = ctx.clock, ctx.rows, ctx.rng
    plans = {
        pid: _meeting_days(ctx, offset=i % 5) for i, pid in enumerate(ctx.area.partnership_ids)
    }
    _bring_one_to_today(ctx, plans)
    schedule = Schedule(clock.today)
    for pid, plan in plans.items():
        members = ctx.area.members_of(pid)
        for kind, day in sorted(plan, key=lambda kind_day: kind_day[1]):
            status = "closed" if day < clock.today else "open" if day == clock.today else "planned"
            meeting_id = rows.add(
                Meeting, partnership_id=pid, kind=kind, meeting_date=day, status=status
            )
            schedule.add(MeetingInfo(meeting_id, pid, kind, day))
            for school in members:
                rows.add(
                    MeetingInvitation,
                    meeting_id=meeting_id,
                    school_id=school.id,
                    notified_date=min(day - timedelta(days=rng.randint(14, 28)), clock.today),
                    # R13a: a notified school may be absent; most come.
                    attended=(rng.random() < 0.9) if day < clock.today else None,
                )
    return schedule


@dataclass
class _Item:
    meeting: MeetingInfo
    purpose: str
    pupil_id: int
    referral_id: int | None
    fair_access_case_id: int | None
    placement_id: int | None
    decision: DecisionSpec | None

    def case_keys(self) -> frozenset[tuple]:
        return agenda_case_keys(
            self.purpose,
            self.pupil_id,
            self.referral_id,
            self.fair_access_case_id,
            self.placement_id,
        )


@dataclass
class Agenda:
    """Agenda items gathered from the stories, written in agenda order once all are known.

    A case goes on a meeting's agenda once, as the store insists (``AgendaItem``): a story
    that brings a pupil's Tier 4 review to a meeting that already reviews it adds nothing.
    """

    schedule: Schedule
    _items: list[_Item] = field(default_factory=list)
    _cases: set[tuple[int, tuple]] = field(default_factory=set)

    def add(
        self,
        meeting: MeetingInfo,
        purpose: str,
        pupil_id: int,
        decision: DecisionSpec | None = None,
        *,
        referral_id: int | None = None,
        fair_access_case_id: int | None = None,
        placement_id: int | None = None,
    ) -> None:
        item = _Item(
            meeting, purpose, pupil_id, referral_id, fair_access_case_id, placement_id, decision
        )
        cases = {(meeting.id, key) for key in item.case_keys()}
        if cases & self._cases:
            return
        self._cases |= cases
        self._items.append(item)

    def write(self, ctx: Ctx) -> None:
        """Agenda items in order (Fair Access first) and, up to today, their decisions and
        the actions they set."""
        decided: list[tuple[int, int, str, date]] = []
        by_meeting: defaultdict[int, list[_Item]] = defaultdict(list)
        for item in self._items:
            by_meeting[item.meeting.id].append(item)
        for meeting_id in sorted(by_meeting):
            items = sorted(
                by_meeting[meeting_id], key=lambda i: (PURPOSE_ORDER.index(i.purpose), i.pupil_id)
            )
            chair = f"{initials(full_name(ctx.rng))} (chair)"
            for position, item in enumerate(items, start=1):
                item_id = ctx.rows.add(
                    AgendaItem,
                    meeting_id=meeting_id,
                    position=position,
                    purpose=item.purpose,
                    pupil_id=item.pupil_id,
                    referral_id=item.referral_id,
                    fair_access_case_id=item.fair_access_case_id,
                    placement_id=item.placement_id,
                )
                # A meeting sitting today has its decisions recorded as it goes.
                if item.decision is not None and item.meeting.day <= ctx.clock.today:
                    self._decide(ctx, item, item_id, position, chair)
                    decided.append((meeting_id, item_id, item.purpose, item.meeting.day))
        add_actions(ctx, decided)

    def _decide(self, ctx: Ctx, item: _Item, item_id: int, position: int, chair: str) -> None:
        spec = item.decision
        ctx.rows.add(
            Decision,
            agenda_item_id=item_id,
            outcome=spec.outcome,
            rationale=spec.rationale,
            decided_by=chair,
            decided_at=datetime.combine(item.meeting.day, time(9, 30), tzinfo=UTC)
            + timedelta(minutes=10 * position),
            school_id=spec.school_id,
            # R13a: an allocation where a school was not notified is not enforceable (the
            # rule binds allocations only: any other outcome stands).
            enforceable=not (
                spec.outcome == "allocate_fair_access"
                and item.meeting.id in self.schedule.unnotified
            ),
            parents_agree=spec.parents_agree,
            home_school_agrees=spec.home_school_agrees,
            receiving_school_agrees=spec.receiving_school_agrees,
        )
