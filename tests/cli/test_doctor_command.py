"""``seips doctor`` from the shell: a store set up as docs/operations.md says passes (exit 0);
a store with every mistake at once fails (exit 1), each check's message and fix printed.

(Not ``test_doctor.py``: tests/core has one, and test modules here have unique names.)
"""

import os
import secrets
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

import pytest
from pg_roles import dashboard_role
from tampering import rewrite_an_entry

from seips_core import doctor
from seips_core.auth.roles import Role
from seips_core.db import get_engine, write_session
from seips_core.models import User
from seips_core.retention import KINDS

pytestmark = pytest.mark.postgres

EXAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "example"


@pytest.fixture
def county(seips, monkeypatch, tmp_path, request) -> Iterator[str]:
    """A real store as the guide makes one (``seips init``, ``seips import`` of the data and the
    retention schedule, ``seips backup`` on SQLite) in a folder of its own with the recipe's
    environment file, which alone names the store (on PostgreSQL, as the dashboard's own
    role); the store's URL as its owner."""
    if request.param == "postgresql":
        monkeypatch.setenv("SEIPS_DATABASE_URL", request.getfixturevalue("postgres_url"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "1000")  # one line per row: the tests read whole messages
    monkeypatch.delenv("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", raising=False)
    monkeypatch.setattr(doctor, "in_a_container", lambda: False)  # as on the council's machine
    os.chmod(tmp_path, 0o700)
    url = os.environ["SEIPS_DATABASE_URL"]
    retention = tmp_path / "retention"
    retention.mkdir()
    (retention / "settings.csv").write_text(
        "key,value\n" + "".join(f"{kind.setting},{kind.default_age}\n" for kind in KINDS)
    )
    assert seips("init").exit_code == 0
    for data in (EXAMPLE, retention):  # the county's data, then its retention schedule
        assert seips("import", str(data), "--quiet").exit_code == 0
    os.makedirs("backups", mode=0o700)
    if request.param == "sqlite":
        assert seips("backup", "--quiet").exit_code == 0
    monkeypatch.delenv("SEIPS_DATABASE_URL")
    postgres = request.param == "postgresql"
    with dashboard_role(url) if postgres else nullcontext(url) as servers_url:
        Path("seips.env").write_text(
            f"SEIPS_DATABASE_URL={servers_url}\nSEIPS_AUTH=local\n"
            f"SEIPS_COOKIE_SECRET={secrets.token_urlsafe(48)}\n"
            "SEIPS_SERVER_ADDRESS=127.0.0.1\nSEIPS_PUBLIC_URL=https://seips.shire.example\n"
        )
        os.chmod("seips.env", 0o640)
        yield url


BOTH = pytest.mark.parametrize("county", ["sqlite", "postgresql"], indirect=True)


@BOTH
def test_a_store_set_up_as_the_guide_says_passes(seips, county):
    result = seips("doctor", "--env-file", "seips.env", "--backups", "backups")
    assert result.exit_code == 0, result.output
    assert "All 14 checks passed." in result.output
    assert "FAIL" not in result.output


@BOTH
def test_every_mistake_is_named_with_its_fix_and_the_doctor_exits_1(seips, county):
    engine = get_engine(county)
    with write_session("somebody", engine) as session:
        session.add(User(email="chair@demo.seips.example", display_name="Demo", role=Role.CHAIR))
    entry = rewrite_an_entry(engine)
    with open("seips.env", "a") as env:
        env.write("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS=full\n")
        env.write("SEIPS_SERVER_ADDRESS=0.0.0.0\nSEIPS_PUBLIC_URL=http://seips.shire.example\n")
    os.chmod("seips.env", 0o644)
    result = seips("doctor", "--env-file", "seips.env", "--backups", "backups")
    assert result.exit_code == 1
    for said in (
        "Demo account(s) in a store of real data: chair@demo.seips.example",
        "`seips user remove chair@demo.seips.example`",
        f"Broken at entry {entry}: its content was changed",
        'client.showErrorDetails is "full" (STREAMLIT_CLIENT_SHOW_ERROR_DETAILS in seips.env)',
        "0.0.0.0 (SEIPS_SERVER_ADDRESS in seips.env): the servers listen on every network",
        "Remove SEIPS_SERVER_ADDRESS from seips.env",
        "http://seips.shire.example (seips.env) is not https",
        "seips.env (mode 0644): every user of this machine can read it",
        "chmod g-w,o-rwx seips.env",
        "6 check(s) failed",
    ):
        assert said in result.output, said


@pytest.mark.parametrize("county", ["sqlite"], indirect=True)
def test_a_world_readable_store_is_reported_and_left_as_it_is(seips, county):
    store = Path("seips.db").resolve()
    os.chmod(store, 0o644)
    result = seips("doctor", "--env-file", "seips.env", "--backups", "backups")
    assert result.exit_code == 1
    assert f"{store} (mode 0644): every user of this machine can read it" in result.output
    assert f"chmod go-rwx {store}" in result.output
    assert store.stat().st_mode & 0o777 == 0o644


def test_a_missing_environment_file_is_refused(seips):
    result = seips("doctor", "--env-file", "/nowhere/seips.env")
    assert result.exit_code == 1
    assert "/nowhere/seips.env: no such file." in result.output


def test_a_store_address_that_is_not_one_is_said_plainly(seips):
    result = seips("doctor", "--url", "not a url")
    assert result.exit_code == 1
    assert "'not a url' (--url) is not a database address" in result.output
