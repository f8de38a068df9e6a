"""Figure for issue 6: work-queue pages with 100,000 claims stored (SQLite), under load.

    .venv/bin/python bench/web.py [--clients 20] [--seconds 30] [--claims 100000]

Builds an SQLite database with the demo clinic padded to 100,000 claims (copies of real demo
claims: held ones keep real findings), starts `otbill serve` on loopback in its own process, logs
in 20 biller sessions, then runs 20 concurrent clients for 30 seconds, each requesting the
work-queue pages in turn (every tab, first and a later page, and filtered views). Prints the
median, 90th and 99th percentile latency per page and overall. Target: median under 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from otbill.demo.load import load_demo
from otbill.rules.registry import load_rules
from otbill.services.claims.scrub import build_scrub_context
from otbill.settings import Settings
from otbill.storage import Database
from otbill.storage.tables import ClinicRow
from storage import pad_claims

TODAY = dt.date(2025, 4, 1)
PAGES = [
    "/queues/held",
    "/queues/ready",
    "/queues/awaiting-approval",
    "/queues/approved",
    "/queues/submitted",
    "/queues/denied",
    "/queues/rejected",
    "/queues/ready?page=40",
    "/queues/held?date_from=2024-06-01&date_to=2024-09-30",
]


def build_database(folder: Path, claims: int) -> str:
    url = f"sqlite:///{folder / 'bench.db'}"
    settings = Settings(data_dir=folder, database_url=url, secret_key="bench")
    db = Database(url)
    load_demo(db, build_scrub_context(settings, TODAY), load_rules())
    with db.session() as session:
        clinic = session.query(ClinicRow).filter_by(code="DEMO").one()
    total = pad_claims(db, clinic.id, claims, random.Random(7))
    db.dispose()
    print(f"database ready: {total:,} claims", flush=True)
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    url: str, folder: Path, port: int, today: dt.date = TODAY, extra: tuple[str, ...] = ()
) -> subprocess.Popen[bytes]:
    """``otbill serve`` (with ``extra`` options) on loopback, once it answers."""
    env = {**os.environ, "OTBILL_DATA_DIR": str(folder), "OTBILL_SECRET_KEY": "bench"}
    command = [sys.executable, "-m", "otbill.cli", "serve", "--database-url", url]
    command += ["--port", str(port), "--no-demo", "--today", today.isoformat(), *extra]
    return answering(subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL), port)


def answering(server: subprocess.Popen[bytes], port: int) -> subprocess.Popen[bytes]:
    """``server`` once it answers on ``port`` (killed, and the run stopped, after 2 minutes)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


async def logged_in(
    base: str, clinic: str = "DEMO", password: str = "demo-biller"
) -> httpx.AsyncClient:
    """A client logged in as the clinic's ``biller``."""
    client = httpx.AsyncClient(base_url=base, timeout=60)
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login page"
    form = {
        "clinic": clinic,
        "username": "biller",
        "password": password,
        "csrf_token": token[1],
    }
    response = await client.post("/login", data=form)
    assert response.status_code in (200, 303), response.status_code
    return client


async def worker(
    client: httpx.AsyncClient, stop: float, offset: int, samples: dict[str, list[float]]
) -> None:
    n = offset
    while time.monotonic() < stop:
        path = PAGES[n % len(PAGES)]
        n += 1
        start = time.perf_counter()
        response = await client.get(path)
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
        samples.setdefault(path, []).append(elapsed)


async def load(base: str, clients: int, seconds: float) -> dict[str, list[float]]:
    sessions = [await logged_in(base) for _ in range(clients)]
    samples: dict[str, list[float]] = {}
    stop = time.monotonic() + seconds
    await asyncio.gather(*(worker(c, stop, i, samples) for i, c in enumerate(sessions)))
    for c in sessions:
        await c.aclose()
    return samples


def row(name: str, values: list[float]) -> str:
    """A table row: the page, requests, median, p90 and p99 in milliseconds."""
    q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
    return f"| {name} | {len(values):,} | {statistics.median(values) * 1000:.0f} | {q[89] * 1000:.0f} | {q[98] * 1000:.0f} |"


def report(samples: dict[str, list[float]], seconds: float) -> None:
    print("| Page | Requests | Median ms | p90 ms | p99 ms |")
    print("|---|---|---|---|---|")
    for path, values in samples.items():
        print(row(path, values))
    everything = [v for values in samples.values() for v in values]
    print(row("**all queue pages**", everything))
    print(f"throughput: {len(everything) / seconds:,.0f} requests/s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--claims", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = build_database(folder, args.claims)
        port = free_port()
        server = start_server(url, folder, port)
        try:
            samples = asyncio.run(load(f"http://127.0.0.1:{port}", args.clients, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=10)
    report(samples, args.seconds)


if __name__ == "__main__":
    main()
