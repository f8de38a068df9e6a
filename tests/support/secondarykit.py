"""The secondary-claim cycle on the seeded clinic (Medicare primary, a Medigap secondary): the
primary built, sent and paid 80%, the secondary built from its 835, scrubbed and sent, the 835s
posted, and what the patient owes after each step."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from otbill.domain.claim import Claim
from otbill.domain.claim_records import StoredClaim
from otbill.domain.ledger import check_invariants
from otbill.rules.context import ScrubContext
from otbill.services.claims import lifecycle as claims
from otbill.services.clinic import setup as clinic
from otbill.services.frontdesk import patients
from otbill.services.ledger import balances
from otbill.services.remittances.post import post_remittance
from otbill.services.visits import record as visits
from otbill.storage import Database, UnitOfWork
from otbill.storage.tables import ClaimStatusRow
from otbill.x12.write_837p import Submission
from support.claimflow import PROFILES, RULES, build_all, record_visit
from support.clinickit import Ids, seed_clinic
from support.remitkit import make_835

__all__ = ["DAY", "MEDIGAP", "SUBMISSION", "TODAY", "ZERO", "add_gap_mutual", "approve_and_send",
           "history", "medicare_80", "next_claim", "patient_owes", "post_835", "scrub_run",
           "secondary_pays", "secondary_sent", "seed_medigap", "sent_claim", "writable"]  # fmt: skip

DAY = dt.date(2025, 2, 14)
TODAY = dt.date(2025, 3, 20)
SUBMISSION = Submission(created=dt.datetime(2025, 3, 20, 9, 0), control_number=3)
ZERO = Decimal("0.00")
# A Medigap supplement follows Medicare's decisions: no authorization of its own.
MEDIGAP = PROFILES["commercial-in-network"].model_copy(
    update={"name": "medigap", "prior_authorization": "never"}
)


def scrub_run() -> ScrubContext:
    return ScrubContext(profiles={**PROFILES, "medigap": MEDIGAP}, today=TODAY)


def add_gap_mutual(uow: UnitOfWork, ids: Ids) -> int:
    """Gap Mutual (GAP22, a Medigap plan) as the patient's secondary from 2025; its payer id."""
    gap = clinic.add_payer(uow, payer_code="GAP22", name="Gap Mutual", profile="medigap")
    patients.add_coverage(uow, patient_id=ids.patient, payer_id=gap, member_id="GM-1",
                          priority=2, effective_from=dt.date(2025, 1, 1),
                          eligibility_verified_on=dt.date(2025, 2, 1),
                          eligibility_active=True)  # fmt: skip
    return gap


def seed_medigap(db: Database) -> Ids:
    """Ann Lee: Medicare primary, a Medigap plan (Gap Mutual, GAP22) secondary."""
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        uow.patients.end_coverage(ids.commercial_coverage, dt.date(2024, 12, 31))
        gap = add_gap_mutual(uow, ids)
    ids.commercial = gap  # the secondary payer, in these tests
    return ids


def sent_claim(db: Database, ids: Ids) -> tuple[int, str]:
    """A Medicare claim of 97530 x 2 ($120), built, approved and submitted."""
    record_visit(db, ids, DAY, [visits.Service("97530", 30)])
    (claim_id,) = build_all(db, ids)
    approve_and_send(db, ids, claim_id)
    with db.unit_of_work(ids.clinic) as uow:
        return claim_id, uow.claims.get(claim_id).number


def approve_and_send(db: Database, ids: Ids, claim_id: int) -> None:
    with db.unit_of_work(ids.clinic, ids.approver) as uow:
        claims.approve(uow, claim_id, DAY)
        claims.submit(uow, [claim_id])


def post_835(db: Database, ids: Ids, body: str, total: str, payer: str, trace: str) -> None:
    data = make_835(body, total, trace=trace, payer=payer)
    post_remittance(db, ids.clinic, ids.biller, data, name=f"{trace}.835", today=TODAY)


def medicare_80(number: str, status: str = "1", remark: str = "") -> str:
    moa = f"\nMOA***{remark}" if remark else ""
    return f"""CLP*{number}*{status}*120*72*18*MB*ICN-{number}*11*1{moa}
SVC*HC:97530:GO*120*72**2
DTM*472*20250214
CAS*CO*45*30
CAS*PR*2*18"""


def secondary_pays(number: str, paid: str, pr: str = "0", status: str = "2") -> str:
    prior = Decimal("120") - Decimal(paid) - Decimal(pr)
    pr_cas = f"\nCAS*PR*1*{pr}" if Decimal(pr) else ""
    return f"""CLP*{number}*{status}*120*{paid}*{pr}*CI*ICN2-{number}*11*1
SVC*HC:97530:GO*120*{paid}**2
DTM*472*20250214
CAS*OA*23*{prior}{pr_cas}"""


def writable(claim: Claim) -> Claim:
    """The seeded clinic's ZIP has 5 digits; 2010AA needs ZIP+4."""
    bp = claim.billing_provider
    return dataclasses.replace(
        claim,
        billing_provider=dataclasses.replace(
            bp, address=dataclasses.replace(bp.address, zip="787011234")
        ),
    )


def next_claim(db: Database, ids: Ids, claim_id: int):  # type: ignore[no-untyped-def]
    with db.unit_of_work(ids.clinic) as uow:
        link = uow.coordination.followed_by(claim_id)
        assert link is not None
        return link, uow.claims.get(link.claim_id)


def patient_owes(db: Database, ids: Ids) -> tuple[Decimal, Decimal]:
    """(all the patient's claims' balance, the patient's own share)."""
    with db.unit_of_work(ids.clinic) as uow:
        b = balances(uow)
        check_invariants(b)
        mine = b.by_patient[ids.patient]
        return mine.balance, mine.patient_balance


def history(db: Database, ids: Ids, claim_id: int) -> list[str]:
    with db.unit_of_work(ids.clinic) as uow:
        rows = uow.records.find(ClaimStatusRow, ClaimStatusRow.claim_id == claim_id)
        return [r.reason for r in rows]


def secondary_sent(db: Database, ids: Ids) -> tuple[int, str, StoredClaim]:
    """The primary sent and paid 80% by Medicare; its secondary scrubbed, approved and sent:
    (the primary's id, its number, the secondary)."""
    primary, number = sent_claim(db, ids)
    post_835(db, ids, medicare_80(number), "72", "00435", "EFT1")
    _, secondary = next_claim(db, ids, primary)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        claims.rescrub(uow, secondary.id, scrub_run(), RULES)
    approve_and_send(db, ids, secondary.id)
    return primary, number, secondary
