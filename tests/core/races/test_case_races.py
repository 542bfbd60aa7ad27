"""Writers racing on a case (placements, the roll), on reference data and on accounts.

As ``test_meeting_races``: 8 writers at once on both engines; one saves and the others are
told who saved first, or, where each change stands on its own (a setting, a role, a
password: the service takes no version), every change is kept in turn, the audit trail
showing each one starting from the one before. Never a duplicate row, never an
``IntegrityError``.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from race import TODAY, audit_of, first_saver_wins, last_audit_id, race, saved_in_turn
from sqlalchemy import func, select

from seips_core.auth import accounts
from seips_core.auth.roles import Role
from seips_core.db import read_session
from seips_core.errors import RuleViolation
from seips_core.models import (
    FundingRate,
    Partnership,
    Placement,
    Provider,
    Pupil,
    School,
    Setting,
    TermDate,
    User,
    UserPartnership,
)
from seips_core.services import add_term, set_funding_rate, set_setting
from seips_core.services.placements import (
    PlacementInput,
    end_placement,
    record_review,
    save_placement,
)
from seips_core.services.pupils import take_off_roll

WRITERS = 8
NEW_USER = "new.person@race.example"


def _nw_pupils_on_roll():
    return (
        select(Pupil)
        .join(School, School.id == Pupil.school_id)
        .join(Partnership, Partnership.id == School.partnership_id)
        .where(Partnership.code == "NW", Pupil.off_roll_date.is_(None))
        .order_by(Pupil.id)
    )


def _pupil_without_placements(engine) -> Pupil:
    placed = select(Placement.pupil_id)
    with read_session(engine) as session:
        return session.scalars(_nw_pupils_on_roll().where(Pupil.id.not_in(placed))).first()


def _running_placement(engine) -> Placement:
    """A placement running today, of a NW pupil still on roll."""
    on_roll = _nw_pupils_on_roll().with_only_columns(Pupil.id)
    with read_session(engine) as session:
        return session.scalars(
            select(Placement)
            .where(
                Placement.end_date.is_(None),
                Placement.start_date < TODAY,
                Placement.pupil_id.in_(on_roll),
            )
            .order_by(Placement.id)
        ).first()


def _provider(engine) -> Provider:
    with read_session(engine) as session:
        return session.scalars(select(Provider).order_by(Provider.id)).first()


def _count(engine, model, *where) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def _as_seen(placement: Placement, **changes) -> PlacementInput:
    """The placement as its form would send it back, with ``changes``."""
    fields = {name: getattr(placement, name) for name in PlacementInput.__dataclass_fields__}
    return PlacementInput(**{**fields, **changes})


def test_save_placement_new_the_same_placement(county, people):
    coordinators = people(Role.COORDINATOR, WRITERS)
    pupil, provider = _pupil_without_placements(county), _provider(county)
    start = TODAY + timedelta(days=7)
    data = PlacementInput(pupil.id, provider.id, "MonAM TueAM", 5, start)
    since = last_audit_id(county)
    outcome = race(
        county,
        WRITERS,
        lambda engine, i: save_placement(
            engine, coordinators[i], None, data, expected_version=None, on=TODAY
        ),
    )
    rows = _count(county, Placement, Placement.pupil_id == pupil.id)
    first_saver_wins(outcome, coordinators, rows, audit_of(county, Placement, since))


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda engine, by, placement, i: save_placement(
                engine, by, placement.id, _as_seen(placement, hours_per_week=1 + i),
                expected_version=placement.version, r8_reason="Agreed by the panel.", on=TODAY,
            ),
            id="save_placement",
        ),
        pytest.param(
            lambda engine, by, placement, i: record_review(
                engine, by, placement.id, reviewed_on=TODAY,
                next_review_date=TODAY + timedelta(days=14 + i),
                expected_version=placement.version,
            ),
            id="record_review",
        ),
        pytest.param(
            lambda engine, by, placement, i: end_placement(
                engine, by, placement.id, ended_on=TODAY - timedelta(days=i % 2),
                expected_version=placement.version,
            ),
            id="end_placement",
        ),
    ],
)  # fmt: skip
def test_one_placement_changed_from_the_same_version(county, people, change):
    coordinators = people(Role.COORDINATOR, WRITERS)
    placement = _running_placement(county)
    since = last_audit_id(county)
    outcome = race(county, WRITERS, lambda engine, i: change(engine, coordinators[i], placement, i))
    audited = audit_of(county, Placement, since)
    first_saver_wins(outcome, coordinators, len(audited), audited)


def test_take_off_roll(county, people):
    coordinators = people(Role.COORDINATOR, WRITERS)
    pupil = _pupil_without_placements(county)
    since = last_audit_id(county)
    outcome = race(
        county,
        WRITERS,
        lambda engine, i: take_off_roll(
            engine,
            coordinators[i],
            pupil.id,
            reason="enrolled_elsewhere",
            on=TODAY - timedelta(days=i),
            expected_version=pupil.version,
        ),
    )
    audited = audit_of(county, Pupil, since)
    first_saver_wins(outcome, coordinators, len(audited), audited)


def test_set_setting_changes_are_kept_in_turn(county, people):
    admins = people(Role.COUNTY_ADMIN, WRITERS)
    since = last_audit_id(county)
    outcome = race(
        county,
        WRITERS,
        lambda engine, i: set_setting(engine, admins[i], "r8_threshold", 10 + i),
    )
    summary = saved_in_turn(outcome, admins, audit_of(county, Setting, since))
    assert _count(county, Setting, Setting.key == "r8_threshold") == 1, summary


def test_set_funding_rate_of_a_new_year_is_one_row_changed_in_turn(county, people):
    admins = people(Role.COUNTY_ADMIN, WRITERS)
    since = last_audit_id(county)
    outcome = race(
        county,
        WRITERS,
        lambda engine, i: set_funding_rate(
            engine, admins[i], "average_pupil_cost", 2040, Decimal(1000 + i)
        ),
    )
    summary = saved_in_turn(outcome, admins, audit_of(county, FundingRate, since))
    rows = _count(
        county,
        FundingRate,
        FundingRate.kind == "average_pupil_cost",
        FundingRate.financial_year_start == 2040,
    )
    assert rows == 1, summary


def test_add_term_the_same_term(county, people):
    admins = people(Role.COUNTY_ADMIN, WRITERS)
    since = last_audit_id(county)
    outcome = race(
        county,
        WRITERS,
        lambda engine, i: add_term(
            engine, admins[i], 2040, f"Autumn {i}", date(2040, 9, 3), date(2040, 10, 19)
        ),
    )
    rows = _count(county, TermDate, TermDate.academic_year_start == 2040)
    first_saver_wins(
        outcome, admins, rows, audit_of(county, TermDate, since), refusal=RuleViolation
    )


def test_add_user_the_same_email(county, people):
    admins = people(Role.COUNTY_ADMIN, WRITERS)
    since = last_audit_id(county)
    outcome = race(
        county,
        WRITERS,
        lambda engine, i: accounts.add_user(
            engine,
            admins[i],
            email=NEW_USER,
            display_name=f"New Person {i}",
            role="viewer",
            partnerships=["NW"],
        ),
    )
    rows = _count(county, User, User.email == NEW_USER)
    first_saver_wins(outcome, admins, rows, audit_of(county, User, since))


@pytest.fixture
def target(county, people):
    """A viewer of NW, the account the admins race on; and the admins."""
    (viewer,) = people(Role.VIEWER, 1)
    return viewer, people(Role.COUNTY_ADMIN, WRITERS)


def test_remove_user(county, target):
    viewer, admins = target
    since = last_audit_id(county)
    outcome = race(
        county, WRITERS, lambda engine, i: accounts.remove_user(engine, admins[i], viewer.email)
    )
    audited = audit_of(county, User, since)
    first_saver_wins(outcome, admins, len(audited), audited)


@pytest.mark.parametrize(
    ("change", "repeats_nothing"),
    [
        pytest.param(
            lambda engine, admin, email, i: accounts.set_role(
                engine, admin, email, ("viewer", "coordinator", "chair")[i % 3]
            ),
            False,
            id="set_role",
        ),
        pytest.param(
            lambda engine, admin, email, i: accounts.set_partnerships(
                engine, admin, email, [("NW",), ("HB",), ("NW", "HB")][i % 3]
            ),
            False,
            id="set_partnerships",
        ),
        pytest.param(
            lambda engine, admin, email, i: accounts.set_password(
                engine, admin, email, f"password number {i}"
            ),
            True,
            id="set_password",
        ),
    ],
)
def test_account_changes_are_kept_in_turn(county, target, change, repeats_nothing):
    viewer, admins = target
    since = last_audit_id(county)
    outcome = race(county, WRITERS, lambda engine, i: change(engine, admins[i], viewer.email, i))
    audited = audit_of(county, User, since) + audit_of(county, UserPartnership, since)
    in_order = sorted(audited, key=lambda entry: entry.id)
    summary = saved_in_turn(outcome, admins, in_order, all_differ=repeats_nothing)
    with read_session(county) as session:
        user_id = session.scalar(select(User.id).where(User.email == viewer.email))
        links = session.scalars(
            select(UserPartnership.partnership_id).where(UserPartnership.user_id == user_id)
        ).all()
    assert len(links) == len(set(links)), summary
