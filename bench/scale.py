"""Figure for issue 15: 200 clinics, 10,000,000 claim lines on PostgreSQL; queues, search, dashboard.

    nice .venv/bin/python bench/scale.py [--lines 10000000] [--clinics 200] [--keep]
    nice .venv/bin/python bench/scale.py --reuse          # measure again on the kept database
    nice .venv/bin/python bench/scale.py --reuse --as-is  # ... without migrating it first

Builds database ``otbill_scale`` on the local PostgreSQL (``OTBILL_BENCH_POSTGRES_URL``'s server;
dropped first, and at the end unless ``--keep``) with ``--clinics`` clinics holding ``--lines``
claim lines in all (bench/scale_data.py: generated in SQL), starts ``otbill serve --workers 2`` on
loopback, logs in the billers of clinics big and small, and runs ``--clients`` concurrent clients
for ``--seconds`` over every work-queue tab, a later page, filtered queues, claim search (by number,
patient name, payer, date range) and the dashboard. Prints median, p90 and p99 per page and group.
Targets: queues and search at most 200 ms median and 500 ms p99; the dashboard 300 ms median.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).parent))
from otbill.storage import Database
from scale_data import BILLER_PASSWORD, clinic_sizes, load, make_clinics
from web import answering, free_port, logged_in, row, start_server

PG_URL = os.environ.get(
    "OTBILL_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TODAY = dt.date(2026, 6, 30)
#: Which clinics' billers log in (by size rank: the biggest, middle-sized, the smallest).
LOGINS = (0, 1, 2, 4, 9, 19, 49, 99, 149, 199)


def _say(step: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {step}", flush=True)


def build(url: str, clinics: int, lines: int) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = make_url(url).database
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    start = time.perf_counter()
    db = Database(url)
    _say(f"{clinics} clinics")
    plan = list(make_clinics(db, clinic_sizes(clinics, lines)))
    with db.engine.begin() as conn:
        load(conn, plan, TODAY, _say)
    db.dispose()
    analyze(url)
    print(f"built in {time.perf_counter() - start:.0f} s", flush=True)


def analyze(url: str, vacuum: bool = True) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE" if vacuum else "ANALYZE"))
        sizes = conn.execute(text(
            "SELECT (SELECT count(*) FROM clinic), (SELECT count(*) FROM claim), "
            "(SELECT count(*) FROM claim_line), (SELECT count(*) FROM posting), "
            "pg_size_pretty(pg_database_size(current_database()))")).one()  # fmt: skip
    engine.dispose()
    print("clinics {:,}, claims {:,}, claim lines {:,}, postings {:,}, database {}".format(*sizes))


def clinic_logins(url: str) -> list[tuple[str, list[str]]]:
    """(clinic code, the page paths its clients request) for the clinics in LOGINS."""
    engine = create_engine(url)
    out = []
    with engine.connect() as conn:
        codes = list(conn.scalars(text(
            "SELECT c.code FROM clinic c JOIN claim k ON k.clinic_id = c.id "
            "GROUP BY c.code ORDER BY count(*) DESC, c.code")))  # fmt: skip
        for rank in LOGINS:
            if rank < len(codes):
                out.append((codes[rank], pages(conn, codes[rank])))
    engine.dispose()
    return out


def pages(conn: object, code: str) -> list[str]:
    """Every page the bench requests for the clinic ``code``, with its own ids and names."""
    row = conn.execute(text(  # type: ignore[attr-defined]
        "SELECT (SELECT min(id) FROM payer p WHERE p.clinic_id = c.id), "
        "(SELECT min(number) FROM claim k WHERE k.clinic_id = c.id AND k.id % 97 = 0), "
        "(SELECT last_name FROM patient p WHERE p.clinic_id = c.id ORDER BY id LIMIT 1 OFFSET 30) "
        "FROM clinic c WHERE c.code = :code"), {"code": code}).one()  # fmt: skip
    payer, number, last_name = row
    month = (TODAY - dt.timedelta(days=90)).isoformat(), (TODAY - dt.timedelta(days=60)).isoformat()
    return [
        "/queues/held", "/queues/ready", "/queues/awaiting-approval", "/queues/approved",
        "/queues/submitted", "/queues/denied", "/queues/rejected", "/queues/submitted?page=20",
        f"/queues/held?date_from={month[0]}&date_to={month[1]}", f"/queues/denied?payer={payer}",
        f"/claims?number={number}", f"/claims?patient={last_name}", f"/claims?payer={payer}",
        f"/claims?date_from={month[0]}&date_to={month[1]}", "/dashboard",
    ]  # fmt: skip


def start_as_is(url: str, folder: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    """The web processes on the database as it is, unmigrated (uvicorn with otbill serve's own
    factory; ``--as-is``: a kept database measured without another change's migrations)."""
    env = {**os.environ, "OTBILL_DATA_DIR": str(folder), "OTBILL_SECRET_KEY": "bench",
           "OTBILL_DATABASE_URL": url, "OTBILL_TODAY": TODAY.isoformat()}  # fmt: skip
    command = [sys.executable, "-m", "uvicorn", "otbill.web.factory:app_from_environment",
               "--factory", "--workers", str(workers), "--port", str(port), "--log-level",
               "warning"]  # fmt: skip
    return answering(subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL), port)


def label(path: str) -> str:
    """The page a path is an instance of: ids, names and dates replaced by what they are."""
    return re.sub(r"=([^&]+)", lambda m: "=" + ("…" if not m[1].isdigit() else "N"), path)


async def client_loop(
    client: httpx.AsyncClient,
    paths: list[str],
    stop: float,
    n: int,
    samples: dict[str, list[float]],
) -> None:
    while time.monotonic() < stop:
        path = paths[n % len(paths)]
        n += 1
        start = time.perf_counter()
        response = await client.get(path)
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
        samples.setdefault(label(path), []).append(elapsed)


async def run_load(
    base: str, logins: list[tuple[str, list[str]]], clients: int, seconds: float
) -> dict[str, list[float]]:
    chosen = [logins[i % len(logins)] for i in range(clients)]
    sessions = [await logged_in(base, code, BILLER_PASSWORD) for code, _ in chosen]

    async def warm(client: httpx.AsyncClient, paths: list[str]) -> None:
        for path in paths:  # each clinic's pages once: the workers' caches and PostgreSQL's
            await client.get(path)

    await asyncio.gather(*(warm(c, paths) for c, (_, paths) in zip(sessions, logins, strict=False)))
    samples: dict[str, list[float]] = {}
    stop = time.monotonic() + seconds
    await asyncio.gather(*(client_loop(c, paths, stop, i * 3, samples)
                           for i, (c, (_, paths)) in enumerate(zip(sessions, chosen, strict=True))))  # fmt: skip
    for client in sessions:
        await client.aclose()
    return samples


def report(samples: dict[str, list[float]], seconds: float) -> None:
    print("| Page | Requests | Median ms | p90 ms | p99 ms |\n|---|---|---|---|---|")
    for name, values in samples.items():
        print(row(f"`{name}`", values))
    groups = {"queues": "/queues", "claim search": "/claims", "dashboard": "/dashboard"}
    for group, prefix in groups.items():
        values = [v for k, vs in samples.items() if k.startswith(prefix) for v in vs]
        if values:
            print(row(f"**all {group}**", values))
    everything = [v for values in samples.values() for v in values]
    print(row("**all pages**", everything))
    print(f"throughput: {len(everything) / seconds:,.0f} requests/s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--clinics", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default="otbill_scale")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure the kept database again")
    parser.add_argument("--skip", default="", help="leave out pages starting with this")
    parser.add_argument(
        "--as-is", action="store_true", help="with --reuse: measure the database unmigrated"
    )
    parser.add_argument("--only", default="", help="request only pages starting with this")
    args = parser.parse_args()
    url = make_url(PG_URL).set(database=args.database).render_as_string(hide_password=False)
    if args.reuse:
        Database(url, migrate=not args.as_is).dispose()  # else: to the newest migration
        analyze(url, vacuum=False)
    else:
        build(url, args.clinics, args.lines)
    logins = [(code, [p for p in paths if not (args.skip and p.startswith(args.skip))
                      and p.startswith(args.only)])
              for code, paths in clinic_logins(url)]  # fmt: skip
    try:
        with tempfile.TemporaryDirectory() as tmp:
            port = free_port()
            if args.as_is:
                server = start_as_is(url, Path(tmp), port, args.workers)
            else:
                workers = ("--workers", str(args.workers))
                server = start_server(url, Path(tmp), port, TODAY, workers)
            try:
                base = f"http://127.0.0.1:{port}"
                samples = asyncio.run(run_load(base, logins, args.clients, args.seconds))
            finally:
                server.terminate()
                server.wait(timeout=30)
        report(samples, args.seconds)
    finally:
        if not args.keep:
            admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{args.database}"'))
            admin.dispose()


if __name__ == "__main__":
    main()
