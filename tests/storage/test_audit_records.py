"""``otbill audit verify`` compares the claim, posting and note rows with the after-state the
audit trail recorded (issue 11, item 26): an amount, a status or a note changed in the database
behind otbill's back, or a payment deleted, is named — the ledger's own check cannot see it,
since it recomputes from the same postings."""

from __future__ import annotations

from sqlalchemy import text

from otbill.services.claims import lifecycle as claims
from otbill.services.clinic import audit
from otbill.storage import Database
from support.claimflow import TODAY, ready_claim
from support.clinickit import seed_clinic


def _approved(db: Database) -> tuple[int, str]:
    ids = seed_clinic(db)
    claim_id = ready_claim(db, ids)
    with db.unit_of_work(ids.clinic, ids.approver) as uow:
        claims.approve(uow, claim_id, TODAY)
    with db.engine.connect() as conn:
        number = conn.execute(text(f"SELECT number FROM claim WHERE id = {claim_id}")).scalar_one()
    return claim_id, number


def _problems(db: Database) -> list[str]:
    return [str(p) for p in audit.verify_audit(db)["HOT"]]


def _one(db: Database, sql: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_records_that_match_their_audit_trail_verify(db: Database) -> None:
    _approved(db)
    assert _problems(db) == []


def test_a_changed_posting_amount_is_named(db: Database) -> None:
    _approved(db)
    posting = _one(db, "SELECT min(id) FROM posting")
    with db.engine.begin() as conn:
        conn.execute(text(f"UPDATE posting SET amount_cents = 1 WHERE id = {posting}"))
    (problem,) = _problems(db)
    assert problem.startswith(f"posting {posting} (charge:")
    assert problem.endswith("amount is 0.01; the audit trail recorded 150.00")


def test_a_changed_claim_status_is_named(db: Database) -> None:
    claim_id, number = _approved(db)
    with db.engine.begin() as conn:
        conn.execute(text(f"UPDATE claim SET status = 'paid' WHERE id = {claim_id}"))
    assert _problems(db) == [
        f"claim {number} (id {claim_id}): status is paid; the audit trail last recorded approved"
    ]


def test_a_deleted_posting_is_named(db: Database) -> None:
    _approved(db)
    posting = _one(db, "SELECT min(id) FROM posting")
    with db.engine.begin() as conn:
        conn.execute(text(f"DELETE FROM posting WHERE id = {posting}"))
    (problem,) = _problems(db)
    assert problem.startswith(f"posting {posting} (charge:")
    assert problem.endswith("deleted (the audit trail recorded 150.00)")


def test_a_changed_note_is_named(db: Database) -> None:
    _approved(db)
    note = _one(db, "SELECT min(id) FROM note")
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE note SET content = :c WHERE id = :i"),
            {"c": '{"goals": "rewritten later"}', "i": note},
        )
    problems = _problems(db)
    assert any(p.startswith(f"note {note}: goals differs from the audit trail") for p in problems)
