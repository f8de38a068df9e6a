"""Where a queue page's or a claim search's time goes at 10,000,000 lines (issue 15, brief H4).

    nice .venv/bin/python bench/scale_profile.py [--database otbill_scale] [--runs 20] [--top 30]

One process, no HTTP server: the app (``create_app``) on the kept ``bench/scale.py`` database,
driven in process (httpx's ASGI transport, worker-thread calls run inline) as the biller of the biggest clinic (``--rank`` picks
another by size). Each of bench/scale.py's pages (the dashboard left out) is requested once to
warm, then ``--runs`` times: the median wall and this process's CPU per page (the queries' own
time is PostgreSQL's, in another process, so CPU here is what the web app spends). Then all pages
once more under cProfile, and the functions with the most time of their own and cumulated.
The database is read as it is (no migration).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).parent))
import anyio.to_thread
import httpx
from sqlalchemy import text

from otbill.settings import Settings
from otbill.storage import Database
from otbill.web.app import create_app
from scale import PG_URL, TODAY, label, pages
from scale_data import BILLER_PASSWORD

T = TypeVar("T")


def clinic_code(url: str, rank: int) -> tuple[str, list[str]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        code = conn.scalar(text(
            "SELECT c.code FROM clinic c JOIN claim k ON k.clinic_id = c.id GROUP BY c.code "
            "ORDER BY count(*) DESC, c.code OFFSET :rank LIMIT 1"), {"rank": rank})  # fmt: skip
        paths = [p for p in pages(conn, code) if not p.startswith("/dashboard")]
    engine.dispose()
    return str(code), paths


async def _inline(func: Callable[..., T], *args: object, **_: object) -> T:
    return func(*args)


def inline_threads() -> None:
    """Run what the app sends to worker threads (sync routes, sessions) in the caller's thread,
    so that cProfile, which follows one thread, sees the whole request (one client: no loss)."""
    anyio.to_thread.run_sync = _inline  # type: ignore[assignment]


async def logged_in(client: httpx.AsyncClient, code: str) -> None:
    page = await client.get("/login")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "no CSRF token on the login page"
    form = {"clinic": code, "username": "biller", "password": BILLER_PASSWORD,
            "csrf_token": found[1]}  # fmt: skip
    response = await client.post("/login", data=form)
    assert response.status_code == 303, response.status_code


async def fetch(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")


async def measure(app: object, code: str, paths: list[str], runs: int) -> cProfile.Profile:
    """Each page's median wall and CPU over ``runs``, printed; a profile of three more rounds."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        await logged_in(client, code)
        for path in paths:
            await fetch(client, path)
        print("| Page | Median wall ms | Median CPU ms |\n|---|---|---|")
        for path in paths:
            walls, cpus = [], []
            for _ in range(runs):
                wall, cpu = time.perf_counter(), time.process_time()
                await fetch(client, path)
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            print(f"| `{label(path)}` | {statistics.median(walls):.1f} "
                  f"| {statistics.median(cpus):.1f} |", flush=True)  # fmt: skip
        profile = cProfile.Profile(time.process_time)  # CPU, not wall: the machine is shared
        profile.enable()
        for _ in range(3):
            for path in paths:
                await fetch(client, path)
        profile.disable()
    return profile


def time_statements(engine: Engine) -> dict[str, list[float]]:
    """Wall ms of every statement sent, by its text (with the bound values' shape)."""
    spent: dict[str, list[float]] = {}

    def before(conn: object, _c: object, _s: str, _p: object, context: Any, _m: bool) -> None:
        context._bench_start = time.perf_counter()

    def after(conn: object, _c: object, statement: str, _p: object, context: Any, _m: bool) -> None:
        took = (time.perf_counter() - context._bench_start) * 1000
        spent.setdefault(" ".join(statement.split())[:150], []).append(took)

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    return spent


def print_packages(profile: cProfile.Profile) -> None:
    """Time of its own per package (where the CPU goes), the wait for PostgreSQL apart."""
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    own: dict[str, float] = {}
    for (path, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.items():
        found = re.search(r"site-packages/([^/]+)", path) or re.search(r"src/(otbill/[^/]+)", path)
        package = found[1] if found else ("<built-in>" if path == "~" else Path(path).name)
        if package == "psycopg" and name == "wait":
            package = "psycopg (waiting for PostgreSQL: CPU of the wait loop only)"
        own[package] = own.get(package, 0.0) + tottime
    print("| Package | Own time s |\n|---|---|")
    for package, seconds in sorted(own.items(), key=lambda kv: -kv[1])[:20]:
        print(f"| {package} | {seconds:.3f} |")


def print_statements(spent: dict[str, list[float]], top: int) -> None:
    print("| Statement | Runs | Total ms | Median ms |\n|---|---|---|---|")
    ranked = sorted(spent.items(), key=lambda kv: -sum(kv[1]))[:top]
    for statement, took in ranked:
        print(f"| {statement} | {len(took)} | {sum(took):.0f} | {statistics.median(took):.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="otbill_scale")
    parser.add_argument("--rank", type=int, default=0, help="the clinic by size (0: biggest)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--only", default="", help="only the pages starting with this")
    args = parser.parse_args()
    url = make_url(PG_URL).set(database=args.database).render_as_string(hide_password=False)
    code, paths = clinic_code(url, args.rank)
    paths = [p for p in paths if p.startswith(args.only)]
    print(f"clinic {code}; load average {os.getloadavg()[0]:.1f} at start", flush=True)
    inline_threads()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=url, secret_key="bench")
        db = Database(url, migrate=False)
        spent = time_statements(db.engine)
        app = create_app(settings, database=db, today=TODAY)
        profile = asyncio.run(measure(app, code, paths, args.runs))
        app.state.db.dispose()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.top)
        print(out.getvalue())
    print_packages(profile)
    print_statements(spent, args.top)
    print(f"load average {os.getloadavg()[0]:.1f} at end")


if __name__ == "__main__":
    main()
