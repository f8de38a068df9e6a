"""The database itself refuses a posting that is not on a line of its own claim, in its own
clinic, or that does not carry its claim's patient and payer (composite keys, migration 0037)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from otbill.storage import Database
from support.clinickit import insert_claim, seed_clinic

ON = dt.date(2025, 3, 1)
INSERT = text(
    "INSERT INTO posting (clinic_id, source_key, kind, amount_cents, claim_id, claim_line_id,"
    " patient_id, payer_id, payer_side, posted_on, posted_at, posted_by) VALUES (:clinic, :key,"
    " 'charge', 100, :claim, :line, :patient, :payer, true, :on, :on, :by)"
)


def _insert(db: Database, row: dict[str, Any]) -> None:
    with db.engine.begin() as connection:
        connection.execute(INSERT, row)


def test_a_posting_astray_is_refused(db: Database) -> None:
    ids = seed_clinic(db)
    other = seed_clinic(db, "BBB", 1)
    first, lines = insert_claim(db, ids, "C1", (9000,))
    second, _ = insert_claim(db, ids, "C2", (5000,))
    good = {"clinic": ids.clinic, "key": "good", "claim": first, "line": lines[0],
            "patient": ids.patient, "payer": ids.medicare, "on": ON, "by": ids.biller}  # fmt: skip
    _insert(db, good)
    for astray in (
        {"claim": second},  # the line is the first claim's
        {"payer": ids.commercial},  # the claim is Medicare's
        {"patient": other.patient},  # the claim is another patient's
        {"clinic": other.clinic},  # the line is in another clinic
    ):
        with pytest.raises(IntegrityError, match="(?i)foreign key"):
            _insert(db, good | {"key": "astray"} | astray)
    with db.engine.connect() as connection:
        keys = connection.execute(text("SELECT source_key FROM posting")).scalars().all()
    assert keys == ["good"]
