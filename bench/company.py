"""Figure for issue 15 (brief H4): a billing company over 200 clinics on PostgreSQL; its dashboard
and cross-clinic work queue, read as a plain role under row-level security and as the superuser.

    nice .venv/bin/python bench/company.py [--clinics 200] [--lines 250000] [--runs 15] [--keep]
    nice .venv/bin/python bench/company.py --reuse        # measure again on the kept database
    nice .venv/bin/python bench/company.py --database otbill_scale  # bench/scale.py's database

``--database NAME`` reads another kept database as it is (never built, migrated or dropped here:
bench/scale.py's 10,000,000 lines); its company BENCHCO, one user granted every clinic, is made
there on the first run.

Builds database ``otbill_company_bench`` on the local PostgreSQL (``OTBILL_BENCH_POSTGRES_URL``'s
server; dropped first, and at the end unless ``--keep``) with bench/scale_data.py's generator
(``--clinics`` clinics, ``--lines`` claim lines in all, a Zipf-like spread), makes a company whose
one user is granted every clinic, and times ``company_dashboard`` (receivables, claims by state,
denials and unbilled visits of all clinics, one query per figure grouped by clinic) and
``company_queue`` (each tab's first page, a later page, one clinic, a search) ``--runs`` times
each, as a plain role (the policy applies) and as the superuser (it does not). Prints the median
and the slowest run, wall and CPU, per read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).parent))
from otbill.services.clinic import companies
from otbill.services.views.company import company_dashboard, company_queue
from otbill.storage import Database
from otbill.storage.engine import make_engine
from scale_data import clinic_sizes, load, make_clinics

PG_URL = os.environ.get(
    "OTBILL_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
NAME = "otbill_company_bench"
TODAY = dt.date(2026, 6, 30)
#: A last name of bench/scale_data.py's patients (about one patient in forty holds it).
SEARCH = "garcia"


def _say(step: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {step}", flush=True)


def _admin(statement: str) -> None:
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(statement))
    engine.dispose()


def build(url: str, clinics: int, lines: int) -> int:
    """The database with its clinics and one company user holding them all; that user's id."""
    _admin(f'DROP DATABASE IF EXISTS "{NAME}"')
    _admin(f'CREATE DATABASE "{NAME}"')
    db = Database(url)
    _say(f"{clinics} clinics")
    plan = list(make_clinics(db, clinic_sizes(clinics, lines)))
    with db.engine.begin() as conn:
        load(conn, plan, TODAY, _say)
    _say("the company, granted every clinic")
    companies.create_company(db, "BENCHCO", "Bench Billing Co")
    user = companies.add_company_user(db, "BENCHCO", "boss", "Bo", "bench-password-1", owner=True)
    for row in plan:
        companies.grant_clinic(db, user, row.clinic_id, ["biller"], actor_id=None, by="bench")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
        sizes = conn.execute(text(
            "SELECT (SELECT count(*) FROM clinic), (SELECT count(*) FROM claim), "
            "(SELECT count(*) FROM claim_line), (SELECT count(*) FROM posting)")).one()  # fmt: skip
    engine.dispose()
    db.dispose()
    print("clinics {:,}, claims {:,}, claim lines {:,}, postings {:,}".format(*sizes))
    return user


def company_user(url: str) -> int:
    """BENCHCO's user in a kept database, made (granted every clinic) when missing; unmigrated."""
    db = Database(url, migrate=False)
    try:
        if companies.company_by_code(db, "BENCHCO") is not None:
            return companies.company_users(db, "BENCHCO")[0].id
        companies.create_company(db, "BENCHCO", "Bench Billing Co")
        user = companies.add_company_user(
            db, "BENCHCO", "boss", "Bo", "bench-password-1", owner=True
        )
        with db.engine.connect() as conn:
            clinic_ids = list(conn.scalars(text("SELECT id FROM clinic ORDER BY id")))
        for clinic_id in clinic_ids:
            companies.grant_clinic(db, user, clinic_id, ["biller"], actor_id=None, by="bench")
        return user
    finally:
        db.dispose()


def plain_role(url: str) -> tuple[Database, str]:
    """The database as a fresh role without superuser or BYPASSRLS (the policy applies)."""
    role = f"otbill_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS"))
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"))
    engine.dispose()
    plain = make_engine(url)

    @event.listens_for(plain, "connect")
    def _as_role(dbapi_connection: object, _record: object) -> None:
        with dbapi_connection.cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute(f"SET ROLE {role}")

    return Database(plain, migrate=False), role


def timed(read: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    read()  # warm the pool and the caches
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        read()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return walls, cpus


def measure(db: Database, user: int, runs: int, label: str, skip: str = "") -> None:
    granted = companies.granted_clinics(db, user)
    access = companies.company_access(db, granted[0].user_id)
    assert access is not None and len(access.clinics) == len(granted)
    reads: dict[str, Callable[[], object]] = {
        "dashboard": lambda: company_dashboard(db, access),
        "queue held": lambda: company_queue(db, access, "held"),
        "queue ready": lambda: company_queue(db, access, "ready"),
        "queue denied": lambda: company_queue(db, access, "denied"),
        "queue follow-up": lambda: company_queue(db, access, "follow-up"),
        "queue follow-up p.20": lambda: company_queue(db, access, "follow-up", page=20),
        "queue one clinic": lambda: company_queue(
            db, access, "denied", clinic_id=granted[len(granted) // 2].clinic_id
        ),
        "queue search": lambda: company_queue(db, access, "denied", search=SEARCH),
        "queue search, payer": lambda: company_queue(db, access, "denied", search="aetna"),
    }
    print(f"{label}: {len(granted)} clinics, {runs} runs each (ms: median / slowest, wall | CPU)")
    for name, read in reads.items():
        if skip and name.startswith(skip):
            continue
        walls, cpus = timed(read, runs)
        print(
            f"  {name:22} {statistics.median(walls):7.1f} / {max(walls):7.1f}"
            f"  | {statistics.median(cpus):6.1f} / {max(cpus):6.1f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, default=200)
    parser.add_argument("--lines", type=int, default=250_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="the kept database, not rebuilt")
    parser.add_argument("--database", default="", help="another kept database, read as it is")
    parser.add_argument("--skip", default="", help="leave out the reads starting with this")
    args = parser.parse_args()
    name = args.database or NAME
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    print(f"load average {os.getloadavg()[0]:.1f} at start", flush=True)
    if args.database:
        user = company_user(url)
    elif args.reuse:
        kept = Database(url)
        user = companies.company_users(kept, "BENCHCO")[0].id
        kept.dispose()
    else:
        user = build(url, args.clinics, args.lines)
    plain, role = plain_role(url)
    try:
        measure(plain, user, args.runs, "plain role (row-level security applies)", args.skip)
        superuser = Database(url, migrate=False)
        measure(superuser, user, args.runs, "superuser (no row-level security)", args.skip)
        superuser.dispose()
    finally:
        plain.dispose()
        owner = create_engine(url, isolation_level="AUTOCOMMIT")
        with owner.connect() as conn:  # the role's grants, before the role can go
            conn.execute(text(f"DROP OWNED BY {role}"))
        owner.dispose()
        _admin(f"DROP ROLE {role}")
        if not (args.keep or args.reuse or args.database):
            _admin(f'DROP DATABASE IF EXISTS "{NAME}"')
    print(f"load average {os.getloadavg()[0]:.1f} at end", flush=True)


if __name__ == "__main__":
    main()
