"""``seips doctor``: is this deployment fit for children's records, and what is left to fix?

A county's IT team sets the dashboard up once, from docs/operations.md, and nothing else tells
them that a step was missed: a store file others can read, the demo accounts (whose passwords
the sign-in page prints) in a store of real children, tracebacks shown in browsers, a server
listening on every interface around the TLS proxy, a trail someone rewrote. Each check here is
a function of what it looks at (file modes, the servers' settings, the store) that returns a
``Finding``: ok, warn or fail, what was found in plain words, and what to do about it.
``examine`` runs them all in the order the table shows.

Nothing here changes the deployment: a SQLite store is opened read-only, since opening it the
usual way (``seips_core.db``) makes its files owner-only and would hide what this reports.
"""

import ipaddress
import sqlite3
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, make_url, select, text
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlmodel import Session

from .audit_chain import verify_trail
from .auth.demo import DEMO_ACCOUNTS
from .auth.signed_tokens import MIN_SECRET, SECRET_ENV
from .config import DASHBOARD_APP
from .db import get_engine
from .errors import InvalidValue
from .migrate import alembic_config
from .models import User
from .retention import retention_problems
from .store_kind import StoreKind, store_kind


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Finding:
    """One check's answer: what it looked at, how it stands, what was found, what to do."""

    check: str
    status: Status
    message: str
    fix: str = ""


@dataclass(frozen=True)
class EnvSetting:
    """A value the servers get, and where it comes from (so the fix can name the file)."""

    value: str
    source: str


#: Where a setting of this process's own environment is said to come from.
THIS_ENVIRONMENT = "this shell's environment"
#: The environment file of the deployment recipe (deploy/seips.env.example).
DEFAULT_ENV_FILE = Path("/etc/seips/seips.env")
#: Where the recipe's nightly ``pg_dump`` writes (deploy/seips-backup.service).
POSTGRES_BACKUPS = Path("/var/backups/seips")
#: Streamlit's setting that shows tracebacks in the browser, and its environment variable.
ERROR_DETAILS = "client.showErrorDetails"
ERROR_DETAILS_ENV = "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"
#: Streamlit's default when nothing sets it: everything, traceback included.
ERROR_DETAILS_DEFAULT = "full"
ADDRESS_ENV = "SEIPS_SERVER_ADDRESS"
PUBLIC_URL_ENV = "SEIPS_PUBLIC_URL"
STREAMLIT_COOKIE_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"
#: Mode bits that must be clear: a store file or backup is its owner's alone; a folder, the
#: environment file and the secrets may be read by the service's group (0640, 0750) but
#: written by nobody else, and nothing is open to every user of the machine.
OWNER_ONLY = 0o077
GROUP_READ_AT_MOST = 0o027
#: What each placeholder of deploy/seips.env.example and secrets.toml.example starts with.
PLACEHOLDER = "REPLACE"


@dataclass(frozen=True)
class Deployment:
    """What the doctor looks at: the store, the servers' settings and the files around them."""

    store_url: EnvSetting
    #: The servers' environment: the environment file, then this process's (which wins).
    settings: Mapping[str, EnvSetting]
    #: The folder the servers run in: its ``.streamlit/`` holds secrets.toml and config.toml.
    folder: Path
    backups: Path
    env_file: Path | None
    #: The user's home: Streamlit reads ``~/.streamlit/config.toml`` first.
    home: Path
    #: Run in a container, where the servers listen on every interface of the container.
    container: bool = False

    @property
    def secrets_file(self) -> Path:
        return self.folder / ".streamlit" / "secrets.toml"

    @property
    def streamlit_configs(self) -> list[Path]:
        """Streamlit's config files in the order it reads them (a later one wins): the
        user's, the served folder's, then the app's own beside its entry point."""
        return [
            self.home / ".streamlit" / "config.toml",
            self.folder / ".streamlit" / "config.toml",
            DASHBOARD_APP.parent / ".streamlit" / "config.toml",
        ]


def read_env_file(path: Path) -> dict[str, str]:
    """``KEY=VALUE`` lines as systemd's ``EnvironmentFile`` reads them (comments and blank lines
    skipped, one pair of surrounding quotes taken off)."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, equals, value = line.strip().partition("=")
        if not equals or key.startswith(("#", ";")):
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def server_settings(env_file: Path | None, environ: Mapping[str, str]) -> dict[str, EnvSetting]:
    """The ``SEIPS_…`` and ``STREAMLIT_…`` settings the servers get, each with its source: the
    environment file, overridden by this process's environment (as a shell that sourced the
    file, then set a variable, would run the servers)."""
    settings = {}
    if env_file is not None:
        source = str(env_file)
        settings = {
            key: EnvSetting(value, source) for key, value in read_env_file(env_file).items()
        }
    for key, value in environ.items():
        if key.startswith(("SEIPS_", "STREAMLIT_")):
            settings[key] = EnvSetting(value, THIS_ENVIRONMENT)
    return settings


def deployment(
    *,
    folder: Path,
    env_file: Path | None,
    environ: Mapping[str, str],
    home: Path,
    url: str | None = None,
    backups: Path | None = None,
    public_url: str | None = None,
    container: bool = False,
) -> Deployment:
    """What ``seips doctor`` looks at, from its options: the store is ``url``, else the servers'
    ``SEIPS_DATABASE_URL``, else ``seips.db`` in ``folder``; backups are ``backups``, else the
    folder ``seips backup`` writes to (SQLite) or the recipe's ``pg_dump`` folder."""
    settings = server_settings(env_file, environ)
    if public_url is not None:
        settings[PUBLIC_URL_ENV] = EnvSetting(public_url, "--public-url")
    if url is not None:
        store_url = EnvSetting(url, "--url")
    else:
        store_url = settings.get("SEIPS_DATABASE_URL") or EnvSetting(
            f"sqlite:///{folder.resolve() / 'seips.db'}", "the default"
        )
    try:
        file = sqlite_file(store_url.value)
    except ArgumentError:
        raise InvalidValue(
            f"{store_url.value!r} ({store_url.source}) is not a database address: "
            "sqlite:///path/to/file.db or postgresql://role@host/database."
        ) from None
    if backups is None:
        backups = folder / "backups" if file else POSTGRES_BACKUPS
    return Deployment(store_url, settings, folder, backups, env_file, home, container)


def _joined(findings: Sequence[str]) -> str:
    return "; ".join(findings)


#: How many files a message names before it counts the rest (a backups folder may hold 30).
NAMED = 4


def _listed(items: Sequence[str], separator: str = ", ") -> str:
    """The first ``NAMED`` of ``items``, then how many more."""
    more = f"{separator}and {len(items) - NAMED} more" if len(items) > NAMED else ""
    return separator.join(items[:NAMED]) + more


# --- file permissions --------------------------------------------------------------------


def _access(bits: int) -> str:
    """``0o6`` → "read and write": what one class of users (group, others) may do."""
    return " and ".join(
        word for bit, word in ((4, "read"), (2, "write"), (1, "open")) if bits & bit
    )


def _mode_problem(path: Path, forbidden: int) -> str | None:
    """Who else may read or write ``path`` (bits of ``forbidden`` set on it), if anyone."""
    mode = path.stat().st_mode & 0o777
    bad = mode & forbidden
    if not bad:
        return None
    who = [
        f"{whom} can {_access(bits)} it"
        for whom, bits in (("every user of this machine", bad & 0o007), ("its group", bad >> 3))
        if bits
    ]
    return f"{path} (mode {mode:04o}): {' and '.join(who)}"


def check_permissions(check: str, guarded: Sequence[tuple[Path, int]]) -> Finding:
    """``guarded``: each path with the mode bits that must be clear on it (``OWNER_ONLY``,
    ``GROUP_READ_AT_MOST``). Paths that do not exist are left out."""
    present = [(path, forbidden) for path, forbidden in guarded if path.exists()]
    problems = [(path, p, f) for path, f in present if (p := _mode_problem(path, f)) is not None]
    if not problems:
        shown = [f"{path} ({path.stat().st_mode & 0o777:04o})" for path, _ in present]
        return Finding(check, Status.OK, f"Not open to other users: {_listed(shown)}.")
    fixes = {}
    for path, _problem, forbidden in problems:
        command = "chmod go-rwx" if forbidden == OWNER_ONLY else "chmod g-w,o-rwx"
        fixes.setdefault(command, []).append(str(path))
    return Finding(
        check,
        Status.FAIL,
        _listed([problem for _path, problem, _f in problems], "; ") + ".",
        "; ".join(f"{command} {' '.join(paths)}" for command, paths in fixes.items())
        + " (as the owner, or root).",
    )


def check_store_files(store: Path | None) -> Finding:
    """A SQLite store's file, its WAL and shared memory (owner-only) and its folder."""
    check = "Store files"
    if store is None:
        return Finding(
            check,
            Status.OK,
            "PostgreSQL keeps the records in its own data folder, guarded by the database "
            "server; no store file here.",
        )
    files = [store, store.with_name(f"{store.name}-wal"), store.with_name(f"{store.name}-shm")]
    return check_permissions(
        check, [*((file, OWNER_ONLY) for file in files), (store.parent, GROUP_READ_AT_MOST)]
    )


def check_backups(folder: Path) -> Finding:
    """The backups folder (its files hold every child's record): there, and owner-only."""
    check = "Backups"
    if not folder.is_dir():
        return Finding(
            check,
            Status.WARN,
            f"No backups folder at {folder}: no copy of the store has been made there.",
            "Make one: `seips backup` on SQLite, or the nightly timer of deploy/"
            "seips-backup.timer on PostgreSQL; give --backups PATH if they are elsewhere.",
        )
    try:
        copies = sorted(path for path in folder.rglob("*") if path.is_file())
    except PermissionError:  # the recipe's folder is postgres's own (0700)
        own = check_permissions(check, [(folder, GROUP_READ_AT_MOST)])
        if own.status is Status.FAIL:
            return own
        return Finding(
            check,
            Status.WARN,
            f"{own.message.removesuffix('.')}, but this user may not look inside: the copies "
            "were not checked.",
            "Run the doctor as root (or as the folder's owner) to check the copies too.",
        )
    return check_permissions(
        check, [(folder, GROUP_READ_AT_MOST), *((copy, OWNER_ONLY) for copy in copies)]
    )


def check_env_file(env_file: Path | None) -> Finding:
    """The environment file holds the database password and the cookie secrets."""
    check = "Environment file"
    if env_file is None:
        return Finding(
            check,
            Status.OK,
            f"No environment file ({DEFAULT_ENV_FILE} is not there): the settings checked are "
            "this shell's.",
        )
    return check_permissions(
        check, [(env_file, GROUP_READ_AT_MOST), (env_file.parent, GROUP_READ_AT_MOST)]
    )


def check_secrets_file(secrets: Path, auth: EnvSetting | None) -> Finding:
    """``.streamlit/secrets.toml`` holds the single sign-on client secret."""
    check = "Secrets file"
    if secrets.exists():
        return check_permissions(check, [(secrets, GROUP_READ_AT_MOST)])
    if auth is not None and auth.value.strip().lower() == "oidc":
        return Finding(
            check,
            Status.FAIL,
            f"SEIPS_AUTH=oidc ({auth.source}) but there is no {secrets}: single sign-on "
            "cannot start.",
            "Copy .streamlit/secrets.toml.example there and fill it in, or run the doctor "
            "with --folder set to the folder the servers run in.",
        )
    return Finding(check, Status.OK, f"None at {secrets} (local sign-in needs none).")


# --- the servers' settings ---------------------------------------------------------------


def _error_details_on(value: object) -> bool:
    """Does Streamlit show more than a generic message with this value? (``True`` and
    ``"true"`` are its old spellings of "full", ``False`` and ``"false"`` of "none".)"""
    return str(value).strip().lower() not in {"none", "false"}


def check_error_details(settings: Mapping[str, EnvSetting], configs: Sequence[Path]) -> Finding:
    """Streamlit's ``client.showErrorDetails`` as a server would end up with it: its default,
    each config file in ``configs`` (a later one wins), then the environment variable.

    The app's error boundary (dashboard/boundary.py) shows a reference instead of a traceback;
    this setting covers what falls outside it (a widget's callback, the shell itself)."""
    check = "Error details"
    value: object = ERROR_DETAILS_DEFAULT
    source = "Streamlit's default"
    for config in configs:
        if not config.is_file():
            continue
        try:
            client = tomllib.loads(config.read_text(encoding="utf-8")).get("client", {})
        except tomllib.TOMLDecodeError as error:
            return Finding(
                check,
                Status.FAIL,
                f"{config} is not valid TOML ({error}): Streamlit will not start with it.",
                f"Correct {config}.",
            )
        if "showErrorDetails" in client:
            value, source = client["showErrorDetails"], str(config)
    if (env := settings.get(ERROR_DETAILS_ENV)) is not None:
        value, source = env.value, f"{ERROR_DETAILS_ENV} in {env.source}"
    if not _error_details_on(value):
        return Finding(
            check, Status.OK, f'{ERROR_DETAILS} is "{value}" ({source}): browsers see no traceback.'
        )
    return Finding(
        check,
        Status.FAIL,
        f'{ERROR_DETAILS} is "{value}" ({source}): an error outside the app\'s error boundary '
        "shows its traceback, file paths and SQL in the browser.",
        f'Remove the setting from {source}, or set it to "none" '
        '(the app\'s own dashboard/.streamlit/config.toml says "none").',
    )


def in_a_container() -> bool:
    """Is this process in a container (Podman's or Docker's mark)? There a server must listen
    beyond the container (deploy/Containerfile), and the host's port mapping guards it."""
    return Path("/run/.containerenv").exists() or Path("/.dockerenv").exists()


def check_address(address: EnvSetting | None, container: bool = False) -> Finding:
    """Where ``seips serve`` listens (``SEIPS_SERVER_ADDRESS``, else 127.0.0.1): only the TLS
    proxy should reach the servers, which speak plain HTTP. In a container every interface is
    the container's own: the host must publish the port on its loopback or private address."""
    check = "Listening address"
    if address is None or not address.value.strip():
        return Finding(check, Status.OK, "127.0.0.1 (the default): only this machine reaches it.")
    shown = f"{address.value} ({ADDRESS_ENV} in {address.source})"
    fix = (
        f"Remove {ADDRESS_ENV} from {address.source} (the servers then listen on 127.0.0.1, "
        "behind the proxy); with app servers on several machines, set it to this machine's "
        "private address."
    )
    try:
        ip = ipaddress.ip_address(address.value.strip().strip("[]"))
    except ValueError:
        if address.value.strip().lower() == "localhost":
            return Finding(check, Status.OK, f"{shown}: only this machine reaches it.")
        return Finding(
            check,
            Status.WARN,
            f"{shown} is a name, not an address: check that it is a private one.",
            fix,
        )
    if ip.is_loopback:
        return Finding(check, Status.OK, f"{shown}: only this machine reaches it.")
    if ip.is_unspecified and container:
        return Finding(
            check,
            Status.WARN,
            f"{shown}, in a container: the host's port mapping decides who reaches it.",
            "Publish the port on the host's loopback or private address only "
            "(podman run -p 127.0.0.1:8501:8501), never on all of the host's addresses.",
        )
    if ip.is_unspecified:
        return Finding(
            check,
            Status.FAIL,
            f"{shown}: the servers listen on every network interface, so anyone on the network "
            "can reach them in plain HTTP, around the TLS proxy.",
            fix,
        )
    if ip.is_private:
        return Finding(
            check,
            Status.OK,
            f"{shown}: a private address; let only the proxy's machine reach these ports.",
        )
    return Finding(
        check,
        Status.FAIL,
        f"{shown} is a public address: the servers speak plain HTTP there, around the proxy.",
        fix,
    )


def _auth_secret(secrets: Path, name: str) -> str | None:
    """A text setting of secrets.toml's ``[auth]`` section (single sign-on), if there is one."""
    try:
        value = tomllib.loads(secrets.read_text(encoding="utf-8")).get("auth", {}).get(name)
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return value if isinstance(value, str) else None


def oidc_redirect(secrets: Path) -> str | None:
    """``[auth] redirect_uri`` of secrets.toml: where the identity provider sends people."""
    return _auth_secret(secrets, "redirect_uri")


def check_https(public_url: EnvSetting | None, redirect_uri: EnvSetting | None) -> Finding:
    """The address people open (``SEIPS_PUBLIC_URL`` or ``--public-url``) and single sign-on's
    return address are https: sign-in cookies are marked Secure only on a page that came
    over https, and only TLS keeps children's records unread on the way."""
    check = "HTTPS"
    addresses = [setting for setting in (public_url, redirect_uri) if setting is not None]
    if not addresses:
        return Finding(
            check,
            Status.WARN,
            "No public address given: the doctor cannot tell whether people reach the "
            "dashboard over HTTPS.",
            f"Set {PUBLIC_URL_ENV}=https://<the proxy's name> in the environment file (or "
            "give --public-url).",
        )
    plain = [setting for setting in addresses if urlsplit(setting.value).scheme != "https"]
    if not plain:
        shown = ", ".join(setting.value for setting in addresses)
        return Finding(
            check, Status.OK, f"{shown}: over HTTPS, so sign-in cookies are sent Secure."
        )
    return Finding(
        check,
        Status.FAIL,
        _joined(
            f"{setting.value} ({setting.source}) is not https: sign-in cookies and children's "
            "records would cross the network readable"
            for setting in plain
        )
        + ".",
        "Serve the dashboard through the TLS proxy (deploy/Caddyfile or deploy/nginx.conf) "
        "and give its https:// address there.",
    )


def check_secrets(settings: Mapping[str, EnvSetting], secrets: Path) -> Finding:
    """The cookie secrets are set with real values, not the examples' placeholders."""
    check = "Cookie secrets"
    problems = []
    for name in (SECRET_ENV, STREAMLIT_COOKIE_ENV):
        setting = settings.get(name)
        if setting is None:
            continue
        if setting.value.startswith(PLACEHOLDER):
            problems.append(f"{name} in {setting.source} is still the example's placeholder")
        elif name == SECRET_ENV and len(setting.value) < MIN_SECRET:
            problems.append(
                f"{name} in {setting.source} is shorter than {MIN_SECRET} characters "
                "(the servers refuse to sign with it)"
            )
    cookie = _auth_secret(secrets, "cookie_secret")
    if cookie is not None and cookie.startswith(PLACEHOLDER):
        problems.append(f"cookie_secret in {secrets} is still the example's placeholder")
    if problems:
        return Finding(
            check,
            Status.FAIL,
            _joined(problems) + ": anyone who read the example can sign cookies.",
            'Make each one with python3 -c "import secrets; print(secrets.token_urlsafe(48))", '
            "the same on every server.",
        )
    if SECRET_ENV in settings:
        return Finding(check, Status.OK, f"{SECRET_ENV} is set.")
    return Finding(check, Status.OK, f"{SECRET_ENV} unset: the servers use the store's own key.")


# --- the store ---------------------------------------------------------------------------


def shown_url(url: str) -> str:
    """A store address as it may be printed: any password masked."""
    return make_url(url).render_as_string(hide_password=True)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite store address; None for any other database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return Path(parsed.database)


def open_store(url: str) -> Engine:
    """An engine on the store that leaves it as it is: SQLite read-only (no file made, no mode
    changed); PostgreSQL as every command opens it."""
    file = sqlite_file(url)
    if file is None:
        return get_engine(url)
    uri = f"{file.resolve().as_uri()}?mode=ro"
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))


def check_store(engine: Engine, url: EnvSetting) -> Finding:
    """The store answers; which engine it is (SQLite serves one machine's servers only)."""
    check = "Store"
    shown = f"{shown_url(url.value)} ({url.source})"
    file = sqlite_file(url.value)
    if file is not None and not file.is_file():
        return Finding(
            check,
            Status.FAIL,
            f"No store at {file} (from {shown}).",
            "Run `seips init` there (then `seips import`), or point SEIPS_DATABASE_URL at the "
            "store.",
        )
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        return Finding(
            check,
            Status.FAIL,
            f"The store {shown} does not answer: {reason}.",
            "Check SEIPS_DATABASE_URL (host, database, role and password) and that the "
            "database server is running.",
        )
    if file is not None:
        return Finding(
            check,
            Status.OK,
            f"SQLite file {file}: for app servers on this machine; several machines need "
            "PostgreSQL (docs/operations.md, Deploying for a county).",
        )
    return Finding(check, Status.OK, f"PostgreSQL: {shown}.")


def check_schema(connection: Connection, script: ScriptDirectory) -> Finding:
    """The store's Alembic revision is this version's newest."""
    check = "Schema"
    current = set(MigrationContext.configure(connection).get_current_heads())
    heads = set(script.get_heads())
    if current == heads:
        return Finding(check, Status.OK, f"Up to date (revision {', '.join(sorted(heads))}).")
    if not current:
        return Finding(
            check,
            Status.FAIL,
            "The store has no schema: it is not a SEIPS store yet.",
            "Run `seips init` (as the owner role on PostgreSQL).",
        )
    try:
        for revision in current:
            script.get_revision(revision)
    except CommandError:
        return Finding(
            check,
            Status.FAIL,
            f"The store is at revision {', '.join(sorted(current))}, which this version of "
            "SEIPS does not know: a newer version made it.",
            "Install the newer SEIPS version on this machine.",
        )
    return Finding(
        check,
        Status.FAIL,
        f"The store is at revision {', '.join(sorted(current))}; this version needs "
        f"{', '.join(sorted(heads))}.",
        "Back up, then run `seips init` once (as the owner role on PostgreSQL).",
    )


def check_demo_accounts(session: Session) -> Finding:
    """No demo account (its password printed on a demo store's sign-in page, and in this
    repository) can sign in to a real store; a demo store is said to be one."""
    check = "Demo accounts"
    kind = store_kind(session)
    emails = [account.email for account in DEMO_ACCOUNTS]
    active = list(
        session.scalars(
            select(User.email).where(User.email.in_(emails), User.is_active).order_by(User.email)
        )
    )
    if kind is StoreKind.DEMO:
        return Finding(
            check,
            Status.FAIL,
            "This is a demo store (the synthetic sample county; its sign-in page prints the "
            "demo passwords): it is not for real use.",
            "Keep it for demonstrations. For real data, point SEIPS_DATABASE_URL at a new file "
            "(or an empty PostgreSQL database), run `seips init`, then `seips import`.",
        )
    if active:
        return Finding(
            check,
            Status.FAIL,
            f"Demo account(s) in a store of real data: {', '.join(active)}. Their passwords are "
            "public.",
            "Remove each: " + "; ".join(f"`seips user remove {email}`" for email in active) + ".",
        )
    if kind is None:
        return Finding(
            check,
            Status.WARN,
            "No demo accounts, but the store has not recorded whether it is real or demo.",
            "Run `seips init`: it records a store of real data as one.",
        )
    return Finding(check, Status.OK, "A store of real data, with no demo account.")


def check_audit_trail(session: Session) -> Finding:
    """The audit trail's hash chain holds from its first entry to its last."""
    check = "Audit trail"
    trail = verify_trail(session)
    if trail.broken is not None:
        return Finding(
            check,
            Status.FAIL,
            f"Broken at entry {trail.broken.entry_id}: {trail.broken.problem}. The "
            f"{trail.intact_entries:,} entries before it are intact.",
            "Someone changed the trail around the database's triggers: keep this store as it "
            "is for investigation, find out who could (the database's owner role, a "
            "superuser), and compare with a backup made before the change.",
        )
    newest = trail.newest
    if newest.entry_id is None:
        return Finding(check, Status.OK, "Intact: no entries yet.")
    return Finding(
        check,
        Status.OK,
        f"Intact: {trail.intact_entries:,} entr{'y' if trail.intact_entries == 1 else 'ies'}, "
        f"the newest {newest.entry_id} with hash {newest.entry_hash} (note it: a trail cut "
        "short at its end still links up, but will not end on this hash).",
    )


def check_database_role(session: Session) -> Finding:
    """On PostgreSQL, the role the store is opened with is not a superuser (who can turn the
    trail's triggers off) and, as docs/operations.md asks of the dashboard's role, neither owns
    the audit trail's table nor may UPDATE, DELETE or TRUNCATE it."""
    check = "Database role"
    if session.get_bind().dialect.name != "postgresql":
        return Finding(check, Status.OK, "SQLite: no roles; the file's permissions guard it.")
    role, superuser, owner, rewrites = session.execute(
        text(
            "SELECT current_user, r.rolsuper, t.tableowner = current_user, "
            "has_table_privilege('auditentry', 'UPDATE') "
            "OR has_table_privilege('auditentry', 'DELETE') "
            "OR has_table_privilege('auditentry', 'TRUNCATE') "
            "FROM pg_roles r LEFT JOIN pg_tables t "
            "ON t.tablename = 'auditentry' AND t.schemaname = current_schema() "
            "WHERE r.rolname = current_user"
        )
    ).one()
    grants = "the GRANT and REVOKE lines of docs/operations.md, Running it for real"
    if superuser:
        return Finding(
            check,
            Status.FAIL,
            f"The store is opened as {role}, a superuser: it can turn the audit trail's "
            "triggers off, and so can the dashboard that uses it.",
            f"Give the dashboard a role of its own that owns nothing ({grants}) and put it "
            "in SEIPS_DATABASE_URL.",
        )
    if owner or rewrites:
        what = "owns the audit trail's table" if owner else "may rewrite the audit trail"
        return Finding(
            check,
            Status.WARN,
            f"The store is opened as {role}, which {what}: it can take the append-only "
            "triggers away (the hash chain would still show a change).",
            f"Run the dashboard as a role that owns nothing ({grants}); keep the owner role "
            "for `seips init`.",
        )
    return Finding(check, Status.OK, f"{role}: no superuser, and may not rewrite the audit trail.")


def check_retention(session: Session) -> Finding:
    """Every kind of record has the council's own retention period (``seips_core.retention``):
    ``seips retention`` anonymises by them."""
    check = "Retention"
    problems = retention_problems(session)
    if problems:
        return Finding(
            check,
            Status.FAIL,
            " ".join(problem.removeprefix("Retention: ") for problem in problems),
            "Set each period on the county admin's settings, or import a settings file "
            "(key,value rows; docs/import.md) with `seips import`.",
        )
    return Finding(check, Status.OK, "A period is set for every kind of record.")


#: The checks that read the store's tables, run only on a store that answers and is current.
TABLE_CHECKS: tuple[tuple[str, Callable[[Session], Finding]], ...] = (
    ("Demo accounts", check_demo_accounts),
    ("Retention", check_retention),
    ("Database role", check_database_role),
    ("Audit trail", check_audit_trail),
)


def _not_checked(check: str) -> Finding:
    return Finding(check, Status.WARN, "Not checked: the store must answer and be up to date.")


def _store_findings(url: EnvSetting) -> tuple[list[Finding], list[Finding]]:
    """The store and its schema; then the checks of its tables (or why they did not run)."""
    engine = open_store(url.value)
    try:
        reached = check_store(engine, url)
        if reached.status is Status.FAIL:
            schema = _not_checked("Schema")
        else:
            with engine.connect() as connection:
                schema = check_schema(
                    connection, ScriptDirectory.from_config(alembic_config(url.value))
                )
        if schema.status is not Status.OK:
            return [reached, schema], [_not_checked(name) for name, _check in TABLE_CHECKS]
        with Session(engine) as session:
            return [reached, schema], [check(session) for _name, check in TABLE_CHECKS]
    finally:
        if sqlite_file(url.value) is not None:
            engine.dispose()


def examine(deployment: Deployment) -> list[Finding]:
    """Every check, in the order the table shows: the store, the files, the servers' settings,
    then what is in the store."""
    store, tables = _store_findings(deployment.store_url)
    settings = deployment.settings
    secrets = deployment.secrets_file
    redirect = oidc_redirect(secrets)
    oidc = settings.get("SEIPS_AUTH")
    uses_oidc = oidc is not None and oidc.value.strip().lower() == "oidc"
    return [
        *store,
        check_store_files(sqlite_file(deployment.store_url.value)),
        check_backups(deployment.backups),
        check_env_file(deployment.env_file),
        check_secrets_file(secrets, oidc),
        check_error_details(settings, deployment.streamlit_configs),
        check_address(settings.get(ADDRESS_ENV), deployment.container),
        check_https(
            settings.get(PUBLIC_URL_ENV),
            EnvSetting(redirect, str(secrets)) if uses_oidc and redirect else None,
        ),
        check_secrets(settings, secrets),
        *tables,
    ]


def failed(findings: Sequence[Finding]) -> bool:
    """Is any check a failure (the command then exits 1)?"""
    return any(finding.status is Status.FAIL for finding in findings)
