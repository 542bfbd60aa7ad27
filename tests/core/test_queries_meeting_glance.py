"""Home's meeting at a glance equals plain SQL over the sample county, on each engine (issue 12)."""

from datetime import date

import pytest
from query_store import module_sample
from sqlalchemy import Engine, text

from seips_core.auth.roles import SYSTEM_ACTOR
from seips_core.db import read_session
from seips_core.queries.meeting_glance import MeetingGlance, meeting_glance

#: A Wednesday in the spring term; the sample brings a panel meeting to it.
ON = date(2026, 3, 4)
ADMIN = SYSTEM_ACTOR("test")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def sample(request, tmp_path_factory) -> Engine:
    """The sample county as on ``ON``, built once per engine for the module's readers."""
    return module_sample(request, tmp_path_factory, today=ON, seed=7)


def sql(engine: Engine, query: str, **values: object):
    with engine.connect() as connection:
        return connection.execute(text(query), values).one()


def day_of(value: date | str) -> date:
    """A date column as read by plain SQL: SQLite hands back its text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def glance(engine: Engine, code: str) -> MeetingGlance:
    with read_session(engine) as session:
        return meeting_glance(session, ADMIN, code, on=ON)


MEETINGS = """
    SELECT m.id, m.meeting_date FROM meeting m JOIN partnership p ON p.id = m.partnership_id
    WHERE p.code = :code AND m.meeting_date {op} :on ORDER BY m.meeting_date {order}, m.id
    LIMIT 1"""
SCHOOLS = (
    "SELECT s.id FROM school s JOIN partnership p ON p.id = s.partnership_id WHERE p.code = :code"
)
WINDOW = "> :last AND {day} <= :on"


@pytest.mark.parametrize("code", ["NW", "HB", "ME", "SW", "CV"])
def test_the_meeting_and_its_figures_are_what_the_tables_hold(sample, code):
    found = glance(sample, code)
    meeting_id, day = sql(sample, MEETINGS.format(op=">=", order="ASC"), code=code, on=ON)
    day = day_of(day)
    assert (found.meeting.id, found.is_today) == (meeting_id, day == ON)
    items, decided = sql(
        sample,
        "SELECT COUNT(*), COUNT(DISTINCT d.agenda_item_id) FROM agendaitem a "
        "LEFT JOIN decision d ON d.agenda_item_id = a.id WHERE a.meeting_id = :id",
        id=meeting_id,
    )
    assert (found.meeting.items, found.meeting.decided) == (items, decided)
    (unnotified,) = sql(
        sample,
        f"SELECT COUNT(*) FROM school s LEFT JOIN meetinginvitation i ON i.school_id = s.id "
        f"AND i.meeting_id = :id WHERE s.id IN ({SCHOOLS}) AND s.is_member "
        "AND (i.notified_date IS NULL OR i.notified_date > :day)",
        id=meeting_id, code=code, day=day,
    )  # fmt: skip
    assert len(found.meeting.unnotified) == unnotified
    members, told, present = sql(
        sample,
        "SELECT COUNT(*), SUM(CASE WHEN i.notified_date <= :day THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN i.attended THEN 1 ELSE 0 END) FROM school s "
        "LEFT JOIN meetinginvitation i ON i.school_id = s.id AND i.meeting_id = :id "
        f"WHERE s.id IN ({SCHOOLS}) AND s.is_member",
        id=meeting_id, code=code, day=day,
    )  # fmt: skip
    assert (found.quorum.members, found.quorum.told, found.quorum.present) == (
        members, told, present,
    )  # fmt: skip
    assert found.quorum.needed == members // 2 + 1  # no partnership sets its own in the sample
    (overdue,) = sql(
        sample,
        "SELECT COUNT(*) FROM action a JOIN meeting m ON m.id = a.meeting_id "
        "JOIN partnership p ON p.id = m.partnership_id "
        "WHERE p.code = :code AND a.done_date IS NULL AND a.due_date < :on",
        code=code, on=ON,
    )  # fmt: skip
    assert found.overdue_actions == overdue


@pytest.mark.parametrize("code", ["NW", "HB", "ME", "SW", "CV"])
def test_what_changed_since_the_last_meeting_is_what_the_tables_hold(sample, code):
    changed = glance(sample, code).since_last
    _id, last = sql(sample, MEETINGS.format(op="<", order="DESC"), code=code, on=ON)
    assert changed.since == day_of(last)

    def of_schools(table: str, day: str) -> int:
        return sql(
            sample,
            f"SELECT COUNT(*) FROM {table} WHERE school_id IN ({SCHOOLS}) "
            f"AND {day} {WINDOW.format(day=day)}",
            code=code, last=last, on=ON,
        )[0]  # fmt: skip

    def fair_access(day: str, extra: str = "") -> int:
        return sql(
            sample,
            f"SELECT COUNT(*) FROM fairaccesscase f JOIN partnership p ON p.id = f.partnership_id "
            f"WHERE p.code = :code AND {day} {WINDOW.format(day=day)} {extra}",
            code=code, last=last, on=ON,
        )[0]  # fmt: skip

    assert (
        changed.referrals,
        changed.fair_access_referred,
        changed.fair_access_allocated,
        changed.placements_started,
        changed.placements_ended,
        changed.tier_changes,
        changed.exclusions,
    ) == (
        of_schools("referral", "received_date"),
        fair_access("referred_date"),
        fair_access("decision_date", "AND allocated_school_id IS NOT NULL"),
        of_schools("placement", "start_date"),
        of_schools("placement", "end_date"),
        of_schools("tierchange", "from_date"),
        of_schools("exclusion", "start_date"),
    )


def test_the_sample_gives_the_glance_something_to_show(sample):
    """So the two tests above compare figures, not zeros with zeros."""
    nw = glance(sample, "NW")
    assert nw.is_today and nw.meeting.items > 0
    changed = [glance(sample, code).since_last for code in ("NW", "HB", "ME", "SW", "CV")]
    assert sum(c.referrals for c in changed) > 0
    assert sum(c.tier_changes for c in changed) > 0
    assert sum(glance(sample, code).overdue_actions for code in ("NW", "HB")) > 0
