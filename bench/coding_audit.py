"""Figures for issue 14 (coding audit): the quarter's audit and the year's code changes on the
demo clinic, as the page and the CLI run them (one unit of work each).

    .venv/bin/python bench/coding_audit.py              # 5 rounds
    .venv/bin/python bench/coding_audit.py --rounds 20

Loads the demo clinic (1,299 visits, 2025-01-06 to 2025-04-01) into a fresh SQLite database,
then times ``coding_audit(uow, "2025Q1")`` (visits and lines read, figures by therapist,
outliers, the seeded sample and its notes) and ``code_changes(uow, 2026, ...)`` (the 2025 and
2026 tables compared, every 2025 visit matched against each change). Reports the median and
the slowest, wall and CPU time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

DEMO_TODAY = dt.date(2025, 4, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from otbill.demo.load import load_demo
    from otbill.rules.registry import load_rules
    from otbill.services.claims.scrub import build_scrub_context
    from otbill.services.views.code_changes import code_changes
    from otbill.services.views.coding_audit import coding_audit
    from otbill.settings import Settings
    from otbill.storage import Database

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'bench.db'}"
        settings = Settings(data_dir=folder, database_url=url, secret_key="bench")
        db = Database(url)
        began = time.perf_counter()
        load_demo(db, build_scrub_context(settings, DEMO_TODAY), load_rules())
        print(f"demo clinic loaded in {time.perf_counter() - began:.1f} s")
        jobs = {
            "coding audit 2025Q1": lambda uow: coding_audit(uow, "2025Q1"),
            "code changes 2026": lambda uow: code_changes(uow, 2026, [settings.refdata_dir]),
        }
        for label, job in jobs.items():
            walls, cpus = [], []
            for _ in range(args.rounds):
                w, c = time.perf_counter(), time.process_time()
                with db.unit_of_work(1) as uow:
                    job(uow)
                walls.append(time.perf_counter() - w)
                cpus.append(time.process_time() - c)
            print(
                f"{label}: {args.rounds} runs; wall median {statistics.median(walls) * 1000:.0f} "
                f"ms, slowest {max(walls) * 1000:.0f} ms; CPU median "
                f"{statistics.median(cpus) * 1000:.0f} ms"
            )
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
