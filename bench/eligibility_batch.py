"""Figures for issue 12 (eligibility batch): 5,000 checks, killed and restarted, no duplicates.

    .venv/bin/python bench/eligibility_batch.py                  # 5,000 patients, kill at 10 s
    .venv/bin/python bench/eligibility_batch.py --concurrency 16 --processes 2
    .venv/bin/python bench/eligibility_batch.py --patients 500 --kill-after 3

Builds a fresh SQLite database with a clinic (an admin, a commercial payer, 50 therapists) and
imports, with ``otbill import`` as a clinic would, 5,000 patients with one coverage each and one
appointment each on the bench's date (untimed). Serves the payer simulator with 50 ms latency per
request over CAQH CORE HTTP on loopback (``serve_core``, in this process) and runs ``otbill
eligibility run --for-date D --transport core`` as a whole process; kills it (SIGKILL, nothing
gets to clean up) ``--kill-after`` seconds in, starts the same command again and waits for it.

Reported: wall time of both processes together (start-up included, the pause between them not);
the requests the simulator received; the distinct (member, date of service) asked; requests for
a (member, date) already asked (duplicates), split into the resends of a request in flight at the
kill (the same trace number: the first process sent it but died before keeping the answer) and
any other (must be 0); and that every item of the run ends answered, each coverage with exactly
one kept check. Target: <= 60 s.
"""

from __future__ import annotations

import argparse
import collections
import csv
import datetime as dt
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
CLI = "from otbill.cli import main; import sys; sys.argv[0] = 'otbill'; main()"
FIRST = ["Ann", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lia"]
LAST = ["Lee", "Ortiz", "Nguyen", "Patel", "Kim", "Smith", "Okafor", "Rossi", "Haas", "Diaz"]
THERAPISTS = 50
DAY = dt.date.today() + dt.timedelta(days=1)


def _npi(n: int) -> str:
    from otbill.codes import npi

    first9 = f"1{n:08d}"
    return first9 + npi.calc_check_digit(first9)


def make_clinic(url: str) -> None:
    from otbill.services.clinic import setup
    from otbill.storage import Database

    db = Database(url)
    clinic_id = setup.create_clinic(
        db, code="BENCH", name="Bench OT", npi_number=_npi(1), tax_id="741234567",
        address=("9 Oak Ave", "Austin", "TX", "78701"),
    )  # fmt: skip
    with db.unit_of_work(clinic_id) as uow:
        setup.add_user(uow, username="admin", full_name="Ad Min",
                       password="bench-password-long", roles=["admin", "biller", "front-desk"])  # fmt: skip
        setup.add_payer(uow, payer_code="87726", name="Acme Health",
                        profile="commercial-in-network")  # fmt: skip
    db.dispose()


def write_files(folder: Path, patients: int) -> list[tuple[str, Path]]:
    people, cover = folder / "patients.csv", folder / "coverages.csv"
    staff, slots = folder / "providers.csv", folder / "appointments.csv"
    with staff.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["old_id", "npi", "first_name", "last_name", "credential", "taxonomy"])
        for t in range(THERAPISTS):
            w.writerow([f"T{t}", _npi(1000 + t), "Thera", f"Pist{t}", "OTR/L", "225X00000X"])
    per_therapist = -(-patients // THERAPISTS)
    minutes = max(5, min(30, (22 - 6) * 60 // per_therapist // 5 * 5))
    with (
        people.open("w", newline="") as p,
        cover.open("w", newline="") as c,
        slots.open("w", newline="") as a,
    ):
        pw, cw, aw = csv.writer(p), csv.writer(c), csv.writer(a)
        pw.writerow(["old_id", "first_name", "last_name", "dob", "sex"])
        cw.writerow(["old_id", "old_patient_id", "payer_code", "member_id", "effective_from"])
        aw.writerow(["old_id", "old_patient_id", "date", "start", "minutes", "old_provider_id"])
        for n in range(patients):
            born = dt.date(1930, 1, 1) + dt.timedelta(days=(n * 7919) % 30000)
            pw.writerow([f"P{n}", FIRST[n % 12], LAST[n % 10], born.isoformat(), "FM"[n % 2]])
            cw.writerow([f"C{n}", f"P{n}", "87726", f"XJH{n:09d}", "2024-01-01"])
            therapist, slot = divmod(n, per_therapist)
            start = 6 * 60 + slot * minutes
            aw.writerow([f"A{n}", f"P{n}", DAY.isoformat(), f"{start // 60:02d}:{start % 60:02d}",
                         minutes, f"T{therapist}"])  # fmt: skip
    return [("patients", people), ("coverages", cover), ("providers", staff),
            ("appointments", slots)]  # fmt: skip


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def otbill_import(url: str, kind: str, path: Path) -> None:
    args = [sys.executable, "-c", CLI, "import", kind, str(path), "--user", "admin",
            "--database-url", url]  # fmt: skip
    done = subprocess.run(args, env=_env(), cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"otbill import {kind} failed:\n{done.stdout}\n{done.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=5000)
    parser.add_argument("--kill-after", type=float, default=10.0, help="seconds (0: no kill)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--processes", type=int, default=1, help="otbill's --processes")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--built", type=Path, help="a database this bench built before (copied; "
                        "its setup is skipped, --patients must match)")  # fmt: skip
    parser.add_argument("--keep", type=Path, help="copy the built database here (for --built)")
    options = parser.parse_args()
    warnings.filterwarnings("ignore", message="Skipped unsupported reflection")  # SQLite's index

    from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer
    from otbill.clearinghouse.simulator.servers import Payers, serve_payers

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        started = time.perf_counter()
        if options.built:
            shutil.copyfile(options.built, f"{folder}/bench.db")
        else:
            make_clinic(url)
            for kind, path in write_files(Path(folder), options.patients):
                otbill_import(url, kind, path)
            if options.keep:
                shutil.copyfile(f"{folder}/bench.db", options.keep)
        print(f"setup      {options.patients} patients booked on {DAY} "
              f"({time.perf_counter() - started:.0f} s, untimed)")  # fmt: skip
        setup = resource.getrusage(resource.RUSAGE_CHILDREN)
        setup_cpu = setup.ru_utime + setup.ru_stime
        payer = SimulatedEligibilityPayer(latency=options.latency)
        # serve_core's own server, kept at hand for its request log (serve_core yields the URL only)
        with serve_payers(Payers(eligibility=payer)) as simulator:
            args = [sys.executable, "-c", CLI, "eligibility", "run", "--for-date", DAY.isoformat(),
                    "--transport", "core", "--url", simulator.core_url, "--receiver", "SIM",
                    "--user", "admin", "--concurrency", str(options.concurrency), "--processes",
                    str(options.processes), "--json", "--database-url", url]  # fmt: skip
            wall = 0.0
            before_kill: dict[str, int] = {}
            server_cpu = time.process_time()
            if options.kill_after > 0:
                start = time.perf_counter()
                first = subprocess.Popen(args, env=_env(), cwd=ROOT, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
                try:
                    first.wait(options.kill_after)
                    raise SystemExit("the first run finished before the kill: raise --patients")
                except subprocess.TimeoutExpired:
                    os.killpg(first.pid, signal.SIGKILL)  # the command and its worker processes
                    first.wait()
                wall += time.perf_counter() - start
                time.sleep(0.5)  # requests the dead process left in flight reach the payer
                before_kill = dict(simulator.log.by_payload_id)
                print(f"first run  killed after {wall:.1f} s; the simulator had received "
                      f"{sum(before_kill.values())} requests")  # fmt: skip
            start = time.perf_counter()
            second = subprocess.run(args, env=_env(), cwd=ROOT, capture_output=True, text=True)
            wall += time.perf_counter() - start
            server_cpu = time.process_time() - server_cpu  # this process: the simulator
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            client_cpu = children.ru_utime + children.ru_stime - setup_cpu
            if second.returncode != 0:
                raise SystemExit(f"the restarted run failed:\n{second.stdout}\n{second.stderr}")
            print(f"second run {time.perf_counter() - start:.1f} s: "
                  + " ".join(second.stdout.split()))  # fmt: skip
        seen = simulator.log.snapshot()
        by_id = dict(simulator.log.by_payload_id)
        report(options, url, wall, (client_cpu, server_cpu), seen, by_id, before_kill, payer)


def report(  # type: ignore[no-untyped-def]
    options, url, wall, cpu, seen, by_id, before_kill, payer
) -> None:
    """What the simulator saw and what the database kept, in the figures docs/performance.md has."""
    from sqlalchemy import func, select

    from otbill.storage import Database
    from otbill.storage.tables import EligibilityCheckRow, EligibilityRunItemRow
    from otbill.x12.read_270 import read_270

    asked = collections.Counter()  # what the payer itself was asked: (member, date of service)
    for request in payer.requests:
        inquiry = read_270(request).inquiries[0]
        asked[(inquiry.member_id, inquiry.date_of_service)] += 1
    resent = {pid: n for pid, n in by_id.items() if n > 1}
    resent_in_flight = all(pid in before_kill for pid in resent)
    db = Database(url)
    with db.engine.connect() as conn:
        states = dict(conn.execute(select(EligibilityRunItemRow.state, func.count())
                                   .group_by(EligibilityRunItemRow.state)).all())  # fmt: skip
        runs = conn.execute(select(func.count(func.distinct(EligibilityRunItemRow.run_id))))
        run_count = runs.scalar_one()
        per_coverage = collections.Counter(
            n for (n,) in conn.execute(select(func.count()).select_from(EligibilityCheckRow)
                                       .group_by(EligibilityCheckRow.coverage_id))
        )  # fmt: skip
        twice = conn.execute(select(func.count()).where(EligibilityRunItemRow.attempts > 1))
        twice_sent = twice.scalar_one()
    db.dispose()
    duplicates = sum(n - 1 for n in asked.values())
    print(f"wall time  {wall:.1f} s for {options.patients} checks, concurrency "
          f"{options.concurrency} over {options.processes} process(es), "
          f"{options.latency * 1000:.0f} ms per request "
          f"({'meets' if wall <= 60 else 'MISSES'} <= 60 s)")  # fmt: skip
    print(f"cpu        otbill {cpu[0]:.1f} s, simulator (HTTP server) {cpu[1]:.1f} s; load "
          f"average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
    print(f"requests   {seen['requests']} received with {seen['payload_ids']} PayloadIDs; the "
          f"payer asked {sum(asked.values())} times about {len(asked)} distinct (member, date)")  # fmt: skip
    print(f"resends    {sum(n - 1 for n in resent.values())} requests sent again with the same "
          f"PayloadID and 270 (in flight at the kill: {resent_in_flight}), answered from the kept "
          f"answer ({seen['replayed']} replayed); items sent twice (attempts > 1): {twice_sent}")  # fmt: skip
    print(f"duplicates {duplicates} questions to the payer about a (member, date) already asked "
          f"({'ok' if duplicates == 0 else 'FAILS'}); duplicate traces {seen['duplicate_traces']}")  # fmt: skip
    print(f"items      {states} in {run_count} run(s); coverages with exactly one kept check: "
          f"{per_coverage.get(1, 0)}, with more: "
          f"{sum(v for k, v in per_coverage.items() if k > 1)}")  # fmt: skip


if __name__ == "__main__":
    main()
