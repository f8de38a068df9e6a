"""Figure for issue 15: claims through build → scrub → 837P with 2 worker processes, claims/s.

    nice .venv/bin/python bench/pipeline.py                                  # PostgreSQL, 4 clinics
    nice .venv/bin/python bench/pipeline.py --clinics 8 --visits 5000 --workers 2

Target: >= 12 claims/s sustained (1,000,000 claims a day); aim >= 1,000 claims/s. Each clinic
(5 therapists, 100 Medicare patients with plans of care) gets ``visits`` visits of two timed
codes with signed notes, written straight to the tables (not timed). The visits are cut into jobs
of ``--batch`` visits (whole patient-days), and ``--workers`` processes (multiprocessing) run
:func:`otbill.services.claims.batch_pipeline.run_batch` on them — build, scrub, store, and the
prepared 837P of the clean claims written to a temporary folder. Reported: claims built per
second of wall time from the first job to the last, and the workers' CPU seconds (PostgreSQL's
own CPU is not in it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text, update

from otbill.payers import load_profiles
from otbill.rules.context import ScrubContext
from otbill.rules.registry import load_rules
from otbill.services.claims.batch_pipeline import run_batch
from otbill.storage import Database
from otbill.storage.audit import utcnow
from otbill.storage.tables import ClinicRow, NoteRow, PatientRow, ServiceLineRow, VisitRow
from storage import CODES, NOTE, PG_URL, _setup

TODAY = dt.date(2026, 1, 15)
Job = tuple[int, int, list[int]]  # clinic, actor, visit ids


def _visit_rows(
    cid: int, first_id: int, providers: list[int], people: list[tuple[int, int, int]], n: int,
    rng: random.Random,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:  # fmt: skip
    """Visits (ids from ``first_id``), two service lines each and a signed note."""
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=d) for d in range(365)]
    days = [d for d in days if d.weekday() < 5]
    visits, lines, notes = [], [], []
    vid = first_id - 1
    for k, (pid, cov, plan) in enumerate(people):
        for day in sorted(rng.sample(days, n // len(people))):
            vid += 1
            visits.append({"id": vid, "clinic_id": cid, "patient_id": pid, "coverage_id": cov,
                           "provider_id": providers[k % len(providers)], "plan_of_care_id": plan,
                           "date": day, "place_of_service": "11", "telehealth": False})  # fmt: skip
            minutes = [rng.randint(10, 35), rng.randint(10, 35)]
            for pos, code in enumerate(rng.sample(CODES, 2), start=1):
                lines.append({"clinic_id": cid, "visit_id": vid, "position": pos, "code": code,
                              "minutes": minutes[pos - 1], "units": 2, "modifiers": "",
                              "distinct_service": False})  # fmt: skip
            total = sum(minutes) + 5
            notes.append({"clinic_id": cid, "visit_id": vid, "note_type": "daily",
                          "content": {**NOTE, "total_treatment_minutes": total},
                          "total_treatment_minutes": total, "signed_at": utcnow(),
                          "signature_name": "T", "signature_credential": "OTR/L"})  # fmt: skip
    return visits, lines, notes


def build(db: Database, clinics: int, visits: int, batch: int) -> list[Job]:
    """The clinics and their visits (not timed); the jobs, each ``batch`` visits of one clinic."""
    rng, jobs = random.Random(15), []
    for _ in range(clinics):
        cid, biller, providers, people = _setup(db, 5, 100)
        with db.engine.begin() as conn:
            zip4 = update(ClinicRow).where(ClinicRow.id == cid).values(zip="787011234")
            conn.execute(zip4)  # the 837P needs the billing provider's ZIP+4
            conn.execute(update(PatientRow).where(PatientRow.clinic_id == cid).values(
                address_line1="9 Oak Ave", city="Austin", state="TX", zip="787011234"))  # fmt: skip
            first = (conn.scalar(select(func.max(VisitRow.id))) or 0) + 1
            rows = _visit_rows(cid, first, providers, people, visits, rng)
            for table, values in zip((VisitRow, ServiceLineRow, NoteRow), rows, strict=True):
                conn.execute(insert(table), values)
            if db.backend == "postgresql":
                conn.execute(text("SELECT setval(pg_get_serial_sequence('visit', 'id'), "
                                  "(SELECT max(id) FROM visit))"))  # fmt: skip
        ids = sorted((v["patient_id"], v["date"], v["id"]) for v in rows[0])
        ordered = [visit_id for _, _, visit_id in ids]
        jobs += [(cid, biller, ordered[i : i + batch]) for i in range(0, len(ordered), batch)]
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return jobs


_STATE: dict[str, Any] = {}


def _start_worker(url: str, out_dir: str) -> None:
    _STATE.update(db=Database(url, migrate=False), out=Path(out_dir), rules=load_rules(),
                  run=ScrubContext(profiles=load_profiles(), today=TODAY))  # fmt: skip


def _run_job(job: Job) -> tuple[int, int, int]:
    cid, actor, visit_ids = job
    counts = run_batch(_STATE["db"], cid, actor, visit_ids, run=_STATE["run"],
                       rules=_STATE["rules"], out_dir=_STATE["out"])  # fmt: skip
    return counts.claims, counts.ready, counts.written


def run(url: str, jobs: list[Job], workers: int) -> None:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(
            workers, initializer=_start_worker, initargs=(url, out)
        ) as pool:
            results = pool.map(_run_job, jobs, chunksize=1)
        wall = time.perf_counter() - start
        files = len(os.listdir(out))
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    claims = sum(r[0] for r in results)
    print(f"  {len(jobs)} jobs, {workers} workers: {claims:,} claims built and scrubbed "
          f"({sum(r[1] for r in results):,} clean, {sum(r[2] for r in results):,} in {files} "
          f"prepared 837P files) in {wall:.1f} s wall, {cpu.ru_utime + cpu.ru_stime:.1f} s "
          f"workers' CPU: {claims / wall:,.0f} claims/s")  # fmt: skip


def run_queued(db: Database, url: str, jobs: list[Job], workers: int) -> None:
    """The same jobs queued as ``claims.pipeline`` and run by ``otbill worker`` processes."""
    from otbill.services.jobs import QueueRunner, job_of, queue_job
    from otbill.services.jobs.claims_pipeline import KIND, pipeline_arguments

    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "OTBILL_DATABASE_URL": url, "OTBILL_DATA_DIR": out}
        start = time.perf_counter()
        queued = [(cid, queue_job(db, QueueRunner(db), cid, actor,
                                  KIND, pipeline_arguments(ids, TODAY, Path(out)), f"bench-{n}").id)
                  for n, (cid, actor, ids) in enumerate(jobs)]  # fmt: skip
        command = [sys.executable, "-m", "otbill.cli", "worker"]
        logs = [open(Path(out) / f"worker{n}.log", "wb") for n in range(workers)]  # noqa: SIM115
        started = [subprocess.Popen(command, env=env, stdout=f, stderr=f) for f in logs]
        try:
            while True:
                done = [job_of(db, cid, job_id) for cid, job_id in queued]
                if all(j.state in ("done", "failed") for j in done):
                    break
                time.sleep(0.5)
            wall = time.perf_counter() - start
        finally:
            for process in started:
                process.send_signal(signal.SIGTERM)
                process.wait(30)
    claims = sum(int((j.result or {}).get("claims", 0)) for j in done)
    failed = sum(1 for j in done if j.state == "failed")
    print(f"  {len(jobs)} jobs through the queue, {workers} otbill worker processes: {claims:,} "
          f"claims in {wall:.1f} s wall ({failed} jobs failed): {claims / wall:,.0f} claims/s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clinics", type=int, default=4)
    parser.add_argument("--visits", type=int, default=5_000, help="visits per clinic")
    parser.add_argument("--batch", type=int, default=1_000, help="visits per job")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queue", action="store_true", help="through otbill worker processes")
    args = parser.parse_args()
    import uuid

    from sqlalchemy import create_engine

    schema = f"otbill_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    try:
        db = Database(url)
        start = time.perf_counter()
        jobs = build(db, args.clinics, args.visits, args.batch)
        print(f"load average {os.getloadavg()}; {args.clinics} clinics x {args.visits:,} visits "
              f"written in {time.perf_counter() - start:.0f} s")  # fmt: skip
        if args.queue:
            run_queued(db, url, jobs, args.workers)
        else:
            run(url, jobs, args.workers)
        db.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
