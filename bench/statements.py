"""Figures for issue 13 (patient statements): 10,000 statements rendered as one run.

    .venv/bin/python bench/statements.py                    # SQLite, 10,000 guarantors
    .venv/bin/python bench/statements.py --guarantors 2000

Makes a clinic in a fresh SQLite database and writes, straight to its tables, one patient per
guarantor with one two-line claim each: charged, paid by the payer, written off (CO-45) and the
patient's share (PR-1 deductible, PR-2 coinsurance, PR-3 copay) posted on days spread over the
last 120 days, so every bucket of the aging has money. Then runs ``otbill statements run --date D``
as a whole process, as a clinic would: it finds who is due, records every statement and prints
them into one combined PDF with the mailing CSV. Wall time is the process's (start-up included);
CPU time and peak memory are the kernel's accounting of that child (``os.wait4``). Targets: at
most 60 s and under 300 MB. A second run the same day is timed too (it must send nothing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = "from otbill.cli import main; import sys; sys.argv[0] = 'otbill'; main()"
FIRST = ["Ann", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lia"]
LAST = ["Lee", "Ortiz", "Nguyen", "Patel", "Kim", "Smith", "Okafor", "Rossi", "Haas", "Diaz"]
ON = dt.date(2025, 6, 30)


def build(url: str, guarantors: int) -> None:
    """The clinic, its people, and ``guarantors`` patients owing their share."""
    from sqlalchemy import insert

    from otbill.services.clinic import setup
    from otbill.storage import Database
    from otbill.storage.audit import utcnow
    from otbill.storage.tables import ClaimLineRow, ClaimRow, CoverageRow, PatientRow, PostingRow

    db = Database(url)
    clinic_id = setup.create_clinic(
        db, code="BENCH", name="Bench OT", npi_number="1234567893", tax_id="741234567",
        address=("9 Oak Ave", "Austin", "TX", "78701"),
    )  # fmt: skip
    with db.unit_of_work(clinic_id) as uow:
        admin = setup.add_user(uow, username="admin", full_name="Ad Min",
                               password="bench-password-long", roles=["admin", "biller"])  # fmt: skip
        payer = setup.add_payer(uow, payer_code="87726", name="Acme Health",
                                profile="commercial-in-network")  # fmt: skip
        provider = setup.add_provider(uow, npi_number="1000000137", first_name="Rita",
                                      last_name="Cole", credential="OTR/L",
                                      taxonomy="225X00000X")  # fmt: skip
    rng = random.Random(13)
    now = utcnow()
    with db.engine.begin() as conn:
        conn.execute(insert(PatientRow), [
            {"id": n, "clinic_id": clinic_id, "mrn": f"B{n}", "first_name": rng.choice(FIRST),
             "last_name": rng.choice(LAST), "dob": dt.date(1950, 1, 1), "sex": "F",
             "address_line1": f"{n} Main St", "city": "Austin", "state": "TX", "zip": "78701",
             "self_pay": False}
            for n in range(1, guarantors + 1)
        ])  # fmt: skip
        conn.execute(insert(CoverageRow), [
            {"id": n, "clinic_id": clinic_id, "patient_id": n, "payer_id": payer,
             "member_id": f"XJH{n:09d}", "relationship": "self", "network": "in", "priority": 1,
             "effective_from": dt.date(2024, 1, 1)}
            for n in range(1, guarantors + 1)
        ])  # fmt: skip
        claims, lines, postings = [], [], []
        for n in range(1, guarantors + 1):
            seen = ON - dt.timedelta(days=rng.randrange(5, 125))
            paid = seen + dt.timedelta(days=3)
            claims.append({"id": n, "clinic_id": clinic_id, "number": f"C{n}", "patient_id": n,
                           "coverage_id": n, "payer_id": payer, "date_of_service": seen,
                           "status": "paid", "place_of_service": "11", "frequency_code": "1",
                           "telehealth": False, "total_charge_cents": 12000, "findings": [],
                           "error_count": 0, "created_by": admin, "last_edited_by": admin,
                           "created_at": now, "version": 1})  # fmt: skip
            for pos, code in ((1, "97530"), (2, "97110")):
                line = 2 * n + pos - 2
                lines.append({"id": line, "clinic_id": clinic_id, "claim_id": n,
                              "position": pos, "date": seen, "code": code, "units": 2,
                              "modifiers": "GO", "charge_cents": 6000, "allowed_cents": 4500,
                              "rendering_provider_id": provider,
                              "furnished_by_assistant": False, "distinct_service": False})  # fmt: skip
                share = rng.choice((1500, 2000, 2500))
                carc = rng.choice(("1", "2", "3"))
                for kind, cents, group, code_ in (("charge", 6000, None, None),
                                                  ("payment", 4500 - share, None, None),
                                                  ("adjustment", 1500, "CO", "45"),
                                                  ("transfer", share, "PR", carc)):  # fmt: skip
                    postings.append({"clinic_id": clinic_id, "source_key": f"{line}:{kind}",
                                     "kind": kind, "amount_cents": cents, "claim_id": n,
                                     "claim_line_id": line, "patient_id": n, "payer_id": payer,
                                     "payer_side": True, "group_code": group, "carc": code_,
                                     "posted_on": seen if kind == "charge" else paid,
                                     "posted_at": now, "posted_by": admin})  # fmt: skip
        conn.execute(insert(ClaimRow), claims)
        conn.execute(insert(ClaimLineRow), lines)
        conn.execute(insert(PostingRow), postings)
    db.dispose()


def timed_run(url: str, out: Path) -> tuple[float, float, float, str]:
    """(wall s, CPU s, peak MB, output) of ``otbill statements run`` as a whole process."""
    args = [sys.executable, "-c", CLI, "statements", "run", "--date", ON.isoformat(), "--user",
            "admin", "--out", str(out), "--database-url", url]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)  # fmt: skip
    output = proc.stdout.read().decode() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"statements run failed:\n{output}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guarantors", type=int, default=10_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        started = time.perf_counter()
        build(url, options.guarantors)
        print(
            f"built      {options.guarantors} patients owing, in {time.perf_counter() - started:.1f} s"
        )
        out = Path(folder) / "out"
        wall, cpu, peak, output = timed_run(url, out)
        verdict = "meets" if wall <= 60 and peak < 300 else "MISSES"
        sent = output.splitlines()[0] if output else ""
        print(f"first run  {wall:5.1f} s wall  {cpu:5.1f} s CPU  {peak:4.0f} MB peak "
              f"({verdict} <= 60 s, < 300 MB): {sent}")  # fmt: skip
        for path in sorted(out.iterdir()):
            print(f"           {path.name}: {path.stat().st_size / 1e6:.1f} MB")
        wall, cpu, peak, output = timed_run(url, out)
        print(f"second run {wall:5.1f} s wall  {cpu:5.1f} s CPU  {peak:4.0f} MB peak: "
              f"{output.splitlines()[0] if output else ''}")  # fmt: skip


if __name__ == "__main__":
    main()
