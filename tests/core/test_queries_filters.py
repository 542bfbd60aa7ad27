"""The partnership filter (R1), the change marker the caches key on, privacy-safe initials."""

from query_store import QueryStore

from seips_core.auth.accounts import authenticate
from seips_core.auth.demo import DEMO_ACCOUNTS, DEMO_PARTNERSHIP, add_demo_accounts
from seips_core.db import read_session, write_session
from seips_core.queries.change_marker import change_marker
from seips_core.queries.partnerships import PartnershipChoice, partnership_choices
from seips_core.queries.pupils import pupil_labels
from seips_core.store_kind import StoreKind, record_kind


def test_r1_every_partnership_is_offered_in_code_order(engine):
    with write_session("test", engine) as session:
        add = QueryStore(session)
        add.partnership("SOUTH")
        add.partnership("NORTH")
    with read_session(engine) as session:
        assert partnership_choices(session) == (
            PartnershipChoice("NORTH", "NORTH Partnership"),
            PartnershipChoice("SOUTH", "SOUTH Partnership"),
        )


def test_the_change_marker_moves_on_every_audited_write_and_not_otherwise(engine):
    with read_session(engine) as session:
        empty = change_marker(session)
    with write_session("test", engine) as session:
        QueryStore(session).partnership("NORTH")
    with read_session(engine) as session:
        after_write = change_marker(session)
        again = change_marker(session)
    assert empty == 0
    assert after_write > empty
    assert again == after_write


def test_signing_in_does_not_move_the_change_marker(engine):
    """A sign-in writes the account's last sign-in time; the pages' figures stay cached."""
    with write_session("test", engine) as session:
        record_kind(session, StoreKind.DEMO)
        QueryStore(session).partnership(DEMO_PARTNERSHIP)
    add_demo_accounts(engine)
    with read_session(engine) as session:
        before = change_marker(session)
    account = DEMO_ACCOUNTS[0]
    authenticate(engine, account.email, account.password)
    with read_session(engine) as session:
        assert change_marker(session) == before


def test_pupils_get_initials_or_names_when_asked_for_and_only_pupils(engine):
    with write_session("test", engine) as session:
        add = QueryStore(session)
        school = add.school(add.partnership("NORTH"))
        pupils = [add.pupil(school) for _ in range(1000)]  # more than one batch
    refs = [pupil.case_ref for pupil in pupils]
    with read_session(engine) as session:
        initials = pupil_labels(session, [*refs, school.name], full_names=False)
        names = pupil_labels(session, refs[:2], full_names=True)
    assert set(initials) == set(refs)
    first = pupils[0]
    assert initials[first.case_ref] == f"{first.first_name[0]}. {first.last_name[0]}."
    assert names[first.case_ref] == f"{first.first_name} {first.last_name}"
    assert first.last_name not in " ".join(initials.values())
