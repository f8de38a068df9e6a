"""Figure for issue 14: every owner's report over 1,000,000 claim lines, <= 2 s on PostgreSQL and
<= 5 s on SQLite.

    python bench/owner_reports.py                                    # SQLite (temp file) and PostgreSQL
    python bench/owner_reports.py --backends sqlite --lines 100000   # smaller run
    python bench/owner_reports.py --backends postgresql --keep       # keep the database built
    python bench/owner_reports.py --reuse URL                        # measure a kept one again

A clinic (20 therapists, 8 payers, 5,000 patients, fixed seed) gets two years of claims, four
lines each, written straight to the tables with bulk inserts (not timed): visits and their claim
links, the claims' status history, a charge per line, a payment and a contractual adjustment per
decided claim (1% reversed), denials (8%) and pending appeals, unbilled visits with service
lines, overhead, desk payments; then the kept summaries (the backfills of migrations 0028, 0033
and 0034). Then each report family (as the page builds it), the largest CSV
(A/R aging by patient, every row), the whole PDF and the dashboard's A/R chart are timed
(the PDF as its job builds it, with its two parts: reading every figure, laying out the pages),
each in a fresh unit of work; one run each (the first, so caches are as a page sees them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, text

from benchkit import chunks, pg_bench_database
from otbill.codes import npi
from otbill.services.clinic import setup as clinic
from otbill.services.views.dashboard_payments import ar_aging
from otbill.services.views.owner import FAMILIES, build_owner_pdf, family_tables, table_csv
from otbill.storage import Database
from otbill.storage.audit import utcnow
from otbill.storage.repositories.dashboard_summary import backfill_rollups
from otbill.storage.repositories.owner_collections import backfill_collection_days
from otbill.storage.repositories.owner_open import backfill_open_days
from otbill.storage.repositories.owner_summary import backfill
from otbill.storage.tables import (
    AppealRow,
    ClaimLineRow,
    ClaimRow,
    ClaimStatusRow,
    ClaimVisitRow,
    CoverageRow,
    DenialRow,
    OverheadCostRow,
    PatientPaymentRow,
    PatientRow,
    PostingRow,
    RemittanceRow,
    ServiceLineRow,
    VisitRow,
)

TODAY = dt.date(2025, 12, 31)
CODES = ["97530", "97110", "97535", "97112", "97140"]
CHUNK = 50_000


def _npi(n: int) -> str:
    first9 = f"17{n:07d}"
    return first9 + npi.calc_check_digit(first9)


def _setup(db: Database) -> tuple[int, int, list[int], list[int]]:
    cid = clinic.create_clinic(
        db, code=f"O{uuid.uuid4().hex[:6]}", name="Owner Bench OT", npi_number=_npi(1),
        tax_id="741234567", address=("1 Main", "Austin", "TX", "78701"),
    )  # fmt: skip
    with db.unit_of_work(cid) as uow:
        user = clinic.add_user(uow, username="b", full_name="B", password="b", roles=["biller"])
        providers = [
            clinic.add_provider(
                uow,
                npi_number=_npi(10 + i),
                first_name="T",
                last_name=f"T{i}",
                credential="OTR/L",
                taxonomy="225X00000X",
            )
            for i in range(20)
        ]
        payers = [
            clinic.add_payer(uow, payer_code=f"P{i:04d}", name=f"Payer {i}", profile="medicare")
            for i in range(8)
        ]
        for code in CODES:
            clinic.set_fee(uow, code=code, charge=Decimal(60), allowed=Decimal(30),
                           effective_from=dt.date(2023, 1, 1))  # fmt: skip
    return cid, user, providers, payers


def build(db: Database, lines: int, seed: int = 14) -> int:
    """Write the clinic's two years (not timed); returns the clinic id."""
    rng = random.Random(seed)
    cid, user, providers, payers = _setup(db)
    n_patients, n_claims = 5_000, lines // 4
    days = [TODAY - dt.timedelta(days=d) for d in range(730)]
    now = utcnow()
    patient_payer = [payers[rng.randrange(len(payers))] for _ in range(n_patients)]
    with db.engine.begin() as conn:
        conn.execute(insert(PatientRow), [
            {"id": p + 1, "clinic_id": cid, "mrn": f"M{p}", "first_name": "P", "last_name": f"L{p}",
             "dob": dt.date(1950, 1, 1), "sex": "F", "self_pay": p % 50 == 0}
            for p in range(n_patients)
        ])  # fmt: skip
        conn.execute(insert(CoverageRow), [
            {"id": p + 1, "clinic_id": cid, "patient_id": p + 1, "payer_id": patient_payer[p],
             "member_id": f"X{p}", "effective_from": dt.date(2023, 1, 1)}
            for p in range(n_patients)
        ])  # fmt: skip
        remits = {}
        for _i, payer in enumerate(payers):
            for week in range(110):
                remits[(payer, week)] = len(remits) + 1
        conn.execute(insert(RemittanceRow), [
            {"id": rid, "clinic_id": cid, "payer_id": payer, "trace_number": f"T{payer}-{week}",
             "paid_on": TODAY - dt.timedelta(days=7 * week), "total_cents": 0}
            for (payer, week), rid in remits.items()
        ])  # fmt: skip

    claims: list[
        tuple[int, int, int, dt.date, str, int]
    ] = []  # id, patient, payer, day, status, prov
    for c in range(n_claims):
        patient = rng.randrange(n_patients)
        day = days[rng.randrange(len(days))]
        age = (TODAY - day).days
        roll = rng.random()
        if age < 20 and roll < 0.5:
            status = rng.choice(("draft", "held", "ready"))
        elif age < 40 and roll < 0.5:
            status = "accepted"
        elif roll < 0.08:
            status = "denied"
        elif roll < 0.10:
            status = "appealed"
        else:
            status = "paid"
        claims.append((c + 1, patient + 1, patient_payer[patient], day, status,
                       providers[patient % len(providers)]))  # fmt: skip

    def claim_rows() -> Iterator[dict[str, Any]]:
        for cid_, patient, payer, day, status, _ in claims:
            yield {"id": cid_, "clinic_id": cid, "number": f"C{cid_}", "patient_id": patient,
                   "coverage_id": patient, "payer_id": payer, "date_of_service": day,
                   "status": status, "place_of_service": "11", "total_charge_cents": 4 * 6000,
                   "findings": [], "created_by": user, "last_edited_by": user, "created_at": now}  # fmt: skip

    def line_rows() -> Iterator[dict[str, Any]]:
        for cid_, _, _, day, _, prov in claims:
            for pos in range(4):
                yield {"id": (cid_ - 1) * 4 + pos + 1, "clinic_id": cid, "claim_id": cid_,
                       "position": pos + 1, "date": day, "code": CODES[pos], "units": 2,
                       "charge_cents": 6000, "allowed_cents": 3000, "rendering_provider_id": prov}  # fmt: skip

    def visit_rows() -> Iterator[dict[str, Any]]:
        for cid_, patient, _, day, _, prov in claims:
            yield {"id": cid_, "clinic_id": cid, "patient_id": patient, "coverage_id": patient,
                   "provider_id": prov, "date": day, "place_of_service": "11"}  # fmt: skip
        for v in range(2_000):  # visits no claim bills yet
            yield {"id": n_claims + v + 1, "clinic_id": cid, "patient_id": v + 1,
                   "coverage_id": v + 1, "provider_id": providers[v % 20],
                   "date": days[rng.randrange(30)], "place_of_service": "11"}  # fmt: skip

    def unbilled_lines() -> Iterator[dict[str, Any]]:
        for v in range(2_000):
            for pos in range(2):
                yield {"clinic_id": cid, "visit_id": n_claims + v + 1, "position": pos + 1,
                       "code": CODES[pos], "minutes": 30, "units": 2}  # fmt: skip

    def link_rows() -> Iterator[dict[str, Any]]:
        for cid_, *_ in claims:
            yield {"clinic_id": cid, "claim_id": cid_, "visit_id": cid_}

    steps = {
        "paid": ("approved", "submitted", "accepted", "paid"),
        "denied": ("approved", "submitted", "accepted", "denied"),
        "appealed": ("approved", "submitted", "denied", "appealed"),
        "accepted": ("approved", "submitted", "accepted"),
    }

    def history_rows() -> Iterator[dict[str, Any]]:
        for cid_, _, _, _, status, _ in claims:
            path = steps.get(status, ("ready",))
            if status == "paid" and cid_ % 20 == 0:
                path = ("approved", "submitted", "rejected", "submitted", "accepted", "paid")
            for before, after in zip((None, *path), path, strict=False):
                yield {"clinic_id": cid, "claim_id": cid_, "from_status": before,
                       "to_status": after, "at": now, "by_user": user}  # fmt: skip

    postings: list[int] = [0]

    def posting_rows() -> Iterator[dict[str, Any]]:
        for cid_, patient, payer, day, status, _ in claims:
            if status in ("draft", "held", "ready"):
                continue
            first = (cid_ - 1) * 4 + 1
            base = {
                "clinic_id": cid,
                "claim_id": cid_,
                "patient_id": patient,
                "payer_id": payer,
                "posted_at": now,
                "posted_by": user,
                "remittance_id": None,
                "reverses_id": None,
                "group_code": None,
                "carc": None,
            }
            for pos in range(4):
                postings[0] += 1
                yield {**base, "id": postings[0], "source_key": f"c{first + pos}", "kind": "charge",
                       "amount_cents": 6000, "claim_line_id": first + pos, "posted_on": day}  # fmt: skip
            if status == "accepted":
                continue
            paid_on = min(day + dt.timedelta(days=rng.randint(12, 75)), TODAY)
            remit = remits[(payer, (TODAY - paid_on).days // 7)]
            pay = 0 if status in ("denied", "appealed") else 12000
            group, carc = ("CO", "45") if pay else ("CO", "197")
            if pay:
                postings[0] += 1
                yield {**base, "id": postings[0], "source_key": f"p{cid_}", "kind": "payment",
                       "amount_cents": pay, "claim_line_id": first, "posted_on": paid_on,
                       "remittance_id": remit}  # fmt: skip
                if cid_ % 100 == 0:
                    postings[0] += 1
                    yield {**base, "id": postings[0], "source_key": f"r{cid_}", "kind": "reversal",
                           "amount_cents": pay, "claim_line_id": first, "posted_on": paid_on,
                           "reverses_id": postings[0] - 1}  # fmt: skip
            postings[0] += 1
            yield {**base, "id": postings[0], "source_key": f"a{cid_}", "kind": "adjustment",
                   "amount_cents": 24000 - pay - (2000 if pay else 0), "claim_line_id": first,
                   "group_code": group, "carc": carc, "posted_on": paid_on,
                   "remittance_id": remit}  # fmt: skip

    def denial_rows() -> Iterator[dict[str, Any]]:
        for cid_, _, _, day, status, _ in claims:
            if status in ("denied", "appealed"):
                yield {"id": cid_, "clinic_id": cid, "claim_id": cid_, "group_code": "CO",
                       "carc": "197", "denied_on": day + dt.timedelta(days=30),
                       "amount_cents": 24000}  # fmt: skip

    def appeal_rows() -> Iterator[dict[str, Any]]:
        for cid_, _, _, day, status, _ in claims:
            if status == "appealed":
                yield {"clinic_id": cid, "claim_id": cid_, "denial_id": cid_,
                       "filed_on": day + dt.timedelta(days=40), "reason": "r", "filed_by": user}  # fmt: skip

    def desk_rows() -> Iterator[dict[str, Any]]:
        for i in range(20_000):
            yield {"clinic_id": cid, "patient_id": i % n_patients + 1, "kind": "payment",
                   "method": "card", "amount_cents": 2500, "received_on": days[i % len(days)],
                   "taken_at": now}  # fmt: skip

    overhead = [
        {"clinic_id": cid, "month": dt.date(y, m, 1), "category": cat, "amount_cents": cents}
        for y in (2024, 2025)
        for m in range(1, 13)
        for cat, cents in (("rent", 800_000), ("salaries", 6_000_000), ("other", 400_000))
    ]
    for table, rows in (
        (ClaimRow, claim_rows()), (ClaimLineRow, line_rows()), (VisitRow, visit_rows()),
        (ServiceLineRow, unbilled_lines()), (ClaimVisitRow, link_rows()),
        (ClaimStatusRow, history_rows()), (PostingRow, posting_rows()), (DenialRow, denial_rows()),
        (AppealRow, appeal_rows()), (PatientPaymentRow, desk_rows()),
    ):  # fmt: skip
        with db.engine.begin() as conn:
            for batch in chunks(CHUNK, rows):
                conn.execute(insert(table), batch)
    with db.engine.begin() as conn:
        conn.execute(insert(OverheadCostRow), overhead)
    summarize(db, cid)
    return cid


def summarize(db: Database, cid: int) -> None:
    """The kept summaries, by migrations 0028, 0033 and 0034's SQL (not timed), then fresh
    statistics for this database's own tables, one table a statement outside the transaction (a
    bare ANALYZE on a shared PostgreSQL server takes every schema's tables, and an ANALYZE of
    many tables in one transaction can deadlock with another session's)."""
    with db.engine.begin() as conn:
        backfill(conn, cid)
        backfill_rollups(conn, cid)
        backfill_open_days(conn, cid)
        backfill_collection_days(conn, cid)
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if conn.dialect.name != "postgresql":
            conn.execute(text("ANALYZE"))
            return
        query = text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        for table in conn.scalars(query).all():
            conn.execute(text(f'ANALYZE "{table}"'))


def _best(fn: Callable[[], object], runs: int = 1) -> tuple[float, float]:
    """(wall, this process's CPU) seconds, the best of ``runs``; on a loaded machine the CPU
    time is the figure (on PostgreSQL the server's own CPU is not in it)."""
    times = []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    return min(times)


def measure(db: Database, cid: int) -> dict[str, tuple[float, float]]:
    def family(key: str) -> Callable[[], object]:
        def run() -> object:
            with db.unit_of_work(cid) as uow:
                return family_tables(uow, key, TODAY)

        return run

    def csv_patients() -> object:
        with db.unit_of_work(cid) as uow:
            return table_csv(uow, "receivables", "aging_by_patient", TODAY)

    marks: list[tuple[float, float]] = []  # (wall, CPU) when the PDF's layout starts

    def pdf() -> object:  # as the job builds it: one read-only unit of work, then the layout
        def progress(done: int, total: int, _what: str) -> None:
            if done == total - 1:
                marks.append((time.perf_counter(), time.process_time()))

        start = (time.perf_counter(), time.process_time())
        content = build_owner_pdf(db, cid, _user_of(db, cid), TODAY, progress)
        end = (time.perf_counter(), time.process_time())
        marks[:] = [(marks[-1][0] - start[0], marks[-1][1] - start[1]),
                    (end[0] - marks[-1][0], end[1] - marks[-1][1])]  # fmt: skip
        return content

    def dashboard_ar() -> object:
        with db.unit_of_work(cid) as uow:
            return ar_aging(uow, TODAY)

    out = {f"page: {f.title}": _best(family(f.key)) for f in FAMILIES}
    out["CSV: A/R aging by patient (every row)"] = _best(csv_patients)
    out["PDF: every table (the job's build)"] = _best(pdf, runs=1)
    out["  of it: reading every figure"], out["  of it: laying out the pages"] = marks
    out["dashboard: A/R aging"] = _best(dashboard_ar)
    return out


def _clinic_of(db: Database) -> int:
    """The bench clinic of a kept database (the one clinic with claims)."""
    with db.engine.connect() as conn:
        cid = conn.execute(text("SELECT max(clinic_id) FROM claim")).scalar()
    if cid is None:
        raise SystemExit("that database has no bench clinic (no claims)")
    return int(cid)


def _user_of(db: Database, cid: int) -> int:
    """The bench clinic's user (the PDF job's actor)."""
    with db.engine.connect() as conn:
        query = text("SELECT min(id) FROM app_user WHERE clinic_id = :cid")
        return int(conn.execute(query, {"cid": cid}).scalar_one())


def _report(backend: str, db: Database, cid: int) -> None:
    limit = 5.0 if backend == "sqlite" else 2.0
    for name, (wall, cpu) in measure(db, cid).items():
        flag = "ok" if wall <= limit else f"OVER {limit:.0f} s"
        print(f"  {name:45s} {wall:6.2f} s wall {cpu:6.2f} s CPU  {flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database (to profile)")
    parser.add_argument(
        "--reuse", metavar="URL", help="measure a kept database again (the URL --keep printed)"
    )
    args = parser.parse_args()
    if args.reuse:  # migrations newer than the build run first (Database upgrades to head)
        db = Database(args.reuse)
        try:
            _report(db.backend, db, _clinic_of(db))
        finally:
            db.dispose()
        return
    for backend in args.backends.split(","):
        if backend == "sqlite":
            folder = tempfile.mkdtemp()
            db, done = Database(f"sqlite:///{folder}/owner.db"), (lambda: None)
        else:
            db, done = pg_bench_database()
        try:
            start = time.perf_counter()
            cid = build(db, args.lines)
            print(
                f"{backend}: {args.lines:,} claim lines written in {time.perf_counter() - start:.0f} s"
            )
            _report(backend, db, cid)
        finally:
            db.dispose()
            if args.keep or backend == "sqlite":
                print(f"  kept: {db.engine.url.render_as_string(hide_password=False)}")
            if not args.keep:
                done()


if __name__ == "__main__":
    main()
