"""An 835 addressed to another payee (N1*PE NPI or TIN, REF*TJ) is refused whole; nothing posts."""

from __future__ import annotations

import datetime as dt

import pytest

from otbill.services.remittances.post import PayeeRefused, post_remittance
from otbill.storage import Database
from otbill.storage.tables import PostingRow, WorkItemRow
from support.clinickit import make_npi, seed_clinic
from support.remitkit import make_835, submitted_claim

TODAY = dt.date(2025, 3, 10)
PAID = """CLP*C1*1*150*120*0*MB*ICN001*11*1
SVC*HC:97530:GO*90*72**2
DTM*472*20250214
CAS*CO*45*18
SVC*HC:97530:GO*60*48**2
DTM*472*20250214
CAS*CO*45*12"""
OURS = make_npi(900)


def _posted(db: Database, clinic: int) -> tuple[int, int]:
    with db.unit_of_work(clinic) as uow:
        return uow.records.count(PostingRow), uow.records.count(WorkItemRow)


@pytest.mark.parametrize(
    ("payee", "found"),
    [
        ("N1*PE*MERCY HOSPITAL*XX*1922164458", "MERCY HOSPITAL (NPI 1922164458)"),
        (f"N1*PE*HANDS ON OT*XX*{OURS}\nREF*TJ*204881619", "TIN 204881619"),
        ("N1*PE*MERCY HOSPITAL*FI*204881619", "MERCY HOSPITAL (TIN 204881619)"),
        ("N1*PE*MERCY HOSPITAL*XV*H1234", "MERCY HOSPITAL"),
    ],
)
def test_an_835_for_another_payee_is_refused_naming_both(db: Database, payee: str, found: str):
    ids = seed_clinic(db)
    submitted_claim(db, ids, "C1")
    before = _posted(db, ids.clinic)
    data = make_835(PAID, "120", payee=payee)
    with pytest.raises(PayeeRefused) as refused:
        post_remittance(db, ids.clinic, ids.biller, data, name="era.835", today=TODAY)
    text = str(refused.value)
    assert "\n" not in text and text.startswith("era.835: ")
    assert found in text, text
    assert f"Hands On OT HOT (NPI {OURS}, TIN 741234567)" in text, text
    assert text.endswith("nothing posted")
    assert _posted(db, ids.clinic) == before


@pytest.mark.parametrize(
    "payee",
    [
        f"N1*PE*HANDS ON OT*XX*{OURS}",
        f"N1*PE*ANY NAME*XX*{OURS}\nREF*TJ*74-1234567",
        "N1*PE*SOMEONE*FI*741234567",
        "N1*PE*hands on ot  hot*XV*H1234",
    ],
)
def test_an_835_for_this_clinic_posts(db: Database, payee: str):
    ids = seed_clinic(db)
    submitted_claim(db, ids, "C1")
    data = make_835(PAID, "120", payee=payee)
    report = post_remittance(db, ids.clinic, ids.biller, data, name="era.835", today=TODAY)
    assert report.paid == 1


def test_any_payee_posts_someone_elses_835_to_the_work_queue(db: Database):
    ids = seed_clinic(db)
    data = make_835(PAID, "120", payee="N1*PE*MERCY HOSPITAL*XX*1922164458")
    report = post_remittance(
        db, ids.clinic, ids.biller, data, name="era.835", today=TODAY, any_payee=True
    )
    assert report.unmatched == 1 and _posted(db, ids.clinic) == (0, 1)
