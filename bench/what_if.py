"""Figure for issue 14: re-price 12 months of a 20-therapist clinic (about 60,000 visits).

    python bench/what_if.py                          # SQLite (temp file), 60,000 visits
    python bench/what_if.py --visits 20000 --repeat 5

A clinic with Medicare, Medicaid and a commercial payer (fee rows for each) gets a year of
claims (2024-04-01 to 2025-03-31, one claim a visit, 1 to 4 therapy lines each, some lines by an
assistant) written straight to the tables (not timed). Then ``services.views.what_if.what_if`` is
timed, end to end from the database: the 2024 -> 2025 Medicare year scenario, the commercial
payer's proposed rates, and a payer-mix shift. Best of ``--repeat`` runs, each on a fresh unit of
work with fresh tables (the RVU file is cached by the process after the first read, as in the
server).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

from benchkit import bench_clinic, claim_row, insert_claims
from otbill.services.clinic import setup as clinic
from otbill.services.frontdesk import patients
from otbill.services.views.what_if import Scenario, what_if
from otbill.storage import Database
from otbill.storage.tables import ClaimLineRow, ClaimRow

CODES = ["97530", "97110", "97535", "97112", "97140", "97165", "97168", "97760"]
FIRST, END = dt.date(2024, 4, 1), dt.date(2025, 4, 1)


def _setup(db: Database, therapists: int) -> tuple[int, int, list[int], list[tuple[int, int, int]]]:
    cid, biller, providers = bench_clinic(db, "W", therapists)
    with db.unit_of_work(cid) as uow:
        payers = [
            clinic.add_payer(uow, payer_code="00435", name="Medicare", profile="medicare"),
            clinic.add_payer(uow, payer_code="77027", name="Medicaid", profile="medicaid-example"),
            clinic.add_payer(
                uow, payer_code="87726", name="Acme Health", profile="commercial-in-network"
            ),
        ]
        for payer, factor in zip(payers[1:], (Decimal("0.8"), Decimal("1.1")), strict=True):
            for n, code in enumerate(CODES):
                clinic.set_fee(
                    uow,
                    code=code,
                    payer_id=payer,
                    charge=Decimal(90),
                    allowed=(Decimal(30 + 5 * n) * factor).quantize(Decimal("0.01")),
                    effective_from=dt.date(2024, 1, 1),
                )
        people = []
        for i, payer in enumerate(payers):
            pid = patients.add_patient(
                uow, mrn=f"W{i}", first_name="P", last_name=f"L{i}", dob=dt.date(1950, 1, 1),
                sex="F",
            )  # fmt: skip
            cov = patients.add_coverage(
                uow, patient_id=pid, payer_id=payer, member_id=f"M{i}",
                effective_from=dt.date(2024, 1, 1),
            )  # fmt: skip
            people.append((pid, cov, payer))
    return cid, biller, providers, people


def _claims(db: Database, cid: int, biller: int, providers: list[int], people, visits: int) -> int:
    rng = random.Random(14)
    days = (END - FIRST).days
    rows = []
    for n in range(visits):
        pid, cov, payer = people[rng.choices((0, 1, 2), weights=(6, 2, 3))[0]]
        day = FIRST + dt.timedelta(days=n % days)
        status = rng.choice(["submitted", "paid", "paid", "partially_paid"])
        rows.append(claim_row(cid, f"W{n}", (pid, cov, payer), day, status, biller))
    with db.engine.begin() as conn:
        insert_claims(conn, rows)
        ids = conn.execute(
            select(ClaimRow.id, ClaimRow.date_of_service).where(ClaimRow.clinic_id == cid)
        ).all()
        lines = []
        for claim_id, day in ids:
            codes = rng.sample(CODES[:5], rng.randint(1, 4))
            for position, code in enumerate(codes, start=1):
                lines.append(
                    {
                        "clinic_id": cid,
                        "claim_id": claim_id,
                        "position": position,
                        "date": day,
                        "code": code,
                        "units": rng.randint(1, 3),
                        "modifiers": "GO",
                        "charge_cents": 9000,
                        "allowed_cents": 0,
                        "rendering_provider_id": rng.choice(providers),
                        "furnished_by_assistant": rng.random() < 0.2,
                        "distinct_service": False,
                    }
                )
        for i in range(0, len(lines), 20_000):
            conn.execute(insert(ClaimLineRow), lines[i : i + 20_000])
    return len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=60_000)
    parser.add_argument("--therapists", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        cid, biller, providers, people = _setup(db, args.therapists)
        n_lines = _claims(db, cid, biller, providers, people, args.visits)
        medicare, _, acme = (p[2] for p in people)
        scenarios = {
            "2024 -> 2025 (Medicare)": Scenario("year", 2024, 2025),
            "Acme's proposed rates": Scenario(
                "rates", payer_id=acme, rates={"97530": Decimal("40"), "97110": Decimal("33")}
            ),
            "25% of Acme to Medicare": Scenario(
                "mix", payer_id=acme, to_payer_id=medicare, share=Decimal("0.25")
            ),
        }
        print(f"{args.visits:,} visits, {n_lines:,} lines, {args.therapists} therapists (SQLite)")
        for label, scenario in scenarios.items():
            times, cpu = [], []
            for _ in range(args.repeat):
                began, began_cpu = time.perf_counter(), time.process_time()
                with db.unit_of_work(cid) as uow:
                    result = what_if(uow, [Path(tmp) / "refdata"], scenario, FIRST, END)
                times.append(time.perf_counter() - began)
                cpu.append(time.process_time() - began_cpu)
            print(
                f"{label}: best {min(times):.2f} s wall, {min(cpu):.2f} s CPU, of {args.repeat} "
                f"({result.groups:,} groups priced; total {result.total.before} -> "
                f"{result.total.after}, {result.total.percent}%)"
            )
        db.dispose()
    print(f"machine load average (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
