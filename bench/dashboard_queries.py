"""Figure for issue 15: the dashboard's queries one at a time on the kept 10,000,000-line database.

    nice .venv/bin/python bench/dashboard_queries.py [--database otbill_scale] [--runs 5]

In process, no HTTP, on the kept ``otbill_scale`` database (bench/scale.py --keep; not migrated
here): each named query of the clinic dashboard for the biggest clinic (and the smallest), the
whole dashboard (``services.views.dashboard``), and the company dashboard's figures over every
clinic. Prints median and slowest wall milliseconds of ``--runs`` runs after one warm-up, and this
process's CPU milliseconds for the median run's share (PostgreSQL's own CPU is not in it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from otbill.services.views.dashboard import cached_dashboard, dashboard
from otbill.services.views.figures import Window
from otbill.services.views.queue_cache import QueueCache
from otbill.storage import Database
from otbill.storage.repositories.company_reads import CompanyReads

PG_URL = os.environ.get(
    "OTBILL_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TODAY = dt.date(2026, 6, 30)  # bench/scale.py's --today


def _time(call: Callable[[], Any], runs: int) -> tuple[float, float, float]:
    """(median wall ms, slowest wall ms, mean CPU ms) of ``runs`` calls after one warm-up."""
    call()
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), max(walls), statistics.mean(cpus)


def _clinic_queries(db: Database, clinic_id: int) -> dict[str, Callable[[], Any]]:
    window = Window.ending(TODAY, 12)
    first, end = window.first, window.end

    def on(name: str, *args: Any) -> Callable[[], Any]:
        def call() -> Any:
            with db.unit_of_work(clinic_id) as uow:
                return getattr(uow.reports, name)(*args)

        return call

    def whole() -> Any:
        with db.unit_of_work(clinic_id) as uow:
            return dashboard(uow, TODAY)

    cache = QueueCache()

    def repeat() -> Any:  # the web page's: kept until the clinic's audit head moves
        with db.unit_of_work(clinic_id) as uow:
            return cached_dashboard(uow, TODAY, cache)

    return {
        "first scrubs (clean-claim rate)": on("first_scrubs", first, end),
        "payments by payer": on("payments_by_payer", first, end),
        "paid visits by payer": on("paid_visits_by_payer", first, end),
        "open balances (A/R)": on("open_balances"),
        "denial causes": on("denial_causes", first, end),
        "decided claims": on("decided_claims", first, end),
        "unbilled visit lines (kept set)": on("unbilled_visit_lines"),
        "claims by payer": on("claims_by_payer", first, end),
        "claims by status": on("claims_by_status"),
        "visits per day": on("visits_per_day", first, end),
        "under appeal": on("under_appeal"),
        "**whole dashboard** (a first view)": whole,
        "whole dashboard, a repeat view (cached)": repeat,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="otbill_scale")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = make_url(PG_URL).set(database=args.database).render_as_string(hide_password=False)
    db = Database(url, migrate=False)
    with db.engine.connect() as conn:
        sizes = conn.execute(text("SELECT clinic_id, count(*) FROM claim GROUP BY clinic_id "
                                  "ORDER BY count(*) DESC")).all()  # fmt: skip
    print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} at start")
    for clinic_id, claims in (sizes[0], sizes[-1]):
        print(f"\nclinic {clinic_id} ({claims:,} claims)\n")
        print("| query | median ms | slowest ms | CPU ms |\n|---|---|---|---|")
        for name, call in _clinic_queries(db, clinic_id).items():
            median, slowest, cpu = _time(call, args.runs)
            print(f"| {name} | {median:,.0f} | {slowest:,.0f} | {cpu:,.0f} |", flush=True)
    every = [clinic_id for clinic_id, _ in sizes]
    median, slowest, cpu = _time(lambda: CompanyReads(db, every).figures(), args.runs)
    print(f"\ncompany dashboard figures, {len(every)} clinics: median {median:,.0f} ms, "
          f"slowest {slowest:,.0f} ms, CPU {cpu:,.0f} ms")  # fmt: skip
    print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} at the end")
    db.dispose()


if __name__ == "__main__":
    main()
