"""The pages' cache keyed by partnership (issue 13): a write in one partnership leaves other
partnerships' cached answers warm, a write that reaches them does not, and a county admin's
view recomputes only the part of the partnership written in.

Warm or cold is told by counting the queries ``dashboard.store`` runs (its ``_read``), never
by timing. The first tests call the store's functions directly on a small store, on SQLite and
PostgreSQL; the last opens the pages of the sample county with ``AppTest``.
"""

from collections import Counter
from collections.abc import Callable
from datetime import date

import pytest
from conftest import TODAY, demo_actor, new_app, sign_in
from page_helpers import HOME, MEETINGS, PROVIDERS, open_page
from sqlalchemy import Engine, select

import dashboard.store
from dashboard.store import cached_query, flag_list_for, home_figures_for
from seips_core.auth.roles import Actor, Role
from seips_core.change_scopes import pupil_scopes
from seips_core.db import get_engine, write_session
from seips_core.models import (
    FairAccessCase,
    Meeting,
    Partnership,
    Placement,
    Provider,
    Pupil,
    School,
    Setting,
)
from seips_core.queries.meetings import meetings_of

ON = date(2026, 3, 4)
#: The store's own reads of its markers: not answers.
_MARKER_READS = {"markers", "meeting_partnership"}


Reads = Counter


@pytest.fixture
def reads(monkeypatch) -> Reads:
    """Each query ``dashboard.store`` runs from now on, by name and arguments (the session
    aside), counted."""
    counted: Reads = Counter()
    real = dashboard.store._read

    def shown(arg: object) -> object:
        """The argument, or its type's name when it cannot be a key (a previous answer)."""
        if isinstance(arg, list):
            return tuple(arg)
        return arg if isinstance(arg, str | int | date | bool | None) else type(arg).__name__

    def read(url: str, query: Callable, *args: object, **kwargs: object) -> object:
        if query.__name__ not in _MARKER_READS:
            counted[(query.__name__, *map(shown, args))] += 1
        return real(url, query, *args, **kwargs)

    monkeypatch.setattr(dashboard.store, "_read", read)
    return counted


@pytest.fixture
def two(engine, store_url, monkeypatch) -> dict[str, int]:
    """Partnerships A and B with a school and a pupil each; B's pupil placed at a provider
    (full time: R8 counts it), so that B uses the provider. The dashboard reads this store."""
    monkeypatch.setenv("SEIPS_DATABASE_URL", store_url)
    with write_session("test", engine) as session:
        ids: dict[str, int] = {}
        for code in ("A", "B"):
            partnership = Partnership(code=code, name=f"{code} Partnership")
            session.add(partnership)
            session.flush()
            school = School(
                urn=100000 + partnership.id, name=f"{code} School", partnership_id=partnership.id,
                is_member=True, number_on_roll=900, local_authority="Shire County",
            )  # fmt: skip
            session.add(school)
            session.flush()
            pupil = Pupil(
                case_ref=f"{code}-0001", first_name="Test", last_name=code,
                date_of_birth=date(2012, 1, 1), year_group=9, school_id=school.id,
                home_la="Shire County",
            )  # fmt: skip
            session.add(pupil)
            session.flush()
            ids |= {code: partnership.id, f"school_{code}": school.id, f"pupil_{code}": pupil.id}
        provider = Provider(name="Shared AP")
        session.add(provider)
        session.flush()
        ids["provider"] = provider.id
        session.add(placement(ids, "B"))
    return ids


def placement(ids: dict[str, int], code: str) -> Placement:
    """A full-time placement at the shared provider of partnership ``code``'s pupil."""
    return Placement(
        pupil_id=ids[f"pupil_{code}"], provider_id=ids["provider"], school_id=ids[f"school_{code}"],
        sessions="MonAM MonPM TueAM TuePM WedAM WedPM ThuAM ThuPM FriAM FriPM",
        hours_per_week=25, start_date=date(2026, 1, 5),
    )  # fmt: skip


def ask_all() -> None:
    """What B's pages and a county admin's Home ask the store."""
    home_figures_for(ON, "B")
    flag_list_for(ON, "B")
    home_figures_for(ON, None)
    flag_list_for(ON, None)


def asked(reads: Reads, name: str, *args: object) -> int:
    return sum(n for key, n in reads.items() if key[0] == name and key[1 : 1 + len(args)] == args)


def write(engine: Engine, change: Callable) -> None:
    with write_session("test", engine) as session:
        change(session)


def test_a_write_in_one_partnership_leaves_the_others_answers_warm(engine, two, reads):
    ask_all()
    assert asked(reads, "flag_list", ON, "B") == 1
    reads.clear()
    ask_all()
    assert reads == Counter(), "nothing changed: every answer is served from the cache"

    write(engine, lambda s: s.add(Meeting(partnership_id=two["A"], meeting_date=ON)))
    ask_all()
    # B's answers stay warm; the county's flags are refreshed with A's alone, not worked out
    # again for the whole store (its home figures are: a few counts).
    assert asked(reads, "flag_list", ON, "B") == 0
    assert asked(reads, "home_figures", ON, "B") == 0
    assert asked(reads, "refreshed", "FlagList", ("A",)) == 1
    assert asked(reads, "flag_list", ON, None) == 0


def test_a_write_in_one_partnership_that_reaches_another_makes_it_recompute(engine, two, reads):
    """R8 counts a provider's pupils across partnerships; a pupil's history spans the
    partnerships of their Fair Access cases: such writes in A reach B's answers."""
    ask_all()
    fair_access = FairAccessCase(
        pupil_id=two["pupil_B"], partnership_id=two["A"], year_group=9, referred_date=ON
    )
    writes = {
        "a Fair Access case in A of a pupil on B's roll": lambda s: s.add(fair_access),
        "a placement in A at the provider B uses (R8)": lambda s: s.add(placement(two, "A")),
        "a county-wide setting": lambda s: s.add(Setting(key="r8_threshold", value="1")),
    }
    for what, change in writes.items():
        reads.clear()
        write(engine, change)
        ask_all()
        assert asked(reads, "flag_list", ON, "B") == 1, what
        assert asked(reads, "home_figures", ON, "B") == 1, what
        # The placement and the setting are county-wide: the whole store's flags again.
        county_wide = what != "a Fair Access case in A of a pupil on B's roll"
        assert asked(reads, "flag_list", ON, None) == county_wide, what
        assert asked(reads, "refreshed", "FlagList", ("A", "B")) == (not county_wide), what


def test_a_partnerships_meetings_stay_warm_until_one_of_its_own_changes(engine, two, reads):
    actor = Actor("admin@example.org", "Admin", Role.COUNTY_ADMIN, frozenset())
    write(engine, lambda s: s.add(Meeting(partnership_id=two["B"], meeting_date=ON)))
    cached_query(meetings_of, actor, "B", scope="B")
    write(engine, lambda s: s.add(Meeting(partnership_id=two["A"], meeting_date=ON)))
    reads.clear()
    cached_query(meetings_of, actor, "B", scope="B")
    assert reads == Counter()
    write(engine, lambda s: s.add(Meeting(partnership_id=two["B"], meeting_date=ON)))
    assert len(cached_query(meetings_of, actor, "B", scope="B")) == 2
    assert asked(reads, "meetings_of") == 1


def test_a_county_admin_sees_another_partnerships_pages_warm_after_a_write_elsewhere(
    own_store, reads
):
    """On the sample county: HB's Home, AP providers and Meetings stay warm after a write in
    NW, and a county admin's Home recomputes NW's part alone."""
    engine = get_engine(own_store)
    app = sign_in(new_app(), demo_actor(own_store, Role.COUNTY_ADMIN))
    for page in (HOME, PROVIDERS, MEETINGS):
        open_page(app, page, "HB")
        with write_session("test", engine) as session:
            nw = session.scalar(select(Partnership.id).where(Partnership.code == "NW"))
            session.add(Meeting(partnership_id=nw, meeting_date=TODAY))
        reads.clear()
        app.run()
        assert not app.exception
        assert reads == Counter(), page
    county = sign_in(new_app(), demo_actor(own_store, Role.COUNTY_ADMIN))
    open_page(county, HOME)
    with write_session("test", engine) as session:
        pupil = session.scalars(select(Pupil).order_by(Pupil.id).limit(1)).one()
        pupil.first_name = "Renamed"
        session.flush()
        touched = pupil_scopes(session.connection(), pupil.id)
        everyone = dict(session.execute(select(Partnership.id, Partnership.code)).all())
    reads.clear()
    county.run()
    assert not county.exception
    # The county's flags refreshed with the partnerships that show the pupil, never the whole
    # store's worked out again.
    assert asked(reads, "refreshed", "FlagList", tuple(sorted(everyone[s] for s in touched))) == 1
    assert len(touched) < len(everyone)
    assert asked(reads, "flag_list", TODAY, None) == 0
