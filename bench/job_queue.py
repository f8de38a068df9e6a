"""Figure for issue 15: the job queue's own cost on PostgreSQL: queuing a job (what a web request
pays) and running jobs through ``otbill worker`` processes (procrastinate), with no work inside.

    nice .venv/bin/python bench/job_queue.py                    # 500 jobs, 2 workers
    nice .venv/bin/python bench/job_queue.py --jobs 2000 --workers 2 --concurrency 2

A fresh schema (dropped at the end) gets a clinic; ``--jobs`` jobs of the kind ``bench.noop``
(this module, loaded by the workers through ``OTBILL_JOB_MODULES``) are queued one by one (timed:
wall and this process's CPU per job), then ``--workers`` real ``otbill worker`` processes start
and run them all (timed: wall from their start until the last job is done, jobs per second).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from otbill.services.jobs import QueueRunner, RunningJob, job_kind, queue_job
from otbill.storage import Database

HERE = Path(__file__).resolve().parent
PG_URL = os.environ.get(
    "OTBILL_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
NOOP = "bench.noop"


@job_kind(NOOP, "bench job")
def noop(db: Database, job: RunningJob) -> dict[str, Any]:
    return {"n": job.arguments["n"]}


def _done(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM job WHERE state = 'done'")).scalar_one())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from benchkit import bench_clinic

    schema = f"otbill_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    workers: list[subprocess.Popen[bytes]] = []
    try:
        db = Database(url)
        clinic, biller, _ = bench_clinic(db, "Q", 1)
        runner = QueueRunner(db)
        wall, cpu = time.perf_counter(), time.process_time()
        for n in range(args.jobs):
            queue_job(db, runner, clinic, biller, NOOP, {"n": n}, f"job-{n}")
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"queued {args.jobs} jobs: {1000 * wall / args.jobs:.1f} ms wall, "
              f"{1000 * cpu / args.jobs:.1f} ms CPU per job")  # fmt: skip
        env = {**os.environ, "OTBILL_DATABASE_URL": url, "OTBILL_JOB_MODULES": "job_queue",
               "PYTHONPATH": os.pathsep.join([str(HERE), str(HERE.parent / "src")])}  # fmt: skip
        command = [
            sys.executable,
            "-m",
            "otbill.cli",
            "worker",
            "--concurrency",
            str(args.concurrency),
        ]
        start = time.perf_counter()
        for _ in range(args.workers):
            workers.append(subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL))  # fmt: skip
        while _done(db) < args.jobs:
            time.sleep(0.1)
            if time.perf_counter() - start > 900:
                raise SystemExit(f"only {_done(db)} of {args.jobs} done after 15 minutes")
        took = time.perf_counter() - start
        with db.engine.connect() as conn:
            first, last = conn.execute(
                text("SELECT min(started_at), max(finished_at) FROM job")
            ).one()
        running = (last - first).total_seconds()
        print(f"ran {args.jobs} jobs with {args.workers} workers x {args.concurrency}: "
              f"{took:.1f} s wall from the workers' start, {running:.1f} s from the first job's "
              f"start to the last one's end ({args.jobs / running:.0f} jobs/s)")  # fmt: skip
        db.dispose()
    finally:
        for process in workers:
            process.send_signal(signal.SIGTERM)
        for process in workers:
            process.wait(60)
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
