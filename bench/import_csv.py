"""Figures for issue 10 (import from the old system): a 5,000-patient file and its coverages.

    .venv/bin/python bench/import_csv.py                       # SQLite, 5,000 patients
    .venv/bin/python bench/import_csv.py --patients 20000
    .venv/bin/python bench/import_csv.py --postgres postgresql+psycopg://postgres@127.0.0.1/test

Makes a clinic (one admin, a commercial payer) in a fresh database, writes ``patients.csv`` and
``coverages.csv`` (one coverage per patient) and runs ``otbill import patients`` then ``otbill
import coverages`` as whole processes, as a clinic would. Rows per second are rows over the
process's wall time (start-up included); peak memory is the kernel's accounting of that child
(``os.wait4``). Targets: at least 2,000 rows/s and under 300 MB.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = "from otbill.cli import main; import sys; sys.argv[0] = 'otbill'; main()"
FIRST = ["Ann", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lia"]
LAST = ["Lee", "Ortiz", "Nguyen", "Patel", "Kim", "Smith", "Okafor", "Rossi", "Haas", "Diaz"]


def make_clinic(url: str) -> None:
    """A clinic with an admin (``admin``) and a commercial payer (payer ID 87726)."""
    from otbill.services.clinic import setup

    db_module = __import__("otbill.storage", fromlist=["Database"])
    db = db_module.Database(url)
    clinic_id = setup.create_clinic(
        db, code="BENCH", name="Bench OT", npi_number="1234567893", tax_id="741234567",
        address=("9 Oak Ave", "Austin", "TX", "78701"),
    )  # fmt: skip
    with db.unit_of_work(clinic_id) as uow:
        setup.add_user(uow, username="admin", full_name="Ad Min",
                       password="bench-password-long", roles=["admin"])  # fmt: skip
        setup.add_payer(uow, payer_code="87726", name="Acme Health",
                        profile="commercial-in-network")  # fmt: skip
    db.dispose()


def write_files(folder: Path, patients: int) -> tuple[Path, Path]:
    rng = random.Random(10)
    people, cover = folder / "patients.csv", folder / "coverages.csv"
    with people.open("w", newline="") as p, cover.open("w", newline="") as c:
        pw, cw = csv.writer(p), csv.writer(c)
        pw.writerow(["old_id", "first_name", "last_name", "dob", "sex", "address_line1", "city",
                     "state", "zip", "phone", "email"])  # fmt: skip
        cw.writerow(["old_id", "old_patient_id", "payer_code", "member_id", "effective_from",
                     "priority", "group_number", "copay"])  # fmt: skip
        for n in range(1, patients + 1):
            born = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(30000))
            pw.writerow([f"P{n}", rng.choice(FIRST), rng.choice(LAST), born.isoformat(),
                         rng.choice("FM"), f"{n} Main St", "Austin", "TX", "78701",
                         f"512-555-{n % 10000:04d}", f"p{n}@example.org"])  # fmt: skip
            cw.writerow([f"C{n}", f"P{n}", "87726", f"XJH{n:09d}", "2024-01-01", "1",
                         "G-100", "25.00"])  # fmt: skip
    return people, cover


def timed_import(url: str, kind: str, path: Path, rows: int) -> tuple[float, float]:
    """(rows per second, peak MB) of ``otbill import kind path`` as a whole process."""
    args = [sys.executable, "-c", CLI, "import", kind, str(path), "--user", "admin",
            "--database-url", url]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    output = proc.stdout.read().decode() if proc.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import {kind} failed:\n{output}")
    return rows / wall, usage.ru_maxrss / 1024


@contextmanager
def _database(postgres: str | None, folder: str) -> Iterator[str]:
    """A new SQLite file, or a new schema in the PostgreSQL database (dropped afterwards)."""
    if postgres is None:
        yield f"sqlite:///{folder}/bench.db"
        return
    from sqlalchemy import create_engine, text

    schema = f"bench_import_{os.getpid()}"
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{postgres}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=5000)
    parser.add_argument("--postgres", help="a PostgreSQL URL: run in a new schema there, "
                        "dropped after (default: a new SQLite file)")  # fmt: skip
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, _database(options.postgres, folder) as url:
        make_clinic(url)
        people, cover = write_files(Path(folder), options.patients)
        one = Path(folder) / "one.csv"
        one.write_text("old_id,first_name,last_name,dob,sex\nS1,Sam,Start,1950-01-01,F\n")
        startup = 1 / timed_import(url, "patients", one, 1)[0]
        print(f"start-up   a 1-row import takes {startup:.2f} s (interpreter, libraries, database)")
        for kind, path in (("patients", people), ("coverages", cover)):
            rate, peak = timed_import(url, kind, path, options.patients)
            verdict = "meets" if rate >= 2000 and peak < 300 else "MISSES"
            work = options.patients / max(options.patients / rate - startup, 1e-3)
            print(f"{kind:<10} {options.patients} rows  {rate:6.0f} rows/s  {peak:4.0f} MB peak "
                  f"({verdict} >= 2,000 rows/s, < 300 MB); {work:6.0f} rows/s after start-up")  # fmt: skip


if __name__ == "__main__":
    main()
