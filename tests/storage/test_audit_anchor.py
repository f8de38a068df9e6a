"""The audit chain's anchor and signed checkpoints: truncation is caught, not called intact.

Issue 11, item 26: deleting a clinic's audit rows together with its head row, or deleting the
last rows and moving the head back, left ``otbill audit verify`` saying "intact".
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import text

from otbill.services.clinic import audit
from otbill.storage import Database
from support.clinickit import seed_clinic

KEY = "test-audit-key-not-secret"


def _problems(db: Database, folder: Path | None = None, key: str | None = KEY) -> list[str]:
    found = audit.verify_audit(db, checkpoints=folder, key=key)
    return [str(p) for p in found.get("HOT", [])]


def _last_seq(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("SELECT max(seq) FROM audit_event")).scalar_one())


def _move_head_back(db: Database, keep: int, *, anchor: bool = False) -> None:
    """What a careful attacker does: delete the rows after ``keep`` and point the head (and,
    when asked, the anchor) at the row that is now last."""
    with db.engine.begin() as conn:
        conn.execute(text(f"DELETE FROM audit_event WHERE seq > {keep}"))
        last = conn.execute(text(f"SELECT hash FROM audit_event WHERE seq = {keep}")).scalar_one()
        conn.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": keep, "h": last})
        if anchor:
            conn.execute(
                text("UPDATE audit_anchor SET row_count = :s, hash = :h"), {"s": keep, "h": last}
            )


def test_an_intact_chain_with_its_checkpoint_verifies(db: Database, tmp_path: Path) -> None:
    seed_clinic(db)
    audit.write_checkpoint(db, tmp_path, KEY, dt.date(2026, 12, 5))
    assert _problems(db, tmp_path) == []


def test_deleting_every_row_and_the_head_is_caught(db: Database) -> None:
    seed_clinic(db)
    last = _last_seq(db)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event"))
        conn.execute(text("DELETE FROM audit_head"))
    assert _problems(db) == [
        f"audit trail: {last} events deleted (the anchor counts {last}, the chain holds 0)"
    ]


def test_deleting_the_last_rows_and_moving_the_head_back_is_caught(db: Database) -> None:
    seed_clinic(db)
    last = _last_seq(db)
    _move_head_back(db, last - 3)
    assert _problems(db) == [
        f"audit trail: {3} events deleted (the anchor counts {last}, the chain holds {last - 3})"
    ]


def test_moving_the_anchor_back_too_is_caught_by_the_checkpoint(
    db: Database, tmp_path: Path
) -> None:
    seed_clinic(db)
    last = _last_seq(db)
    audit.write_checkpoint(db, tmp_path, KEY, dt.date(2026, 12, 5))
    _move_head_back(db, last - 2, anchor=True)
    assert _problems(db, tmp_path) == [
        f"checkpoint 2026-12-05: the chain held {last} events then; it holds {last - 2} now "
        f"(events {last - 1}–{last} deleted)"
    ]


def test_a_checkpoint_edited_to_match_is_refused(db: Database, tmp_path: Path) -> None:
    seed_clinic(db)
    path = audit.write_checkpoint(db, tmp_path, KEY, dt.date(2026, 12, 5))
    data = json.loads(path.read_text())
    data["clinics"]["HOT"]["row_count"] -= 1
    path.write_text(json.dumps(data))
    assert _problems(db, tmp_path) == [
        "checkpoint 2026-12-05: the signature does not match (the file was changed, or signed "
        "with another key)"
    ]


def test_an_edited_row_behind_a_checkpoint_is_named(db: Database, tmp_path: Path) -> None:
    seed_clinic(db)
    last = _last_seq(db)
    audit.write_checkpoint(db, tmp_path, KEY, dt.date(2026, 12, 5))
    with db.engine.begin() as conn:  # a forged tail: rehashing is not possible without the key,
        conn.execute(text(f"UPDATE audit_event SET hash = :h WHERE seq = {last}"), {"h": "0" * 64})
    problems = _problems(db, tmp_path)
    assert f"checkpoint 2026-12-05: event {last} differs from the one signed then" in problems
