"""An underpaid Medicare claim posted from an 835, for the expected-vs-paid tests."""

from __future__ import annotations

import datetime as dt

from otbill.services.remittances.post import post_remittance
from otbill.storage import Database
from support.clinickit import Ids
from support.remitkit import make_835, submitted_claim

__all__ = ["UNDERPAID", "post_underpaid"]

# Two lines of 97530 x 2 on 2025-02-14 (150.00 charged): paid 30 + 20, patient 10 + 10.
# Expected (2025 PFS, national, MPPR): 59.19 and 49.16 allowed; 48.21 and 38.38 paid.
UNDERPAID = """CLP*{number}*1*150*50*20*MB*ICN{number}*11*1
SVC*HC:97530:GO*90*30**2
DTM*472*20250214
CAS*CO*45*50
CAS*PR*2*10
SVC*HC:97530:GO*60*20**2
DTM*472*20250214
CAS*CO*45*30
CAS*PR*2*10"""


def post_underpaid(db: Database, ids: Ids, number: str = "U1") -> None:
    """Submit claim ``number`` (seed_clinic's Medicare patient) and post its underpaid 835."""
    submitted_claim(db, ids, number)
    data = make_835(UNDERPAID.format(number=number), "50", trace=f"EFT{number}")
    post_remittance(
        db, ids.clinic, ids.biller, data, name=f"{number}.835", today=dt.date(2025, 3, 10)
    )


def underpaid_demo_claim(app) -> tuple[str, list[int], bytes]:
    """Send demo claims until one billed to Medicare is accepted, and an 835 paying each of its
    lines 10% of its charge (the rest CO-45): (claim number, line ids, the 835)."""
    from sqlalchemy import select

    from otbill.storage.tables import ClaimLineRow, PayerRow
    from support.demoflow import ISA, send_claims

    sent = send_claims(app, 12)
    with app.state.db.session() as session:
        medicare = session.scalars(select(PayerRow.id).where(PayerRow.profile == "medicare")).all()
        claim = next(c for c in sent if c.payer_id in medicare)
        lines = list(
            session.scalars(
                select(ClaimLineRow)
                .where(ClaimLineRow.claim_id == claim.id)
                .order_by(ClaimLineRow.position)
            )
        )
    segments, total = [], 0
    for line in lines:
        paid = line.charge_cents // 10
        total += paid
        mods = ":".join(m for m in line.modifiers.split(",") if m)
        segments += [
            f"SVC*HC:{line.code}{':' + mods if mods else ''}*{line.charge_cents / 100:.2f}"
            f"*{paid / 100:.2f}**{line.units}",
            f"DTM*472*{line.date:%Y%m%d}",
            f"CAS*CO*45*{(line.charge_cents - paid) / 100:.2f}",
        ]
    charge = sum(li.charge_cents for li in lines)
    body = [
        f"BPR*I*{total / 100:.2f}*C*ACH*CCP*01*1*DA*2*3**01*4*DA*5*20250325",
        "TRN*1*EFTUNDER*1512345678",
        "N1*PR*MEDICARE",
        "REF*2U*00435",
        "N1*PE*RIVERSIDE*XX*1500000090",
        "LX*1",
        f"CLP*{claim.number}*1*{charge / 100:.2f}*{total / 100:.2f}*0*MB*ICNUNDER*11*1",
        *segments,
    ]
    text = ISA + "GS*HP*PAYER*OTBILL*20250401*1200*7*X*005010X221A1~ST*835*0001~"
    text += "~".join(body) + f"~SE*{len(body) + 2}*0001~GE*1*7~IEA*1*000000007~"
    return claim.number, [li.id for li in lines], text.encode()
