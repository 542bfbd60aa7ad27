"""Settings, money rates and term dates a county admin keeps: stored as given, or refused
naming the field and the rule, with nothing written."""

from datetime import date
from decimal import Decimal

import pytest
from service_store import ADMIN_CLI, every_row
from sqlalchemy import select

from seips_core.db import read_session
from seips_core.errors import InvalidValue, RuleViolation
from seips_core.models import FundingRate, Setting, TermDate
from seips_core.services import add_term, set_funding_rate, set_setting

pytestmark = pytest.mark.postgres


def stored(engine, model, *where) -> list:
    with read_session(engine) as session:
        return list(session.scalars(select(model).where(*where).order_by(model.id)))


@pytest.mark.parametrize("value", [4, "5", " 1 ", "12"])
def test_the_r8_threshold_takes_a_whole_number_of_at_least_one(store, value):
    set_setting(store, ADMIN_CLI, "r8_threshold", value)
    set_setting(store, ADMIN_CLI, "r8_threshold", value)  # the second time updates the same row
    [setting] = stored(store, Setting)
    assert (setting.key, setting.value) == ("r8_threshold", str(int(str(value).strip())))


@pytest.mark.parametrize("value", ["0", "-1", "4.5", "four", ""])
def test_a_wrong_r8_threshold_is_refused_naming_r8_and_the_field(store, value):
    before = every_row(store)
    with pytest.raises(RuleViolation) as refused:
        set_setting(store, ADMIN_CLI, "r8_threshold", value)
    assert refused.value.rule == "R8"
    assert str(refused.value).startswith("R8: r8_threshold: give a whole number of pupils")
    assert every_row(store) == before


def test_an_unknown_setting_is_refused_listing_the_settings(store):
    with pytest.raises(InvalidValue, match=r"'r9_days' is not a setting .* are r8_threshold"):
        set_setting(store, ADMIN_CLI, "r9_days", "3")


def test_a_rate_is_added_once_per_kind_and_year_then_updated(store):
    set_funding_rate(store, ADMIN_CLI, "average_pupil_cost", 2026, "£5,640.50")
    set_funding_rate(store, ADMIN_CLI, "average_pupil_cost", 2027, Decimal("5800"))
    set_funding_rate(store, ADMIN_CLI, "average_pupil_cost", 2026, "5700")
    rates = stored(store, FundingRate)
    assert [(r.financial_year_start, r.amount) for r in rates] == [
        (2026, Decimal("5700.00")),
        (2027, Decimal("5800.00")),
    ]


@pytest.mark.parametrize(
    ("kind", "amount", "message"),
    [
        ("apc", "5000", "Rate: 'apc' is not a rate held as data (R14, R15)"),
        ("average_pupil_cost", "-1", "Amount: give pounds and pence from 0"),
        ("average_pupil_cost", "lots", "Amount: give pounds and pence from 0"),
        ("average_pupil_cost", "100000000", "Amount: give pounds and pence from 0"),
        ("average_pupil_cost", "5000.125", "Amount: give whole pence"),
    ],
)
def test_a_wrong_rate_is_refused_naming_the_field(store, kind, amount, message):
    before = every_row(store)
    with pytest.raises(InvalidValue) as refused:
        set_funding_rate(store, ADMIN_CLI, kind, 2026, amount)
    assert str(refused.value).startswith(message)
    assert every_row(store) == before


def test_a_term_is_added_inside_its_academic_year(store):
    term_id = add_term(store, ADMIN_CLI, 2027, " Autumn 1 ", date(2027, 9, 2), date(2027, 10, 22))
    [term] = stored(store, TermDate)
    assert (term.id, term.name, term.academic_year_start) == (term_id, "Autumn 1", 2027)
    assert (term.start_date, term.end_date) == (date(2027, 9, 2), date(2027, 10, 22))


@pytest.mark.parametrize(
    ("year", "start", "end", "message"),
    [
        (
            2027,
            date(2027, 10, 22),
            date(2027, 9, 2),
            "ends (2027-09-02) before it starts (2027-10-22)",
        ),
        (2027, date(2027, 8, 20), date(2027, 9, 10), "is not inside the academic year 2027-28"),
        (2026, date(2027, 9, 2), date(2027, 10, 22), "is not inside the academic year 2026-27"),
        (2027, date(2027, 10, 1), date(2027, 11, 1), "overlaps 'Autumn 1' (2027-09-02 to"),
    ],
    ids=["end before start", "straddles two years", "another year", "overlap"],
)
def test_a_wrong_term_is_refused_naming_r21(store, year, start, end, message):
    add_term(store, ADMIN_CLI, 2027, "Autumn 1", date(2027, 9, 2), date(2027, 10, 22))
    before = every_row(store)
    with pytest.raises(RuleViolation) as refused:
        add_term(store, ADMIN_CLI, year, "Autumn 2", start, end)
    assert refused.value.rule == "R21" and message in str(refused.value)
    assert every_row(store) == before
