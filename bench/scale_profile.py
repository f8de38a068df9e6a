"""Where a queue page's or a claim search's time goes at 10,000,000 lines (issue 15, brief H4).

    nice .venv/bin/python bench/scale_profile.py [--database otbill_scale] [--runs 20] [--top 30]

One process, no HTTP server: the app (``create_app``) on the kept ``bench/scale.py`` database,
driven by Starlette's in-process client as the biller of the biggest clinic (``--rank`` picks
another by size). Each of bench/scale.py's pages (the dashboard left out) is requested once to
warm, then ``--runs`` times: the median wall and this process's CPU per page (the queries' own
time is PostgreSQL's, in another process, so CPU here is what the web app spends). Then all pages
once more under cProfile, and the functions with the most time of their own and cumulated.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).parent))
from fastapi.testclient import TestClient
from sqlalchemy import text

from otbill.settings import Settings
from otbill.web.app import create_app
from scale import PG_URL, TODAY, label, pages
from scale_data import BILLER_PASSWORD


def clinic_code(url: str, rank: int) -> tuple[str, list[str]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        code = conn.scalar(text(
            "SELECT c.code FROM clinic c JOIN claim k ON k.clinic_id = c.id GROUP BY c.code "
            "ORDER BY count(*) DESC, c.code OFFSET :rank LIMIT 1"), {"rank": rank})  # fmt: skip
        paths = [p for p in pages(conn, code) if not p.startswith("/dashboard")]
    engine.dispose()
    return str(code), paths


def logged_in(client: TestClient, code: str) -> None:
    page = client.get("/login")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "no CSRF token on the login page"
    form = {"clinic": code, "username": "biller", "password": BILLER_PASSWORD,
            "csrf_token": found[1]}  # fmt: skip
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 303, response.status_code


def fetch(client: TestClient, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="otbill_scale")
    parser.add_argument("--rank", type=int, default=0, help="the clinic by size (0: biggest)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    url = make_url(PG_URL).set(database=args.database).render_as_string(hide_password=False)
    code, paths = clinic_code(url, args.rank)
    print(f"clinic {code}; load average {os.getloadavg()[0]:.1f} at start", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=url, secret_key="bench")
        app = create_app(settings, today=TODAY)
        with TestClient(app, base_url="http://localhost") as client:
            logged_in(client, code)
            for path in paths:
                fetch(client, path)
            print("| Page | Median wall ms | Median CPU ms |\n|---|---|---|")
            for path in paths:
                walls, cpus = [], []
                for _ in range(args.runs):
                    wall, cpu = time.perf_counter(), time.process_time()
                    fetch(client, path)
                    walls.append((time.perf_counter() - wall) * 1000)
                    cpus.append((time.process_time() - cpu) * 1000)
                print(f"| `{label(path)}` | {statistics.median(walls):.1f} "
                      f"| {statistics.median(cpus):.1f} |", flush=True)  # fmt: skip
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(3):
                for path in paths:
                    fetch(client, path)
            profile.disable()
        app.state.db.dispose()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.top)
        print(out.getvalue())
    print(f"load average {os.getloadavg()[0]:.1f} at end")


if __name__ == "__main__":
    main()
