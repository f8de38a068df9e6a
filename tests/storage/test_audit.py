"""The audit chain: written in the same transaction, and any edited or deleted row is named."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from otbill.services.clinic import audit
from otbill.services.clinic import setup as clinic
from otbill.storage import Database
from support.clinickit import seed_clinic


def _problems(db: Database, code: str = "HOT") -> list[str]:
    return [str(p) for p in audit.verify_audit(db)[code]]


def test_intact_chain_verifies(db: Database) -> None:
    ids = seed_clinic(db)
    events = audit.audit_events(db, ids.clinic, "user")
    assert [e["seq"] for e in events] == [1, 2, 3, 4, 5]
    assert events[1]["actor_id"] == ids.admin
    assert events[1]["after"] == {
        "username": "therapist",
        "full_name": "Therapist",
        "roles": ["therapist"],
    }
    assert "password" not in str(events)
    assert _problems(db) == []


def test_edited_row_is_named(db: Database) -> None:
    seed_clinic(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET action = 'user.delete' WHERE seq = 3"))
    assert _problems(db) == [f"audit row seq 3 (id {_id(db, 3)}): content edited (hash mismatch)"]


def test_edited_json_is_named(db: Database) -> None:
    seed_clinic(db)
    with db.engine.begin() as conn:
        conn.execute(
            text("""UPDATE audit_event SET after = '{"username":"mallory"}' WHERE seq = 2""")
        )
    assert any("seq 2" in p and "edited" in p for p in _problems(db))


def test_deleted_row_is_named(db: Database) -> None:
    seed_clinic(db)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE seq = 3"))
    assert _problems(db) == ["audit row seq 3: missing (deleted): seq 3"]


def test_deleted_last_row_is_noticed(db: Database) -> None:
    seed_clinic(db)
    last = _last_seq(db)  # users, providers, payers and fees are all audited
    assert last > 5
    with db.engine.begin() as conn:
        conn.execute(text(f"DELETE FROM audit_event WHERE seq = {last}"))
    assert _problems(db) == [
        f"audit row seq {last}: rows after seq {last - 1} deleted (head at seq {last})"
    ]


def test_rewritten_hash_breaks_the_next_link(db: Database) -> None:
    seed_clinic(db)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE audit_event SET hash = repeat('a', 64) WHERE seq = 2"
                if db.backend == "postgresql"
                else "UPDATE audit_event SET hash = 'aaaa' WHERE seq = 2"
            )
        )
    problems = _problems(db)
    assert any("seq 2" in p for p in problems)
    assert any("seq 3" in p and "link" in p for p in problems)


def test_rolled_back_change_leaves_no_audit_row(db: Database) -> None:
    ids = seed_clinic(db)
    before = _last_seq(db)
    with pytest.raises(RuntimeError), db.unit_of_work(ids.clinic, ids.admin) as uow:
        clinic.add_user(uow, username="temp", full_name="T", password="p", roles=["biller"])
        raise RuntimeError
    assert _last_seq(db) == before
    assert "temp" not in str(audit.audit_events(db, ids.clinic))
    assert _problems(db) == []


def _last_seq(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("SELECT max(seq) FROM audit_event")).scalar_one())


def _id(db: Database, seq: int) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT id FROM audit_event WHERE seq = {seq}")).scalar_one())
