"""Moves on the demo clinic that several web tests share: send claims, pay them, simulate answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from otbill.clearinghouse import FolderTransport
from otbill.clearinghouse.simulator.folder import simulate
from otbill.domain.money import from_cents
from otbill.rules.registry import load_rules
from otbill.services.claims import lifecycle as claims
from otbill.services.claims.scrub import build_scrub_context
from otbill.services.claims.submit import submit_batch
from otbill.storage.tables import ClaimLineRow, ClaimRow, ClinicRow, CoverageRow, UserRow, VisitRow
from otbill.x12.write_837p import Submission
from support.webkit import DEMO_TODAY

__all__ = [
    "clinic_and_users",
    "make_835",
    "next_visit_of",
    "send_claims",
    "simulated_835",
    "statuses",
    "submit_demo_claims",
    "user_id",
]

ISA = (
    "ISA*00*          *00*          *ZZ*PAYER          *ZZ*OTBILL         "
    "*250401*1200*^*00501*000000007*0*P*:~"
)


def user_id(app, username: str) -> int:
    with app.state.db.session() as session:
        return session.scalar(select(UserRow.id).where(UserRow.username == username))


def clinic_and_users(app) -> tuple[int, dict[str, int]]:
    """The demo clinic's id and its user ids by username."""
    with app.state.db.session() as session:
        clinic_id = session.scalars(select(ClinicRow.id)).one()
        users = {u.username: u.id for u in session.scalars(select(UserRow))}
    return clinic_id, users


def statuses(app) -> dict[str, str]:
    with app.state.db.session() as session:
        return {c.number: c.status for c in session.scalars(select(ClaimRow))}


def send_claims(app, n: int) -> list[ClaimRow]:
    """Approve, submit and accept the first ``n`` ready demo claims (their charges post)."""
    db, approver, biller = app.state.db, user_id(app, "approver"), user_id(app, "biller")
    with db.unit_of_work(1, approver) as uow:
        ready = uow.records.find(ClaimRow, ClaimRow.status == "ready")[:n]
        for claim in ready:
            claims.approve(uow, claim.id, DEMO_TODAY)
    with db.unit_of_work(1, biller) as uow:
        claims.submit(uow, [c.id for c in ready])
        for claim in ready:
            claims.respond(uow, claim.id, True)
    return ready


def make_835(rows: list[tuple[ClaimRow, bool]], trace: str = "EFT777") -> bytes:
    """An 835 paying 80% of each claim (contractual write-off) or denying it (CO-197)."""
    segments, total = [], Decimal("0.00")
    for n, (claim, paid) in enumerate(rows, start=1):
        charge = from_cents(claim.total_charge_cents)
        amount = (charge * Decimal("0.8")).quantize(Decimal("0.01")) if paid else Decimal("0.00")
        total += amount
        segments += [
            f"CLP*{claim.number}*{1 if paid else 4}*{charge}*{amount}*0*MB*ICN{n}*11*1",
            f"CAS*CO*{45 if paid else 197}*{charge - amount}",
        ]
    body = [
        f"BPR*I*{total}*C*ACH*CCP*01*1*DA*2*3**01*4*DA*5*20250325",
        f"TRN*1*{trace}*1512345678",
        "N1*PR*MEDICARE",
        "REF*2U*00435",
        "N1*PE*RIVERSIDE*XX*1500000090",  # the demo clinic's NPI
        "LX*1",
        *segments,
    ]
    text = ISA + "GS*HP*PAYER*OTBILL*20250401*1200*7*X*005010X221A1~ST*835*0001~"
    return (text + "~".join(body) + f"~SE*{len(body) + 2}*0001~GE*1*7~IEA*1*000000007~").encode()


def submit_demo_claims(app, transport, n: int = 40) -> list[str]:
    """Approve ``n`` ready demo claims and submit them through ``transport``."""
    db, (cid, users) = app.state.db, clinic_and_users(app)
    with db.unit_of_work(cid, users["approver"]) as uow:
        for claim in uow.claims.by_status("ready", limit=n):
            claims.approve(uow, claim.id, DEMO_TODAY)
    run = build_scrub_context(app.state.settings, DEMO_TODAY)
    with db.unit_of_work(cid, users["biller"]) as uow:
        sub = Submission(created=dt.datetime(2025, 4, 2, 9, 0))
        report = submit_batch(uow, transport, run, load_rules(), sub)
    assert report.submitted
    return report.submitted


def simulated_835(app, tmp_path: Path) -> tuple[str, bytes]:
    """Submit 40 demo claims to the simulator and return one of its 835s that carries a denial."""
    transport = FolderTransport(tmp_path / "ch")
    submit_demo_claims(app, transport)
    simulate(transport.root)
    files = sorted(transport.inbox.glob("*.835"))
    path = next(p for p in files if b"CAS*CO*50" in p.read_bytes())  # one with a denial
    return path.name, path.read_bytes()


def next_visit_of(app, payer_id: int, code: str) -> tuple[int, int, dt.date]:  # type: ignore[no-untyped-def]
    """A patient of the payer billed ``code`` before: the patient, the coverage, and a day for
    their next visit (after their last, and within the last few days before the demo's today)."""
    with app.state.db.session() as session:
        patient, coverage = session.execute(
            select(ClaimRow.patient_id, ClaimRow.coverage_id)
            .join(ClaimLineRow, ClaimLineRow.claim_id == ClaimRow.id)
            .where(ClaimRow.payer_id == payer_id, ClaimLineRow.code == code)
        ).first() or (0, 0)
        last = session.scalar(
            select(VisitRow.date)
            .where(VisitRow.patient_id == patient)
            .order_by(VisitRow.date.desc())
        )
        assert session.get_one(CoverageRow, coverage).payer_id == payer_id
    day = max(last or DEMO_TODAY, DEMO_TODAY - dt.timedelta(days=3)) + dt.timedelta(days=1)
    return patient, coverage, day
