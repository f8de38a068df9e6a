"""An 835's postings are recorded one event a claim (``posting.remittance`` on the claim, each
posting listed with its id): ``audit verify`` still names a posting changed or deleted behind
otbill's back, and the trail's page for one posting shows the event that made it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from otbill.domain.audit_postings import REMITTANCE_POSTINGS
from otbill.services.clinic import audit
from otbill.services.remittances.post import post_remittance
from otbill.storage import Database
from support.clinickit import Ids, seed_clinic
from support.remitkit import make_835, paid_claim, submitted_claim

TODAY = dt.date(2025, 3, 10)


def _paid(db: Database) -> tuple[Ids, list[int]]:
    """Two claims paid by one 835 (the batched path); the ids of the 835's postings."""
    ids = seed_clinic(db)
    for number in ("A1", "A2"):
        submitted_claim(db, ids, number)
    data = make_835("\n".join([paid_claim("A1"), paid_claim("A2")]), "192")
    post_remittance(db, ids.clinic, ids.biller, data, name="a.835", today=TODAY, any_payee=True)
    with db.engine.connect() as conn:
        made = conn.execute(
            text("SELECT id FROM posting WHERE remittance_id IS NOT NULL ORDER BY id")
        ).scalars()
        return ids, list(made)


def _problems(db: Database) -> list[str]:
    return [str(p) for p in audit.verify_audit(db)["HOT"]]


def test_the_835s_postings_are_one_event_a_claim_and_verify(db: Database) -> None:
    ids, made = _paid(db)
    assert len(made) >= 6
    with db.unit_of_work(ids.clinic) as uow:
        events = [e for e in uow.audit_reads.events() if e.action == REMITTANCE_POSTINGS]
    assert [e.entity for e in events] == ["claim", "claim"]
    listed = sorted(p["id"] for e in events for p in (e.after or {})["postings"])
    assert listed == made
    assert _problems(db) == []


@pytest.mark.parametrize(
    ("sql", "said"),
    [
        ("UPDATE posting SET amount_cents = 1 WHERE id = {id}", "amount is 0.01; the audit"),
        ("DELETE FROM posting WHERE id = {id}", "deleted (the audit trail recorded"),
    ],
    ids=["changed", "deleted"],
)
def test_an_835_posting_changed_behind_otbills_back_is_named(
    db: Database, sql: str, said: str
) -> None:
    _, made = _paid(db)
    with db.engine.begin() as conn:
        conn.execute(text(sql.format(id=made[-1])))
    (problem,) = _problems(db)
    assert problem.startswith(f"posting {made[-1]} (835:")
    assert said in problem


def test_the_page_of_one_posting_shows_the_event_that_made_it(db: Database) -> None:
    ids, made = _paid(db)
    with db.unit_of_work(ids.clinic) as uow:
        mine = uow.audit_reads.events(entity="posting", entity_id=str(made[0]))
        charge = uow.audit_reads.events(entity="posting", entity_id="1")
        every = uow.audit_reads.events(entity="posting")
        none = uow.audit_reads.events(entity="posting", entity_id="no such")
        superscript = uow.audit_reads.events(entity="posting", entity_id="²")  # isdigit, not int
    (event,) = mine
    assert event.action == REMITTANCE_POSTINGS
    assert made[0] in [p["id"] for p in (event.after or {})["postings"]]
    assert [e.action for e in charge] == ["posting.charge"]  # a posting made alone: its own
    assert {e.action for e in every} == {"posting.charge", REMITTANCE_POSTINGS}
    assert none == [] and superscript == []


def test_the_claims_moves_are_in_its_event_and_a_status_changed_behind_otbills_back_is_named(
    db: Database,
) -> None:
    ids, _ = _paid(db)
    with db.unit_of_work(ids.clinic) as uow:
        events = [e for e in uow.audit_reads.events() if e.action == REMITTANCE_POSTINGS]
        alone = [e for e in uow.audit_reads.events() if e.action in ("claim.transition",
                                                                     "claim.payer_claim_number")]  # fmt: skip
    assert [(m["from"], m["to"]) for m in (events[0].after or {})["status"]] == [
        ("submitted", "accepted"), ("accepted", "paid")]  # fmt: skip
    assert (events[0].after or {})["payer_claim_number"] == {"from": None, "to": "ICNA1"}
    assert alone == []  # told in the claim's one event, not each its own
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE claim SET status = 'denied' WHERE number = 'A1'"))
    (problem,) = _problems(db)
    assert problem.endswith("status is denied; the audit trail last recorded paid")
