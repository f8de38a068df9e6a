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
