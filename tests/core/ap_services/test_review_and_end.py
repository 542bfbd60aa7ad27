"""Recording a placement's review (R11, R26: at least half-termly) and its end (R8's count)."""

from datetime import timedelta

import pytest
from ap_services_store import (
    OAKFIELD,
    TODAY,
    audit_of,
    every_row,
    placement,
    substantial_pupils_in_sql,
)

from seips_core.auth.roles import Role
from seips_core.db import read_session
from seips_core.errors import Conflict, InvalidValue, NotAllowed, Problems
from seips_core.queries.flags import county_flags
from seips_core.rules.placements import HALF_TERMLY_DAYS
from seips_core.services.placements import end_placement, record_review


def flags_of(engine, case_ref: str, on=TODAY) -> set[str]:
    with read_session(engine) as session:
        return {flag.rule for flag in county_flags(session, on) if flag.subject == case_ref}


def test_a_review_is_recorded_with_the_next_at_most_seven_weeks_on(engine, ids, actor):
    placement_id = ids.placements["NW-3"]
    seen = placement(engine, placement_id).version
    later = TODAY + timedelta(days=HALF_TERMLY_DAYS)
    version = record_review(
        engine, actor(), placement_id, reviewed_on=TODAY, next_review_date=later,
        expected_version=seen,
    )  # fmt: skip
    row = placement(engine, placement_id)
    assert (row.last_review_date, row.next_review_date, row.version) == (TODAY, later, version)
    assert version == seen + 1
    assert audit_of(engine, "placement", placement_id)[-1].actor == actor().email
    # Seven weeks on the review is due that day, not overdue (R11), and the gap is half-termly
    # (R26): the placement raises neither.
    assert not {"R11", "R26"} & flags_of(engine, "NW-3", later)


def test_a_next_review_more_than_half_a_term_away_is_refused_naming_r26(engine, ids, actor):
    placement_id = ids.placements["NW-3"]
    before = every_row(engine)
    with pytest.raises(Problems, match=r"^Next review date: .* is 50 days after .*\(R26\)") as no:
        record_review(
            engine, actor(), placement_id, reviewed_on=TODAY,
            next_review_date=TODAY + timedelta(days=HALF_TERMLY_DAYS + 1),
            expected_version=placement(engine, placement_id).version,
        )  # fmt: skip
    assert "at least half-termly, so at most 49 days (7 weeks) later, by 13 Jan 2027" in str(
        no.value
    )
    assert every_row(engine) == before


@pytest.mark.parametrize(
    ("reviewed", "following", "message"),
    [
        (TODAY, TODAY, r"^Next review date: it must come after this review"),
        (TODAY - timedelta(days=60), TODAY, r"^Reviewed on: 26 Sep 2026 is before the placement"),
    ],
)
def test_a_review_out_of_order_is_refused_naming_the_field(
    engine, ids, actor, reviewed, following, message
):
    placement_id = ids.placements["NW-3"]
    with pytest.raises(InvalidValue, match=message):
        record_review(
            engine, actor(), placement_id, reviewed_on=reviewed, next_review_date=following,
            expected_version=placement(engine, placement_id).version,
        )  # fmt: skip


def test_a_review_before_the_last_one_is_refused(engine, ids, actor):
    placement_id = ids.placements["NW-3"]
    version = record_review(
        engine, actor(), placement_id, reviewed_on=TODAY,
        next_review_date=TODAY + timedelta(weeks=6), expected_version=1,
    )  # fmt: skip
    with pytest.raises(InvalidValue, match=r"^Reviewed on: .* before the last review recorded"):
        record_review(
            engine, actor(), placement_id, reviewed_on=TODAY - timedelta(days=1),
            next_review_date=TODAY + timedelta(weeks=5), expected_version=version,
        )  # fmt: skip


def test_a_review_of_a_placement_changed_since_is_a_conflict(engine, ids, actor):
    placement_id = ids.placements["NW-3"]
    following = TODAY + timedelta(weeks=6)
    record_review(
        engine, actor(), placement_id, reviewed_on=TODAY, next_review_date=following,
        expected_version=1,
    )  # fmt: skip
    before = every_row(engine)
    with pytest.raises(Conflict, match=r"^Placement: it was changed by .* since you opened it"):
        record_review(
            engine, actor(), placement_id, reviewed_on=TODAY, next_review_date=following,
            expected_version=1,
        )  # fmt: skip
    assert every_row(engine) == before


def test_ending_a_placement_takes_its_pupil_out_of_r8s_count_the_next_day(engine, ids, actor):
    placement_id = ids.placements["NW-1"]
    version = end_placement(engine, actor(), placement_id, ended_on=TODAY, expected_version=1)
    row = placement(engine, placement_id)
    assert (row.end_date, row.version) == (TODAY, version)
    assert substantial_pupils_in_sql(engine, OAKFIELD, TODAY) == 3  # its last day
    assert substantial_pupils_in_sql(engine, OAKFIELD, TODAY + timedelta(days=1)) == 2
    assert "R7" in flags_of(engine, "NW-1", TODAY)
    assert "R7" not in flags_of(engine, "NW-1", TODAY + timedelta(days=1))


@pytest.mark.parametrize(
    ("placement_ref", "ended_on", "message"),
    [
        ("NW-1", TODAY - timedelta(days=60), r"^Ended on: 26 Sep 2026 is before the placement"),
        ("NW-10", TODAY, r"^Ended on: the placement already ended on 23 Oct 2026"),
    ],
)
def test_an_impossible_end_is_refused_naming_the_field(
    engine, ids, actor, placement_ref, ended_on, message
):
    before = every_row(engine)
    with pytest.raises(InvalidValue, match=message):
        end_placement(
            engine, actor(), ids.placements[placement_ref], ended_on=ended_on, expected_version=1
        )
    assert every_row(engine) == before


def test_ending_a_placement_changed_since_is_a_conflict(engine, ids, actor):
    with pytest.raises(Conflict):
        end_placement(engine, actor(), ids.placements["NW-1"], ended_on=TODAY, expected_version=2)
    assert placement(engine, ids.placements["NW-1"]).end_date is None


def test_reviews_and_ends_are_for_case_workers_of_the_placements_partnership(engine, ids, actor):
    placement_id = ids.placements["HB-1"]
    with pytest.raises(NotAllowed, match="partnership HB's data"):
        end_placement(engine, actor(), placement_id, ended_on=TODAY, expected_version=1)
    with pytest.raises(NotAllowed, match="may record placement reviews"):
        record_review(
            engine, actor(Role.VIEWER, "HB"), placement_id, reviewed_on=TODAY,
            next_review_date=TODAY + timedelta(weeks=6), expected_version=1,
        )  # fmt: skip
    assert (
        end_placement(
            engine, actor(Role.COORDINATOR, "HB"), placement_id, ended_on=TODAY, expected_version=1
        )
        == 2
    )


def test_both_wrong_days_of_a_review_are_said_together(engine, ids, actor):
    """Issue 15: a review held before the placement began, with the next one too far off, is
    two problems in one refusal."""
    placement_id = ids.placements["NW-3"]
    before = every_row(engine)
    with pytest.raises(Problems) as refused:
        record_review(
            engine, actor(), placement_id, reviewed_on=TODAY - timedelta(days=60),
            next_review_date=TODAY, expected_version=placement(engine, placement_id).version,
        )  # fmt: skip
    assert [(p.field, p.rule) for p in refused.value.problems] == [
        ("Reviewed on", None), ("Next review date", "R26"),
    ]  # fmt: skip
    assert every_row(engine) == before
