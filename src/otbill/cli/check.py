"""``otbill check``: configuration mistakes of a deployment, each in plain words with its fix.

Exit status: 0 when nothing is wrong (notes may still be printed), 1 when a mistake was found,
3 when the check itself crashed (:mod:`otbill.cli.crash`). It only reads: it creates no data
directory and no secret key, and migrates the database only when ``--migrate`` asks it to.

What it looks at (docs/deploy.md): the database (SQLite with several web processes; reachable;
migrated to the newest revision; the demo clinic, whose passwords ``otbill serve`` prints), the
secret key (missing, short, or a well-known value), ``OTBILL_TODAY`` (a fixed day, for demos and
tests), the data directory (writable), the reverse proxy (whether its X-Forwarded headers are believed),
on PostgreSQL whether jobs wait with no worker running (none heard from for
``OTBILL_WORKER_SILENT_MINUTES``), and, as a note, the shared reference folder.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from otbill.cli.setup import setup_of
from otbill.settings import Settings

if TYPE_CHECKING:
    from otbill.storage import Database

__all__ = [
    "MIN_SECRET_LENGTH",
    "SHARED_DIR_ENV",
    "Finding",
    "check_command",
    "find_mistakes",
    "sqlite_workers_problem",
]

MIN_SECRET_LENGTH = 32
SHARED_DIR_ENV = "OTBILL_SHARED_DIR"  # the reference folder the test suite reads
#: Keys seen in examples, tests and tutorials: anyone can sign a session with them.
WELL_KNOWN_KEYS = frozenset(
    {"secret", "changeme", "change-me", "change_me", "test", "test-secret", "dev", "development",
     "otbill", "password", "default", "insecure", "change-me-to-a-long-random-value"}
)  # fmt: skip
_NEW_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"


@dataclass(frozen=True)
class Finding:
    """One thing found: ``mistake`` (exit 1) or ``note`` (said, but not a mistake)."""

    level: str
    what: str
    fix: str

    @property
    def is_mistake(self) -> bool:
        return self.level == "mistake"


def _mistake(what: str, fix: str) -> Finding:
    return Finding("mistake", what, fix)


def _backend(url: str) -> str:
    """``sqlite`` or ``postgresql`` (the URL's scheme without its driver)."""
    return url.split(":", 1)[0].split("+", 1)[0].lower()


def _sqlite_path(url: str) -> str | None:
    """The file of an ``sqlite:///path`` URL (None in memory)."""
    path = url.split(":///", 1)[1].split("?", 1)[0] if ":///" in url else ""
    return path if path and path != ":memory:" else None


def sqlite_workers_problem(url: str, workers: int) -> str | None:
    """Why ``workers`` web processes cannot share the database at ``url`` (None: they can)."""
    if workers > 1 and _backend(url) == "sqlite":
        return (
            f"{workers} web processes on an SQLite database: SQLite lets one process write at a "
            "time, so the others would wait and fail with 'database is busy'"
        )
    return None


def _hidden(url: str) -> str:
    """The URL without its password (``user:***@host``)."""
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)


def _workers(settings: Settings, workers: int) -> list[Finding]:
    problem = sqlite_workers_problem(settings.database_url, workers)
    if problem is None:
        return []
    return [
        _mistake(
            problem + ".",
            "use PostgreSQL (OTBILL_DATABASE_URL=postgresql+psycopg://user@host/otbill) or "
            "run one web process (otbill serve --workers 1).",
        )
    ]


def _secret(settings: Settings) -> list[Finding]:
    key, where = settings.secret_key, "OTBILL_SECRET_KEY"
    kept = settings.data_dir / "secret_key"
    if not key:
        if not kept.is_file():
            return [
                _mistake(
                    f"No secret key: OTBILL_SECRET_KEY is not set and {kept} does not exist. The "
                    "key signs the session cookies' CSRF tokens; the first start would make one "
                    "in the data directory, which other hosts would not share.",
                    f"set OTBILL_SECRET_KEY to a long random value, made with: {_NEW_KEY}",
                )
            ]
        key, where = kept.read_text().strip(), str(kept)
    if key.lower() in WELL_KNOWN_KEYS:
        return [
            _mistake(
                f"The secret key in {where} is a well-known value ({key!r}): anyone could forge "
                "the CSRF tokens it signs.",
                f"set OTBILL_SECRET_KEY to a long random value, made with: {_NEW_KEY}",
            )
        ]
    if len(key) < MIN_SECRET_LENGTH:
        return [
            _mistake(
                f"The secret key in {where} is {len(key)} characters long; at least "
                f"{MIN_SECRET_LENGTH} are needed so that it cannot be guessed.",
                f"set OTBILL_SECRET_KEY to a long random value, made with: {_NEW_KEY}",
            )
        ]
    return []


def _fixed_day(settings: Settings) -> list[Finding]:
    if settings.today is None:
        return []
    return [
        _mistake(
            f"OTBILL_TODAY is set to {settings.today.isoformat()}: every date otbill writes "
            "(claims, postings, the audit trail) would fall on that day instead of today's. "
            "It is for demos and tests.",
            "unset OTBILL_TODAY in the service's environment.",
        )
    ]


def _database(settings: Settings) -> list[Finding]:
    from otbill.storage import Database
    from otbill.storage.engine import make_engine
    from otbill.storage.migrate import current_revision, head_revision
    from otbill.storage.row_security import lacks_temporary_right

    url = settings.database_url
    shown = _hidden(url)
    if _backend(url) == "sqlite":
        path = _sqlite_path(url)
        if path and not Path(path).exists():
            return [
                _mistake(
                    f"The database file {path} does not exist.",
                    "check OTBILL_DATABASE_URL and OTBILL_DATA_DIR; `otbill serve` creates and "
                    "migrates a new database when it starts.",
                )
            ]
    try:
        engine = make_engine(url)
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        current = current_revision(engine)
        temporary = _temporary_right(lacks_temporary_right(engine), engine.url.database)
    except Exception as exc:
        return [
            _mistake(
                f"The database at {shown} cannot be reached ({type(exc).__name__}).",
                "check OTBILL_DATABASE_URL (host, port, database name, user) and that the "
                "server is running and accepts this host.",
            )
        ]
    head = head_revision()
    if current != head:
        engine.dispose()
        return [
            *temporary,
            _mistake(
                f"The database at {shown} is at schema revision {current or 'none (empty)'}; "
                f"this version of otbill needs {head}.",
                "back up the database, then run `otbill check --migrate` (or start "
                "`otbill serve`, which migrates before it serves).",
            ),
        ]
    from otbill.demo.data import CLINIC
    from otbill.services.clinic.clinics import clinic_by_code
    from otbill.storage.row_security import bypassing_role

    found: list[Finding] = list(temporary)
    if clinic_by_code(Database(engine, migrate=False), str(CLINIC["code"])) is not None:
        found.append(
            _mistake(
                f"The demo clinic (code {CLINIC['code']}) is in the database at {shown}: its "
                "users' passwords are published (otbill serve prints them), so anyone can log in.",
                "use a database without the demo clinic for real patients (start with "
                "`otbill serve --no-demo` on an empty database).",
            )
        )
    found.extend(_row_security(bypassing_role(engine)))
    found.extend(_no_worker(Database(engine, migrate=False), settings.worker_silent_minutes))
    engine.dispose()
    return found


def _no_worker(db: Database, minutes: int) -> list[Finding]:
    """A mistake when jobs wait in the queue and no worker was heard from (PostgreSQL)."""
    from otbill.services.jobs.health import queue_without_worker

    found = queue_without_worker(db, minutes)
    if found is None:
        return []
    return [
        _mistake(
            f"Jobs are waiting and no worker is running ({found.detail[:-1]}): 835 postings, "
            "statement runs and clearinghouse exchanges wait until one runs them.",
            "start `otbill worker` (docs/deploy.md has a systemd unit for it) and keep it "
            "running; several are fine.",
        )
    ]


def _temporary_right(role: str | None, database: str | None) -> list[Finding]:
    """A mistake when the ``role``, held by row-level security, may not create temporary tables
    in the ``database`` (:func:`otbill.storage.row_security.lacks_temporary_right`)."""
    if role is None:
        return []
    return [
        _mistake(
            f"The PostgreSQL role {role} may not create temporary tables in the database "
            f"{database}: under row-level security otbill's bulk writes (posting an 835, "
            "importing patients) go through one, so they would fail.",
            f'give it the right: GRANT TEMPORARY ON DATABASE "{database}" TO {role}; '
            "(docs/deploy.md).",
        )
    ]


def _row_security(how: str | None) -> list[Finding]:
    """A warning when the database role escapes row-level security (``how`` it does)."""
    if how is None:
        return []
    what = f"Warning: the PostgreSQL role {how}, so row-level security does not hold for it."
    fix = "run otbill as a plain role that owns the tables (docs/deploy.md)."
    return [Finding("note", what, fix)]


def _data_dir(settings: Settings) -> list[Finding]:
    folder = settings.data_dir
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        if existing == folder:
            with tempfile.TemporaryFile(dir=folder):
                pass
        elif not os.access(existing, os.W_OK | os.X_OK):
            raise PermissionError
    except OSError:
        return [
            _mistake(
                f"The data directory {folder} is not writable by this user: the secret key, "
                "uploaded files and the login throttle's counts are kept there.",
                f"create it and give the service's user write access (chown otbill {folder}), "
                "or point OTBILL_DATA_DIR elsewhere.",
            )
        ]
    return []


#: Whose X-Forwarded-* headers uvicorn believes when OTBILL_TRUSTED_PROXIES is empty.
LOOPBACK = ("127.0.0.1", "::1")


def _proxy(settings: Settings, proxy: str | None) -> list[Finding]:
    """``proxy``: the reverse proxy's address as otbill sees it (None: no proxy in front)."""
    believed = settings.trusted_proxies or LOOPBACK
    if proxy is None or proxy in believed:
        return []
    return [
        _mistake(
            f"The reverse proxy at {proxy} is not trusted (OTBILL_TRUSTED_PROXIES: "
            f"{', '.join(settings.trusted_proxies) or 'empty, so only this host'}): its "
            "X-Forwarded-Proto and X-Forwarded-For headers are ignored, so otbill cannot tell the "
            "browser used HTTPS (the session cookie goes without the Secure flag) and every "
            "login seems to come from the proxy (one address for the login throttle).",
            f"add {proxy} to OTBILL_TRUSTED_PROXIES (comma-separated addresses).",
        )
    ]


def _shared_folder(environ: dict[str, str]) -> list[Finding]:
    folder = Path(environ.get(SHARED_DIR_ENV) or Path.cwd().parent / "shared")
    if folder.is_dir():
        return []
    return [
        Finding(
            "note",
            f"The shared reference folder {folder} is absent (OTBILL_SHARED_DIR): it holds the "
            "public X12 examples and CMS source files the test suite reads.",
            "nothing to do for serving clinics; set OTBILL_SHARED_DIR to run the test suite.",
        )
    ]


def find_mistakes(
    settings: Settings,
    *,
    workers: int = 1,
    proxy: str | None = None,
    environ: dict[str, str] | None = None,
) -> list[Finding]:
    """Every mistake (and note) of this configuration, in the order ``otbill check`` prints."""
    env = dict(os.environ) if environ is None else environ
    return [
        *_workers(settings, workers),
        *_secret(settings),
        *_fixed_day(settings),
        *_database(settings),
        *_data_dir(settings),
        *_proxy(settings, proxy),
        *_shared_folder(env),
    ]


def check_command(
    ctx: typer.Context,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            envvar="OTBILL_WORKERS",
            help="web processes you will run (otbill serve --workers)",
        ),
    ] = 1,
    proxy: Annotated[
        str | None,
        typer.Option(
            envvar="OTBILL_PROXY_ADDRESS",
            help="address of the reverse proxy in front of otbill (TLS), as otbill sees it",
        ),
    ] = None,
    database_url: Annotated[
        str | None, typer.Option(help="database URL (default: OTBILL_DATABASE_URL)")
    ] = None,
    migrate: Annotated[
        bool,
        typer.Option(help="first bring the database to the newest revision (back it up before)"),
    ] = False,
) -> None:
    """Report configuration mistakes of this deployment, each with its fix (exit 1 if any).

    With ``--migrate`` it first applies the pending migrations (an upgrade's step, run once
    before the web processes start; docs/deploy.md), then checks.
    """
    import dataclasses

    settings = setup_of(ctx).settings
    if database_url:
        settings = dataclasses.replace(settings, database_url=database_url)
    if migrate:
        from otbill.storage import upgrade

        upgrade(settings.database_url)
        typer.echo("The database is at the newest revision.")
    found = find_mistakes(settings, workers=workers, proxy=proxy)
    mistakes = [f for f in found if f.is_mistake]
    for finding in found:
        typer.echo(f"{finding.level}: {finding.what}")
        typer.echo(f"  fix: {finding.fix}")
    if mistakes:
        typer.echo(f"{len(mistakes)} mistake{'s' if len(mistakes) > 1 else ''} found.")
        raise typer.Exit(1)
    typer.echo(
        f"No mistakes found ({workers} web process{'es' if workers > 1 else ''}, "
        f"database {_hidden(settings.database_url)})."
    )
