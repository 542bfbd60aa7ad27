"""A store made by the sample county is a demo store whose four demo accounts sign in."""

from datetime import date

import pytest
from sqlalchemy import func, select

from seips_core.auth.accounts import authenticate
from seips_core.auth.demo import DEMO_ACCOUNTS, DEMO_PARTNERSHIP, add_demo_accounts, is_demo_store
from seips_core.auth.passwords import check_password
from seips_core.auth.roles import Role
from seips_core.db import read_session, write_session
from seips_core.errors import WrongStore
from seips_core.models import Partnership, User
from seips_core.sample_county import generate_sample
from seips_core.store_kind import StoreKind, record_kind


def test_there_is_one_demo_account_per_role_with_an_acceptable_password():
    assert sorted(a.role for a in DEMO_ACCOUNTS) == sorted(Role)
    for account in DEMO_ACCOUNTS:
        check_password(account.password)
        assert account.email.endswith("@demo.seips.example")


def test_a_sample_store_is_a_demo_store_and_each_demo_account_signs_in(sqlite_engine):
    counts = generate_sample(sqlite_engine, today=date(2026, 11, 25))
    assert counts["dashboard_user"] == len(DEMO_ACCOUNTS)
    with read_session(sqlite_engine) as session:
        assert is_demo_store(session)
    for account in DEMO_ACCOUNTS:
        actor = authenticate(sqlite_engine, account.email, account.password)
        assert actor.role is account.role
        assert actor.partnerships == frozenset(account.partnerships)


def test_a_store_not_made_by_the_sample_is_not_a_demo_store(engine):
    with read_session(engine) as session:
        assert not is_demo_store(session)  # a new store
    with write_session("test", engine) as session:
        record_kind(session, StoreKind.REAL)
    with read_session(engine) as session:
        assert not is_demo_store(session)


@pytest.mark.parametrize("kind", [None, StoreKind.REAL])
def test_demo_accounts_are_refused_in_any_store_but_a_demo_store(engine, kind):
    """Their passwords are public: a real store (or a new one, not yet a demo) never gets them."""
    with write_session("test", engine) as session:
        if kind is not None:
            record_kind(session, kind)
        session.add(Partnership(code=DEMO_PARTNERSHIP, name="North Wold"))
    with pytest.raises(WrongStore, match="only into a demo store"):
        add_demo_accounts(engine)
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0
