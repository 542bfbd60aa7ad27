"""The termly report's data (issue 7, item 4): which term, as on which day, who may make it,
and that its figures are the dashboard's own queries' (sample county, SQLite and PostgreSQL)."""

from datetime import timedelta

import pytest
from termly_helpers import CHAIR, TODAY, day, rows, term_bounds

from seips_core.auth.roles import Actor, Role
from seips_core.db import read_session
from seips_core.errors import InvalidValue, NotAllowed
from seips_core.queries.tiers import tier_counts
from seips_core.reports.termly import termly_report

SECTIONS = [
    "Tier counts",
    "Trend",
    "Moves between tiers",
    "Time at Tier 4",
    "Exclusions",
    "Fair Access",
    "Alternative provision",
    "Charges",
]


def test_a_running_term_is_reported_as_on_today_with_every_section(built):
    report = built.report
    assert report.title == "North Wold — termly report, Spring 2026"
    assert (report.term.first_day, report.term.last_day) == (built.first_day, built.last_day)
    assert report.as_at == TODAY and report.running
    assert "figures are the term so far, as on 4 March 2026" in report.subtitle
    assert [section.key for section in report.sections] == SECTIONS


def test_a_past_term_is_reported_as_on_its_last_day_whichever_of_its_days_names_it(sample):
    first, last = term_bounds(sample, "Autumn")
    with read_session(sample) as session:
        report = termly_report(
            session, CHAIR, "NW", term_start=first + timedelta(days=20), today=TODAY
        )
        expected = tier_counts(session, CHAIR, "NW", on=last).totals
    assert report.title == "North Wold — termly report, Autumn 2025"
    assert report.as_at == last and not report.running
    assert report.subtitle.endswith("Figures as on the term's last day.")
    total = report.section("Tier counts").tables[0].total
    assert total[3:7] == expected.pupils_by_tier


def test_a_term_not_begun_and_a_day_in_no_term_are_refused_naming_the_field(sample):
    summer, _last = term_bounds(sample, "Summer")
    with read_session(sample) as session:
        with pytest.raises(InvalidValue, match=r"^Term: Summer 2025-26 begins on"):
            termly_report(session, CHAIR, "NW", term_start=summer, today=TODAY)
        holiday = day(rows(sample, "SELECT MAX(end_date) FROM termdate")[0][0]) + timedelta(1)
        with pytest.raises(InvalidValue, match=r"^Term: no stored term includes"):
            termly_report(session, CHAIR, "NW", term_start=holiday, today=TODAY)


def test_only_the_partnerships_chair_or_a_county_admin_makes_it(sample):
    first, _last = term_bounds(sample, "Spring")
    other_chair = Actor("c@shire.example", "Chair", Role.CHAIR, frozenset({"HB"}))
    viewer = Actor("v@shire.example", "Viewer", Role.VIEWER, frozenset({"NW"}))
    admin = Actor("a@shire.example", "Admin", Role.COUNTY_ADMIN)
    with read_session(sample) as session:
        with pytest.raises(NotAllowed, match="partnership NW"):
            termly_report(session, other_chair, "NW", term_start=first, today=TODAY)
        with pytest.raises(NotAllowed):  # a report that leaves the dashboard is an export
            termly_report(session, viewer, "NW", term_start=first, today=TODAY)
        assert termly_report(session, admin, "NW", term_start=first, today=TODAY).sections
        with pytest.raises(InvalidValue, match=r"^Partnership: there is no partnership"):
            termly_report(session, admin, "ZZ", term_start=first, today=TODAY)
