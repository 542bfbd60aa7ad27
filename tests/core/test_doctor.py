"""``seips_core.doctor``: a deployment set up as docs/operations.md says passes every check;
each thing a county could get wrong fails its own check, and only that one, with a message
that names it and a fix that says what to run or change.

The store's checks run on SQLite and PostgreSQL; the file checks on the SQLite layout, where
the store is a file.
"""

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from alembic import command
from pg_roles import dashboard_role
from sqlalchemy import Engine, make_url, text
from tampering import rewrite_an_entry

from seips_core import doctor
from seips_core.auth.roles import Role
from seips_core.db import write_session
from seips_core.doctor import Deployment, EnvSetting, Finding, Status
from seips_core.migrate import alembic_config
from seips_core.models import Partnership, Setting, User
from seips_core.retention import KINDS
from seips_core.store_kind import StoreKind, record_kind

pytestmark = pytest.mark.postgres

PUBLIC_URL = "https://seips.shire.example"


@dataclass
class Site:
    """One county's deployment, laid out in ``folder`` as the recipe lays out a server."""

    folder: Path
    engine: Engine
    url: str
    env: dict[str, str] = field(default_factory=dict)

    @property
    def env_file(self) -> Path:
        return self.folder / "etc" / "seips.env"

    @property
    def store_file(self) -> Path:
        return self.folder / "seips.db"

    def write_env(self) -> None:
        self.env_file.write_text("".join(f"{key}={value}\n" for key, value in self.env.items()))

    def deployment(self) -> Deployment:
        return doctor.deployment(
            folder=self.folder,
            env_file=self.env_file,
            environ={},
            home=self.folder / "home",
            backups=self.folder / "backups",
        )

    def findings(self) -> dict[str, Finding]:
        return {finding.check: finding for finding in doctor.examine(self.deployment())}


@pytest.fixture
def site(engine, store_url, tmp_path) -> Iterator[Site]:
    """A real store (as ``seips init`` makes it) with data, a county admin and its retention
    schedule; owner-only files, a backup, the environment file at 0640 with the recipe's
    settings (on PostgreSQL, the dashboard's own role in ``SEIPS_DATABASE_URL``)."""
    with write_session("cli:county-it", engine) as session:
        record_kind(session, StoreKind.REAL)
        session.add(Partnership(code="NW", name="North West"))
        session.add_all(Setting(key=kind.setting, value=str(kind.default_age)) for kind in KINDS)
        session.add(
            User(email="admin@shire.example", display_name="Ann Admin", role=Role.COUNTY_ADMIN)
        )
    os.chmod(tmp_path, 0o700)
    backups = tmp_path / "backups"
    backups.mkdir(mode=0o700)
    (backups / "seips-20261202-030000.db").write_bytes(b"a copy")
    os.chmod(backups / "seips-20261202-030000.db", 0o600)
    (tmp_path / "etc").mkdir(mode=0o750)
    postgres = engine.dialect.name == "postgresql"
    with dashboard_role(store_url) if postgres else nullcontext(store_url) as servers_url:
        site = Site(
            tmp_path,
            engine,
            store_url,
            {
                "SEIPS_DATABASE_URL": servers_url,
                "SEIPS_AUTH": "local",
                "SEIPS_COOKIE_SECRET": secrets.token_urlsafe(48),
                "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_urlsafe(48),
                "SEIPS_SERVER_ADDRESS": "127.0.0.1",
                "SEIPS_PUBLIC_URL": PUBLIC_URL,
            },
        )
        site.write_env()
        os.chmod(site.env_file, 0o640)
        yield site


def test_a_deployment_set_up_as_the_guide_says_passes_every_check(site):
    findings = site.findings()
    assert {name: finding.status for name, finding in findings.items()} == dict.fromkeys(
        [
            "Store", "Schema", "Store files", "Backups", "Environment file", "Secrets file",
            "Error details", "Listening address", "HTTPS", "Cookie secrets", "Demo accounts",
            "Retention", "Database role", "Audit trail",
        ],
        Status.OK,
    )  # fmt: skip
    assert findings["Audit trail"].message.startswith(f"Intact: {3 + len(KINDS)} entries")
    engine = "PostgreSQL" if site.engine.dialect.name == "postgresql" else "SQLite file"
    assert findings["Store"].message.startswith(engine)
    assert not doctor.failed(list(findings.values()))


def _demo_account_in_a_real_store(site: Site) -> None:
    with write_session("somebody", site.engine) as session:
        session.add(
            User(email="admin@demo.seips.example", display_name="Demo", role=Role.COUNTY_ADMIN)
        )


def _the_store_marked_demo(site: Site) -> None:
    with site.engine.begin() as connection:
        connection.execute(text("UPDATE setting SET value = 'true' WHERE key = 'demo_mode'"))


def _without_retention_period(site: Site) -> None:
    with site.engine.begin() as connection:
        connection.execute(text("DELETE FROM setting WHERE key = 'retention_age_exclusions'"))


def _setting(name: str, value: str) -> Callable[[Site], None]:
    def spoil(site: Site) -> None:
        site.env[name] = value
        site.write_env()

    return spoil


#: In the store (both engines): what goes wrong, the check, words of its message, of its fix.
STORE_SPOILERS = {
    "demo account in a real store": (
        _demo_account_in_a_real_store,
        "Demo accounts",
        "Demo account(s) in a store of real data: admin@demo.seips.example",
        "`seips user remove admin@demo.seips.example`",
    ),
    "a demo store": (
        _the_store_marked_demo,
        "Demo accounts",
        "This is a demo store",
        "`seips init`",
    ),
    "a retention period unset": (
        _without_retention_period,
        "Retention",
        "set retention_age_exclusions",
        "`seips import`",
    ),
    "audit entry rewritten": (
        lambda site: rewrite_an_entry(site.engine),
        "Audit trail",
        "Broken at entry",
        "compare with a backup made before the change",
    ),
    "error details on": (
        _setting("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "full"),
        "Error details",
        'client.showErrorDetails is "full" (STREAMLIT_CLIENT_SHOW_ERROR_DETAILS in',
        "Remove the setting from STREAMLIT_CLIENT_SHOW_ERROR_DETAILS",
    ),
    "listening everywhere": (
        _setting("SEIPS_SERVER_ADDRESS", "0.0.0.0"),
        "Listening address",
        "every network interface",
        "Remove SEIPS_SERVER_ADDRESS from",
    ),
    "plain http": (
        _setting("SEIPS_PUBLIC_URL", "http://seips.shire.example"),
        "HTTPS",
        "http://seips.shire.example",
        "TLS proxy",
    ),
    "the example's cookie secret": (
        _setting("SEIPS_COOKIE_SECRET", "REPLACE-WITH-48-RANDOM-CHARACTERS"),
        "Cookie secrets",
        "SEIPS_COOKIE_SECRET in",
        "secrets.token_urlsafe(48)",
    ),
}


@pytest.mark.parametrize("spoiler", STORE_SPOILERS.values(), ids=STORE_SPOILERS.keys())
def test_each_mistake_fails_its_own_check_and_says_what_to_do(site, spoiler):
    spoil, check, message, fix = spoiler
    spoil(site)
    findings = site.findings()
    assert [name for name, finding in findings.items() if finding.status is not Status.OK] == [
        check
    ]
    assert findings[check].status is Status.FAIL
    assert message in findings[check].message
    assert fix in findings[check].fix


def test_a_rewritten_entry_is_named(site):
    entry_id = rewrite_an_entry(site.engine)
    finding = site.findings()["Audit trail"]
    assert finding.message.startswith(f"Broken at entry {entry_id}: its content was changed")


def test_a_store_behind_this_version_is_sent_to_seips_init_and_its_tables_wait(site):
    command.downgrade(alembic_config(site.url), "-1")
    findings = site.findings()
    assert findings["Schema"].status is Status.FAIL
    assert "this version needs" in findings["Schema"].message
    assert "`seips init`" in findings["Schema"].fix
    for check in ("Demo accounts", "Retention", "Database role", "Audit trail"):
        assert findings[check].status is Status.WARN
        assert findings[check].message.startswith("Not checked")


def test_a_store_that_does_not_answer_fails_and_nothing_is_made(site):
    if site.engine.dialect.name == "sqlite":
        site.env["SEIPS_DATABASE_URL"] = f"sqlite:///{site.folder / 'elsewhere.db'}"
    else:
        site.env["SEIPS_DATABASE_URL"] = site.url.rsplit("/", 1)[0] + "/no_such_database"
    site.write_env()
    findings = site.findings()
    assert findings["Store"].status is Status.FAIL
    assert "SEIPS_DATABASE_URL" in findings["Store"].fix
    assert findings["Schema"].message.startswith("Not checked")
    assert not (site.folder / "elsewhere.db").exists()


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_a_superuser_fails_and_a_role_that_may_rewrite_the_trail_is_a_warning(site):
    dashboard_url = site.env["SEIPS_DATABASE_URL"]
    site.env["SEIPS_DATABASE_URL"] = site.url  # the tests' server: a superuser
    site.write_env()
    finding = site.findings()["Database role"]
    assert finding.status is Status.FAIL
    assert "a superuser" in finding.message
    assert "SEIPS_DATABASE_URL" in finding.fix
    site.env["SEIPS_DATABASE_URL"] = dashboard_url
    site.write_env()
    role = make_url(dashboard_url).username
    with site.engine.begin() as connection:
        connection.execute(text(f"GRANT DELETE ON auditentry TO {role}"))
    finding = site.findings()["Database role"]
    assert finding.status is Status.WARN
    assert f"{role}, which may rewrite the audit trail" in finding.message


#: The SQLite layout's files: what is made open to others, the check, its fix.
FILE_SPOILERS = {
    "store world-readable": ("seips.db", 0o644, "Store files", "chmod go-rwx"),
    "store group-writable": ("seips.db", 0o660, "Store files", "chmod go-rwx"),
    "store folder world-writable": (".", 0o777, "Store files", "chmod g-w,o-rwx"),
    "a backup world-readable": (
        "backups/seips-20261202-030000.db", 0o644, "Backups", "chmod go-rwx",
    ),
    "environment file world-readable": (
        "etc/seips.env", 0o644, "Environment file", "chmod g-w,o-rwx",
    ),
}  # fmt: skip


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("spoiler", FILE_SPOILERS.values(), ids=FILE_SPOILERS.keys())
def test_a_file_open_to_others_fails_with_the_chmod_that_closes_it(site, spoiler):
    name, mode, check, fix = spoiler
    path = (site.folder / name).resolve()
    os.chmod(path, mode)
    findings = site.findings()
    os.chmod(site.folder, 0o700)
    assert [name for name, finding in findings.items() if finding.status is not Status.OK] == [
        check
    ]
    assert f"{path} (mode {mode:04o})" in findings[check].message
    assert f"{fix} {path}" in findings[check].fix


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_the_doctor_leaves_a_world_readable_store_as_it_found_it(site):
    os.chmod(site.store_file, 0o644)
    site.findings()
    assert site.store_file.stat().st_mode & 0o777 == 0o644


def test_no_backups_folder_is_a_warning(tmp_path):
    finding = doctor.check_backups(tmp_path / "backups")
    assert finding.status is Status.WARN
    assert "seips backup" in finding.fix


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("127.0.0.1", Status.OK),
        ("localhost", Status.OK),
        ("::1", Status.OK),
        ("10.2.0.7", Status.OK),
        ("0.0.0.0", Status.FAIL),
        ("::", Status.FAIL),
        ("81.2.69.160", Status.FAIL),
        ("app1.county.internal", Status.WARN),
    ],
)
def test_listening_addresses(address, status):
    assert doctor.check_address(EnvSetting(address, "seips.env")).status is status


def test_every_interface_of_a_container_is_a_warning_about_the_hosts_mapping():
    finding = doctor.check_address(EnvSetting("0.0.0.0", "the image"), container=True)
    assert finding.status is Status.WARN
    assert "-p 127.0.0.1:8501:8501" in finding.fix


def test_no_address_is_this_machine_only():
    assert doctor.check_address(None).status is Status.OK


@pytest.mark.parametrize(
    ("files", "env", "on"),
    [
        ([], None, True),  # Streamlit's default shows everything
        (['showErrorDetails = "none"'], None, False),
        (["showErrorDetails = false"], None, False),
        (["showErrorDetails = true"], None, True),
        (['showErrorDetails = "none"', 'showErrorDetails = "type"'], None, True),
        (['showErrorDetails = "full"', 'showErrorDetails = "none"'], None, False),
        (['showErrorDetails = "none"'], "stacktrace", True),
        (['showErrorDetails = "full"'], "none", False),
    ],
)
def test_error_details_as_streamlit_reads_them(tmp_path, files, env, on):
    configs = []
    for number, line in enumerate(files):
        configs.append(tmp_path / f"{number}.toml")
        configs[-1].write_text(f"[client]\n{line}\n")
    settings = {} if env is None else {doctor.ERROR_DETAILS_ENV: EnvSetting(env, "seips.env")}
    finding = doctor.check_error_details(settings, [tmp_path / "absent.toml", *configs])
    assert (finding.status is Status.FAIL) is on


def test_the_apps_own_settings_hide_error_details():
    finding = doctor.check_error_details(
        {}, [doctor.DASHBOARD_APP.parent / ".streamlit/config.toml"]
    )
    assert finding.status is Status.OK


def test_single_sign_on_returns_over_https(tmp_path):
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text('[auth]\nredirect_uri = "http://seips.shire.example/oauth2callback"\n')
    redirect = EnvSetting(doctor.oidc_redirect(secrets_file), str(secrets_file))
    finding = doctor.check_https(EnvSetting(PUBLIC_URL, "seips.env"), redirect)
    assert finding.status is Status.FAIL
    assert str(secrets_file) in finding.message


def test_no_public_address_is_a_warning():
    assert doctor.check_https(None, None).status is Status.WARN


def test_single_sign_on_without_its_secrets_file_fails(tmp_path):
    finding = doctor.check_secrets_file(tmp_path / "secrets.toml", EnvSetting("oidc", "seips.env"))
    assert finding.status is Status.FAIL


def test_the_environment_file_is_read_as_systemd_reads_it(tmp_path):
    env_file = tmp_path / "seips.env"
    env_file.write_text(
        "# a comment\n\nSEIPS_AUTH=local\nSEIPS_COUNTY_LA=\"Shire County\"\nSEIPS_CITY_LA='City'\n"
    )
    assert doctor.read_env_file(env_file) == {
        "SEIPS_AUTH": "local",
        "SEIPS_COUNTY_LA": "Shire County",
        "SEIPS_CITY_LA": "City",
    }


def test_this_shells_settings_win_over_the_file(tmp_path):
    env_file = tmp_path / "seips.env"
    env_file.write_text("SEIPS_SERVER_ADDRESS=127.0.0.1\nSEIPS_AUTH=local\n")
    settings = doctor.server_settings(env_file, {"SEIPS_SERVER_ADDRESS": "0.0.0.0", "HOME": "/"})
    assert settings["SEIPS_SERVER_ADDRESS"] == EnvSetting("0.0.0.0", doctor.THIS_ENVIRONMENT)
    assert settings["SEIPS_AUTH"] == EnvSetting("local", str(env_file))
    assert "HOME" not in settings


def test_the_recipes_environment_file_unfilled_fails_on_its_placeholders(tmp_path):
    example = Path(__file__).resolve().parents[2] / "deploy" / "seips.env.example"
    settings = doctor.server_settings(example, {})
    finding = doctor.check_secrets(settings, tmp_path / "secrets.toml")
    assert finding.status is Status.FAIL
    assert "SEIPS_COOKIE_SECRET in" in finding.message
    assert "STREAMLIT_SERVER_COOKIE_SECRET in" in finding.message
    assert doctor.check_https(settings.get(doctor.PUBLIC_URL_ENV), None).status is Status.OK


def test_a_backups_folder_this_user_may_not_look_into_is_a_warning(tmp_path, monkeypatch):
    os.chmod(tmp_path, 0o700)

    def refused(self, pattern):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "rglob", refused)
    finding = doctor.check_backups(tmp_path)
    assert finding.status is Status.WARN
    assert "the copies were not checked" in finding.message
    assert "as root" in finding.fix


def test_the_sign_on_examples_cookie_secret_fails(tmp_path):
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text('[auth]\ncookie_secret = "REPLACE-with-a-long-random-string"\n')
    finding = doctor.check_secrets({}, secrets_file)
    assert finding.status is Status.FAIL
    assert f"cookie_secret in {secrets_file}" in finding.message


def test_many_copies_are_counted_not_all_named(tmp_path):
    os.chmod(tmp_path, 0o700)
    for day in range(1, 31):
        copy = tmp_path / f"seips-202611{day:02d}-030000.db"
        copy.write_bytes(b"a copy")
        os.chmod(copy, 0o644)
    finding = doctor.check_backups(tmp_path)
    assert finding.status is Status.FAIL
    assert finding.message.endswith("; and 26 more.")
    assert finding.fix.count("seips-202611") == 30  # the command closes every one
