"""Hand-written 835s and submitted claims for the posting tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from otbill.domain.ledger import Kind
from otbill.services.ledger import LedgerEntry, post
from otbill.storage import Database
from support.clinickit import Ids, insert_claim, make_npi, seed_clinic

__all__ = ["clinic_paid_in_full", "make_835", "paid_claim", "submitted_claim"]

ISA = (
    "ISA*00*          *00*          *ZZ*PAYER          *ZZ*OTBILL         "
    "*250301*1200*^*00501*000000005*0*P*:~"
)


PAYEE = f"N1*PE*HANDS ON OT*XX*{make_npi(900)}"  # seed_clinic's first clinic


def make_835(
    body: str, total: str, trace: str = "EFT123", payer: str = "00435", payee: str = PAYEE
) -> bytes:
    """An 835 from its claim loops (one segment a line); the BPR total is given; ``payee`` is the
    1000B loop (N1*PE and any REF), by default addressed to seed_clinic's first clinic."""
    segs = [
        f"BPR*I*{total}*C*ACH*CCP*01*1*DA*2*3**01*4*DA*5*20250305",
        f"TRN*1*{trace}*1512345678",
        "N1*PR*MEDICARE",
        f"REF*2U*{payer}",
        *payee.split("\n"),
        "LX*1",
        *[s.strip() for s in body.strip().split("\n")],
    ]
    text = ISA + "GS*HP*PAYER*OTBILL*20250301*1200*5*X*005010X221A1~ST*835*0001~"
    text += "~".join(segs) + f"~SE*{len(segs) + 2}*0001~GE*1*5~IEA*1*000000005~"
    return text.encode()


def submitted_claim(
    db: Database, ids: Ids, number: str, charges: tuple[int, ...] = (9000, 6000)
) -> tuple[int, list[int]]:
    """A submitted claim of 97530 lines dated 2025-02-14, its charges posted."""
    claim, lines = insert_claim(db, ids, number, charges, status="submitted")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        for n, (line, cents) in enumerate(zip(lines, charges, strict=True), start=1):
            entry = LedgerEntry(f"charge:{number}:{n}", Kind.CHARGE, line, Decimal(cents) / 100)
            post(uow, entry, dt.date(2025, 2, 20))
    return claim, lines


def paid_claim(number: str, icn: str | None = None) -> str:
    """An 835 claim payment of two 97530 lines (150.00 charged, 96.00 paid, 24.00 the patient's
    share) for the claim ``number``; its payer claim number ``icn`` (default ICN + number)."""
    return f"""CLP*{number}*1*150*96*24*MB*{icn or "ICN" + number}*11*1
SVC*HC:97530:GO*90*56**2
DTM*472*20250214
CAS*CO*45*20
CAS*PR*2*14
SVC*HC:97530:GO*60*40**2
DTM*472*20250214
CAS*CO*45*10
CAS*PR*2*10"""


def clinic_paid_in_full(
    db: Database, code: str, n: int, letter: str, count: int
) -> tuple[Ids, bytes]:
    """A new clinic (``seed_clinic``'s ``code`` and ``n``) with ``count`` submitted claims
    numbered ``<letter>1`` on, and the 835 that pays each of them (:func:`paid_claim`)."""
    ids = seed_clinic(db, code=code, n=n)
    numbers = [f"{letter}{i}" for i in range(1, count + 1)]
    for number in numbers:
        submitted_claim(db, ids, number)
    return ids, make_835("\n".join(paid_claim(x) for x in numbers), str(96 * count))
