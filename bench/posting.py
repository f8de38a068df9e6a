"""Figure for issue 15: posting a 10,000-claim 835, <= 10 s on PostgreSQL (SQLite for reference).

    nice .venv/bin/python bench/posting.py                                # both, 10,000 claims
    nice .venv/bin/python bench/posting.py --backends postgres --claims 2000 --profile
    nice .venv/bin/python bench/posting.py --backends postgresql --claims 2000 --statements

A clinic (10 therapists, 2 payers, 2,000 patients, fixed seed) gets ``claims`` claims of four
lines each, their charges posted, written straight to the tables with bulk inserts (not timed):
most are submitted; 3% were paid by an earlier 835 (their payments and adjustments posted);
each claim has the status history the app records on the way there (so the owner's outcome rows
exist, as for any submitted claim). Then
one 835 pays, adjusts and denies them, a realistic mix: 72% paid with a contractual adjustment and
the patient's coinsurance (PR), 10% partially paid (one line denied, CO 50), 10% denied at claim
level (CLP02 4, CO 197), 3% reversed (CLP02 22) and paid again by a corrected payment that
follows, 2% claim numbers we do not have (work queue), 3% paid at claim level only (no SVC). The
posting is timed (``post_remittance``, its bounded transactions and all), wall and this process's
CPU seconds (PostgreSQL's own CPU is not in it); then the same file is posted again (it must
change nothing) and the ledger's totals are printed. On PostgreSQL the posting runs as a plain
role, as production does (row-level security holds it; ``--superuser`` posts as the bench's
superuser, which escapes it).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from sqlalchemy import event, func, insert, select, text
from sqlalchemy.engine import Engine

import otbill.storage.audit as audit_module
from benchkit import as_plain_role, chunks, pg_bench_database
from otbill.codes import npi
from otbill.services.clinic import setup as clinic
from otbill.services.remittances.post import post_remittance
from otbill.storage import Database, bulk_rows
from otbill.storage.audit import utcnow
from otbill.storage.repositories.owner_summary import backfill
from otbill.storage.tables import (
    AuditEventRow,
    ClaimLineRow,
    ClaimRow,
    ClaimStatusRow,
    CoverageRow,
    PatientRow,
    PostingRow,
    RemittanceRow,
)

CODES = ["97530", "97110", "97535", "97112"]
DAY = dt.date(2025, 2, 14)
PAYER_CODE = "00435"
CHUNK = 20_000
#: A claim's status moves up to its submission, and a reversed claim's up to its earlier payment.
SUBMITTED = ((None, "draft"), ("draft", "ready"), ("ready", "approved"), ("approved", "submitted"))
PAID_EARLIER = (("submitted", "accepted"), ("accepted", "paid"))


def _npi(n: int) -> str:
    first9 = f"18{n:07d}"
    return first9 + npi.calc_check_digit(first9)


def _setup(db: Database) -> tuple[int, int, list[int], int]:
    cid = clinic.create_clinic(
        db, code=f"P{uuid.uuid4().hex[:6]}", name="Posting Bench OT", npi_number=_npi(1),
        tax_id="741234567", address=("1 Main", "Austin", "TX", "78701"),
    )  # fmt: skip
    with db.unit_of_work(cid) as uow:
        user = clinic.add_user(uow, username="b", full_name="B", password="b", roles=["biller"])
        providers = [
            clinic.add_provider(uow, npi_number=_npi(10 + i), first_name="T", last_name=f"T{i}",
                                credential="OTR/L", taxonomy="225X00000X")
            for i in range(10)
        ]  # fmt: skip
        payer = clinic.add_payer(uow, payer_code=PAYER_CODE, name="Medicare", profile="medicare")
    return cid, user, providers, payer


def _kind(n: int) -> str:
    """The claim payment's kind for claim ``n`` (fixed pattern: the mix is exact)."""
    roll = n % 100
    if roll < 72:
        return "paid"
    if roll < 82:
        return "partial"
    if roll < 92:
        return "denied"
    if roll < 95:
        return "reversed"
    if roll < 97:
        return "unknown"
    return "claim_level"


def build(db: Database, claims: int) -> tuple[int, int]:
    """The clinic and its submitted claims, charges posted (not timed): (clinic id, user id)."""
    cid, user, providers, payer = _setup(db)
    now, n_patients = utcnow(), 2_000
    with db.engine.begin() as conn:
        base = conn.scalar(select(func.coalesce(func.max(PatientRow.id), 0))) or 0
        claim_base = conn.scalar(select(func.coalesce(func.max(ClaimRow.id), 0))) or 0
        line_base = conn.scalar(select(func.coalesce(func.max(ClaimLineRow.id), 0))) or 0
        post_base = conn.scalar(select(func.coalesce(func.max(PostingRow.id), 0))) or 0
        remit = conn.execute(
            insert(RemittanceRow).returning(RemittanceRow.id),
            {"clinic_id": cid, "payer_id": payer, "trace_number": "EARLIER", "paid_on": DAY,
             "total_cents": 0, "payer_code": PAYER_CODE},
        ).scalar_one()  # fmt: skip
        conn.execute(insert(PatientRow), [
            {"id": base + p + 1, "clinic_id": cid, "mrn": f"M{p}", "first_name": "P",
             "last_name": f"L{p}", "dob": dt.date(1950, 1, 1), "sex": "F"}
            for p in range(n_patients)
        ])  # fmt: skip
        conn.execute(insert(CoverageRow), [
            {"id": base + p + 1, "clinic_id": cid, "patient_id": base + p + 1, "payer_id": payer,
             "member_id": f"X{p}", "effective_from": dt.date(2024, 1, 1)}
            for p in range(n_patients)
        ])  # fmt: skip

    def claim_rows() -> Iterator[dict[str, Any]]:
        for n in range(claims):
            patient = base + n % n_patients + 1
            status = "paid" if _kind(n) == "reversed" else "submitted"
            yield {"id": claim_base + n + 1, "clinic_id": cid, "number": f"C{n}",
                   "patient_id": patient, "coverage_id": patient, "payer_id": payer,
                   "date_of_service": DAY, "status": status, "place_of_service": "11",
                   "total_charge_cents": 24000, "findings": [], "created_by": user,
                   "last_edited_by": user, "created_at": now}  # fmt: skip

    def history_rows() -> Iterator[dict[str, Any]]:
        # the way every claim came to be submitted (and a reversed claim's earlier payment): as
        # the app records it, so the owner's outcome rows exist as they do for real claims
        for n in range(claims):
            path = SUBMITTED + (PAID_EARLIER if _kind(n) == "reversed" else ())
            for before, after in path:
                yield {"clinic_id": cid, "claim_id": claim_base + n + 1, "from_status": before,
                       "to_status": after, "at": now, "by_user": user, "reason": ""}  # fmt: skip

    def line_rows() -> Iterator[dict[str, Any]]:
        for n in range(claims):
            for pos in range(4):
                yield {"id": line_base + n * 4 + pos + 1, "clinic_id": cid,
                       "claim_id": claim_base + n + 1, "position": pos + 1, "date": DAY,
                       "code": CODES[pos], "units": 2, "modifiers": "GO", "charge_cents": 6000,
                       "allowed_cents": 3000, "rendering_provider_id": providers[n % 10]}  # fmt: skip

    def posting_rows() -> Iterator[dict[str, Any]]:
        pid = post_base
        for n in range(claims):
            claim_id, patient = claim_base + n + 1, base + n % n_patients + 1
            row = {"clinic_id": cid, "claim_id": claim_id, "patient_id": patient,
                   "payer_id": payer, "posted_at": now, "posted_by": user, "posted_on": DAY,
                   "group_code": None, "carc": None, "remittance_id": None}  # fmt: skip
            for pos in range(4):
                pid += 1
                line = line_base + n * 4 + pos + 1
                yield {**row, "id": pid, "source_key": f"charge:C{n}:{pos + 1}",
                       "kind": "charge", "amount_cents": 6000, "claim_line_id": line}  # fmt: skip
                if _kind(n) != "reversed":
                    continue
                earlier = f"835:{PAYER_CODE}:EARLIER:C{n}#1:L{pos + 1}"
                for suffix, kind, cents, group, carc in (
                    ("pay", "payment", 2400, None, None),
                    ("a1", "adjustment", 3000, "CO", "45"),
                    ("a2", "transfer", 600, "PR", "2"),
                ):
                    pid += 1
                    yield {**row, "id": pid, "source_key": f"{earlier}{suffix}", "kind": kind,
                           "amount_cents": cents, "claim_line_id": line, "group_code": group,
                           "carc": carc, "remittance_id": remit}  # fmt: skip

    for table, rows in ((ClaimRow, claim_rows()), (ClaimStatusRow, history_rows()),
                        (ClaimLineRow, line_rows()), (PostingRow, posting_rows())):  # fmt: skip
        with db.engine.begin() as conn:
            for batch in chunks(CHUNK, rows):
                conn.execute(insert(table), batch)
    with db.engine.begin() as conn:
        if db.backend == "postgresql":
            for table in ("patient", "coverage", "claim", "claim_status_history", "claim_line",
                          "posting"):  # fmt: skip
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))  # fmt: skip
        backfill(conn, cid)  # the owner's kept balances of the bulk-written postings
        conn.execute(text("ANALYZE"))
    return cid, user


_PAID_LINE = ["SVC*HC:{code}:GO*60*24**2", "DTM*472*20250214", "CAS*CO*45*30", "CAS*PR*2*6"]


def _lines(denied_position: int | None = None) -> list[str]:
    segs: list[str] = []
    for pos, code in enumerate(CODES, start=1):
        if pos == denied_position:
            segs += [f"SVC*HC:{code}:GO*60*0**2", "DTM*472*20250214", "CAS*CO*50*60", "LQ*HE*N115"]
        else:
            segs += [s.format(code=code) for s in _PAID_LINE]
    return segs


def _claim_payment(n: int) -> tuple[list[str], Decimal]:
    """The claim payment segments for claim ``n`` and what they pay."""
    number, kind = f"C{n}", _kind(n)
    if kind == "paid":
        return [f"CLP*{number}*1*240*96*24*MB*ICN{n}*11*1", *_lines()], Decimal(96)
    if kind == "partial":
        return [f"CLP*{number}*1*240*72*18*MB*ICN{n}*11*1", *_lines(denied_position=3)], Decimal(72)
    if kind == "denied":
        return [f"CLP*{number}*4*240*0*0*MB*ICN{n}*11*1", "CAS*CO*197*240", "MOA***N115"], ZERO
    if kind == "reversed":
        reversal = [
            f"CLP*{number}*22*-240*-96*-24*MB*ICN{n}*11*1",
            "CAS*CO*45*-120",
            "CAS*PR*2*-24",
        ]
        corrected = [f"CLP*{number}*1*240*90*24*MB*ICN{n}A*11*1", "CAS*CO*45*126", "CAS*PR*2*24"]
        return reversal + corrected, Decimal(-96 + 90)
    if kind == "unknown":
        return [f"CLP*X{n}*1*240*96*24*MB*ICN{n}*11*1", *_lines()], Decimal(96)
    return [f"CLP*{number}*1*240*96*24*MB*ICN{n}*11*1", "CAS*CO*45*120", "CAS*PR*2*24"], Decimal(96)


ZERO = Decimal(0)


def make_835(claims: int, payee_npi: str) -> bytes:
    """One 835 paying, adjusting and denying the bench's ``claims`` claims (see the docstring)."""
    bodies, total = [], ZERO
    for n in range(claims):
        segs, paid = _claim_payment(n)
        bodies += segs
        total += paid
    head = [f"BPR*I*{total:.2f}*C*ACH*CCP*01*1*DA*2*3**01*4*DA*5*20250305",
            "TRN*1*EFT-BENCH*1512345678", "N1*PR*MEDICARE", f"REF*2U*{PAYER_CODE}",
            f"N1*PE*POSTING BENCH OT*XX*{payee_npi}", "LX*1"]  # fmt: skip
    segs = head + bodies
    text_ = (
        "ISA*00*          *00*          *ZZ*PAYER          *ZZ*OTBILL         *250301*1200*^*"
        "00501*000000005*0*P*:~GS*HP*PAYER*OTBILL*20250301*1200*5*X*005010X221A1~ST*835*0001~"
    )
    text_ += "~".join(segs) + f"~SE*{len(segs) + 2}*0001~GE*1*5~IEA*1*000000005~"
    return text_.encode()


def ledger_totals(db: Database, cid: int) -> dict[str, int]:
    """Cents by posting kind, and how many postings: the same after any complete posting. Read
    in the clinic's unit of work: as the plain role, row-level security shows a bare connection
    no rows (the totals were then empty, and "unchanged" said nothing)."""
    with db.unit_of_work(cid) as uow:
        rows = uow.session.execute(
            select(PostingRow.kind, func.count(), func.sum(PostingRow.amount_cents))
            .where(PostingRow.clinic_id == cid)
            .group_by(PostingRow.kind)
        ).all()
    return {f"{kind} ({count})": int(cents) for kind, count, cents in sorted(rows)}


def audit_rows(db: Database, cid: int) -> int:
    """The clinic's audit events so far."""
    with db.unit_of_work(cid) as uow:
        query = select(func.count()).select_from(AuditEventRow)
        return int(uow.session.scalar(query.where(AuditEventRow.clinic_id == cid)) or 0)


def run_backend(db: Database, claims: int, profile: bool, superuser: bool = False) -> None:
    start = time.perf_counter()
    cid, actor = build(db, claims)
    drop_role = None
    if db.backend == "postgresql" and not superuser:  # posted as production runs: a plain role
        db, drop_role = as_plain_role(db)
        print("  posting as a plain role: row-level security applies, as in production")
    try:
        _post(db, cid, actor, claims, start, profile)
    finally:
        if drop_role is not None:
            drop_role()


class StatementTimes:
    """Time spent in each statement (its first 110 characters) and bulk-row stream (COPY on
    PostgreSQL) while posting, printed slowest first (``--statements``)."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        self._started: list[float] = []
        self._inner = 0.0  # statements' time inside the bulk write being timed

    def watch(self) -> None:
        event.listen(Engine, "before_cursor_execute", self._before)
        event.listen(Engine, "after_cursor_execute", self._after)
        original = bulk_rows.write_rows

        def write_rows(session: Any, model: Any, rows: Any) -> None:
            # the COPY's own time: the statements it runs (the staging table's INSERT ... SELECT
            # under row-level security) are counted on their own lines, not again here
            started, self._inner = time.perf_counter(), 0.0
            try:
                original(session, model, rows)
            finally:
                self._add(f"COPY (bulk rows) {model.__tablename__}", started + self._inner)

        bulk_rows.write_rows = write_rows  # type: ignore[assignment]
        audit_module.write_rows = write_rows  # type: ignore[assignment]

    def _before(self, *_: Any) -> None:
        self._started.append(time.perf_counter())

    def _after(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        started = self._started.pop()
        self._inner += time.perf_counter() - started
        self._add(" ".join(statement.split())[:110], started)

    def _add(self, key: str, started: float) -> None:
        entry = self.times[key]
        entry[0] += 1
        entry[1] += time.perf_counter() - started

    def print(self, top: int = 25) -> None:
        total = sum(t for _, t in self.times.values())
        print(f"  statements: {total:.2f} s in {sum(int(n) for n, _ in self.times.values())}")
        for key, (n, t) in sorted(self.times.items(), key=lambda kv: -kv[1][1])[:top]:
            print(f"  {t:7.3f} s {int(n):6d}x  {key}")


STATEMENTS: StatementTimes | None = None  # --statements


def _post(db: Database, cid: int, actor: int, claims: int, start: float, profile: bool) -> None:
    data = make_835(claims, _npi(1))
    print(f"  set up {claims:,} claims in {time.perf_counter() - start:.1f} s; "
          f"835 of {len(data) / 1e6:.1f} MB")  # fmt: skip
    prof = cProfile.Profile() if profile else None
    if STATEMENTS is not None:
        STATEMENTS.times.clear()
    events = audit_rows(db, cid)
    wall, cpu = time.perf_counter(), time.process_time()
    if prof:
        prof.enable()
    report = post_remittance(db, cid, actor, data, name="bench.835", today=DAY)
    if prof:
        prof.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"  posted: {wall:.2f} s wall, {cpu:.2f} s CPU; {report.counts()}")
    print(f"  audit events written: {audit_rows(db, cid) - events:,}")
    if STATEMENTS is not None:
        STATEMENTS.print()
    totals = ledger_totals(db, cid)
    assert totals, "the ledger reads back empty"
    wall2 = time.perf_counter()
    again = post_remittance(db, cid, actor, data, name="bench-again.835", today=DAY)
    print(f"  posted again: {time.perf_counter() - wall2:.2f} s, already posted: "
          f"{again.already_posted}; ledger unchanged: {ledger_totals(db, cid) == totals}")  # fmt: skip
    print(f"  ledger: {totals}")
    if prof:
        if os.environ.get("POSTING_PROFILE_FILE"):  # for pstats' callers and callees
            prof.dump_stats(os.environ["POSTING_PROFILE_FILE"])
        stats = pstats.Stats(prof)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", default="postgresql,sqlite")
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--statements",
        action="store_true",
        help="time each statement and COPY while posting (slowest first)",
    )
    parser.add_argument(
        "--superuser",
        action="store_true",
        help="post as the bench's superuser (row-level security not applied)",
    )
    args = parser.parse_args()
    if args.statements:
        global STATEMENTS
        STATEMENTS = StatementTimes()
        STATEMENTS.watch()
    print(f"load average: {os.getloadavg()}")
    for backend in args.backends.split(","):
        print(f"{backend}:")
        if backend == "sqlite":
            folder = tempfile.mkdtemp()
            db, done = Database(f"sqlite:///{folder}/posting.db"), (lambda: None)
        else:
            db, done = pg_bench_database()
        try:
            run_backend(db, args.claims, args.profile, args.superuser)
        finally:
            db.dispose()
            done()


if __name__ == "__main__":
    main()
