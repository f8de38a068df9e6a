"""Figures for issue 4: build, scrub and store a year of claims; list the held queue.

    python bench/storage.py                                   # SQLite (temp file) and PostgreSQL
    python bench/storage.py --backends sqlite --visits 20000  # smaller run

A 20-therapist clinic's year (about 60,000 visits, fixed seed) is written straight to the tables
(visit generation is not timed); then ``build_claims`` — group, compute units and modifiers,
assemble the scrubber claim with its full context, scrub with every rule, store claim, lines,
status history and audit rows in one unit of work — is timed and reported as claims per second.
Then claims are added up to 100,000 and the held queue is listed (first page of 50, and all).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tempfile
import time
import uuid

from sqlalchemy import create_engine, insert, text

from benchkit import bench_clinic, claim_row, insert_claims, npi_for
from otbill.payers import load_profiles
from otbill.rules.context import ScrubContext
from otbill.rules.registry import load_rules
from otbill.services.claims.build import build_claims
from otbill.services.clinic import setup as clinic
from otbill.services.frontdesk import patients
from otbill.services.views.claims import list_claims
from otbill.storage import Database
from otbill.storage.audit import utcnow
from otbill.storage.tables import ClaimRow, NoteRow, ServiceLineRow, VisitRow

PG_URL = os.environ.get(
    "OTBILL_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CODES = ["97530", "97110", "97535", "97112", "97140"]
NOTE = {
    "current_status": "s",
    "goals": "g",
    "response_to_treatment": "r",
    "medical_necessity": "m",
    "total_treatment_minutes": 60,
}


def _setup(
    db: Database, therapists: int, n_patients: int
) -> tuple[int, int, list[int], list[tuple[int, int, int]]]:
    cid, biller, providers = bench_clinic(db, "B", therapists)
    with db.unit_of_work(cid) as uow:
        payer = clinic.add_payer(uow, payer_code="00435", name="Medicare", profile="medicare")
        from decimal import Decimal

        for code in CODES:
            clinic.set_fee(
                uow,
                code=code,
                charge=Decimal(60),
                allowed=Decimal(30),
                effective_from=dt.date(2025, 1, 1),
            )
        people = []
        for i in range(n_patients):
            pid = patients.add_patient(
                uow,
                mrn=f"B{i}",
                first_name="P",
                last_name=f"L{i}",
                dob=dt.date(1950, 1, 1),
                sex="F",
            )
            cov = patients.add_coverage(
                uow,
                patient_id=pid,
                payer_id=payer,
                member_id=f"M{i}",
                effective_from=dt.date(2024, 1, 1),
                eligibility_verified_on=dt.date(2025, 1, 1),
                eligibility_active=True,
            )
            plan = patients.add_plan_of_care(
                uow,
                patient_id=pid,
                certifying_npi=npi_for(5),
                certifying_name=("D", "R"),
                start=dt.date(2025, 1, 1),
                diagnoses=["M62.81"],
                goals="g",
                frequency_per_week=2,
                duration_weeks=52,
                certified_on=dt.date(2025, 1, 3),
                recert_due=dt.date(2026, 1, 1),
            )
            people.append((pid, cov, plan))
    return cid, biller, providers, people


def _visits(
    db: Database,
    cid: int,
    providers: list[int],
    people: list[tuple[int, int, int]],
    n_visits: int,
    rng: random.Random,
) -> None:
    """Write visits, service lines and signed notes with bulk inserts (not timed)."""
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=d) for d in range(365)]
    days = [d for d in days if d.weekday() < 5]
    per_patient = n_visits // len(people)
    visits, lines, notes = [], [], []
    vid = 0
    for k, (pid, cov, plan) in enumerate(people):
        for day in sorted(rng.sample(days, per_patient)):
            vid += 1
            visits.append(
                {
                    "id": vid,
                    "clinic_id": cid,
                    "patient_id": pid,
                    "coverage_id": cov,
                    "provider_id": providers[k % len(providers)],
                    "plan_of_care_id": plan,
                    "date": day,
                    "place_of_service": "11",
                    "telehealth": False,
                }
            )
            minutes = [rng.randint(10, 35), rng.randint(10, 35)]
            for pos, code in enumerate(rng.sample(CODES, 2), start=1):
                lines.append(
                    {
                        "clinic_id": cid,
                        "visit_id": vid,
                        "position": pos,
                        "code": code,
                        "minutes": minutes[pos - 1],
                        "units": 2,
                        "modifiers": "",
                        "distinct_service": False,
                    }
                )
            kind = "progress" if len(visits) % 8 == 0 else "daily"
            notes.append(
                {
                    "clinic_id": cid,
                    "visit_id": vid,
                    "note_type": kind,
                    "content": {**NOTE, "total_treatment_minutes": sum(minutes) + 5},
                    "total_treatment_minutes": sum(minutes) + 5,
                    "signed_at": utcnow(),
                    "signature_name": "T",
                    "signature_credential": "OTR/L",
                }
            )
    with db.engine.begin() as conn:
        conn.execute(insert(VisitRow), visits)
        conn.execute(insert(ServiceLineRow), lines)
        conn.execute(insert(NoteRow), notes)
        if db.backend == "postgresql":
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence('visit', 'id'), :n)"), {"n": vid}
            )


def pad_claims(db: Database, cid: int, target: int, rng: random.Random) -> int:
    """Add synthetic claims (10% held) until ``target`` claims are stored.

    Each copies a real claim of the clinic (patient, coverage, payer, and for held ones the
    findings of a real held claim), so queues, filters and grouped findings see realistic rows.
    """
    with db.unit_of_work(cid) as uow:
        have = uow.records.count(ClaimRow)
        claims = uow.records.find(ClaimRow)
        held = [c for c in claims if c.status == "held"] or claims
        templates = [(c.patient_id, c.coverage_id, c.payer_id, c.created_by) for c in claims[:500]]
        findings = [(c.findings, c.error_count) for c in held[:200]]
    assert templates, "pad_claims needs at least one stored claim to copy"
    rows = []
    for n in range(max(0, target - have)):
        patient, coverage, payer, creator = rng.choice(templates)
        status = (
            "held"
            if rng.random() < 0.1
            else rng.choice(["ready", "approved", "submitted", "paid", "denied", "closed"])
        )
        found, errors = rng.choice(findings) if status == "held" else ([], 0)
        day = dt.date(2024, 1, 1) + dt.timedelta(days=n % 450)
        charge = rng.randrange(6000, 30000, 500)
        rows.append(claim_row(cid, f"X{n}", (patient, coverage, payer), day, status, creator,
                              charge_cents=charge, findings=found, errors=errors))  # fmt: skip
    with db.engine.begin() as conn:
        insert_claims(conn, rows)
        if db.backend == "postgresql":
            conn.execute(text("ANALYZE claim"))
        else:
            conn.execute(text("ANALYZE"))
    return have + len(rows)


def _time_queue(db: Database, cid: int) -> tuple[float, float, int]:
    def best(limit: int | None) -> tuple[float, int]:
        times, n = [], 0
        for _ in range(5):
            with db.unit_of_work(cid) as uow:
                start = time.perf_counter()
                n = len(list_claims(uow, "held", limit))
                times.append(time.perf_counter() - start)
        return min(times), n

    page, _ = best(50)
    full, n = best(None)
    return page, full, n


def run_backend(db: Database, visits: int, therapists: int) -> None:
    rng = random.Random(2025)
    cid, biller, providers, people = _setup(db, therapists, max(1, visits // 100))
    _visits(db, cid, providers, people, visits, rng)
    run = ScrubContext(profiles=load_profiles(), today=dt.date(2025, 12, 31))
    rules = load_rules()
    start = time.perf_counter()
    with db.unit_of_work(cid, biller) as uow:
        report = build_claims(uow, run, rules)
    elapsed = time.perf_counter() - start
    n = len(report.claims)
    print(
        f"[{db.backend}] built, scrubbed and stored {n:,} claims from {visits:,} visits in "
        f"{elapsed:.1f} s: {n / elapsed:,.0f} claims/s ({dict(report.by_status)})"
    )
    total = pad_claims(db, cid, 100_000, rng)
    page, full, held = _time_queue(db, cid)
    print(
        f"[{db.backend}] held queue with {total:,} claims stored: first page of 50 in "
        f"{page * 1000:.1f} ms; all {held:,} held claims in {full * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=60_000)
    parser.add_argument("--therapists", type=int, default=20)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                db = Database(f"sqlite:///{tmp}/bench.db")
                run_backend(db, args.visits, args.therapists)
                db.dispose()
        else:
            schema = f"otbill_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            try:
                db = Database(f"{PG_URL}?options=-csearch_path%3D{schema}")
                run_backend(db, args.visits, args.therapists)
                db.dispose()
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
