"""Migration 0037: a posting's composite keys to its line and claim come and go with postings
present (reversals among them); an upgrade over a posting that breaks them is refused and leaves
the database at 0036."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import inspect, text

from otbill.domain.ledger import Kind
from otbill.services.ledger import LedgerEntry, post, reverse
from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from support.clinickit import Ids, insert_claim, seed_clinic

ON = dt.date(2025, 3, 1)
COMPOSITE = {
    "fk_posting_claim_line_id_claim_line": ["claim_line_id", "claim_id", "clinic_id"],
    "fk_posting_claim_id_claim": ["claim_id", "patient_id", "payer_id"],
}
SINGLE = {
    "fk_posting_claim_line_id_claim_line": ["claim_line_id"],
    "fk_posting_claim_id_claim": ["claim_id"],
    "fk_posting_clinic_id_clinic": ["clinic_id"],
    "fk_posting_patient_id_patient": ["patient_id"],
    "fk_posting_payer_id_payer": ["payer_id"],
}
KEPT = {
    "fk_posting_remittance_id_remittance": ["remittance_id"],
    "fk_posting_reverses_id_posting": ["reverses_id"],
    "fk_posting_posted_by_app_user": ["posted_by"],
}
UNIQUE = {"ux_claim_id_patient_id_payer_id", "ux_claim_line_id_claim_id_clinic_id"}
AT_0037 = (COMPOSITE | KEPT, UNIQUE)
AT_0036 = (SINGLE | KEPT, {"ix_posting_clinic_id"})
#: a posting on the first claim's line that says it is on the second claim (allowed before 0037)
ASTRAY = text(
    "INSERT INTO posting (clinic_id, source_key, kind, amount_cents, claim_id, claim_line_id,"
    " patient_id, payer_id, payer_side, posted_on, posted_at, posted_by) VALUES (:c, 'astray',"
    " 'charge', 100, :claim, :line, :p, :payer, true, :on, :on, :by)"
)


def _migrate(db: Database, verb: str, to: str) -> None:
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, verb)(config, to)


def _schema(db: Database) -> tuple[dict[str, list[str]], set[str]]:
    """Posting's foreign keys (name -> columns), and which of the indexes 0037 adds or drops
    are there."""
    keys = inspect(db.engine).get_foreign_keys("posting")
    names = {str(i["name"]) for table in ("claim", "claim_line", "posting")
             for i in inspect(db.engine).get_indexes(table)}  # fmt: skip
    changed = UNIQUE | {"ix_posting_clinic_id"}
    return {str(k["name"]): k["constrained_columns"] for k in keys}, names & changed


def _ledger(db: Database, ids: Ids) -> tuple[int, int, list[int]]:
    """Two claims with their charges posted, one payment reversed: (claims, postings, lines)."""
    first, lines = insert_claim(db, ids, "C1", (9000, 6000))
    second, more = insert_claim(db, ids, "C2", (5000,))
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        for n, line in enumerate(lines + more):
            post(uow, LedgerEntry(f"charge:{n}", Kind.CHARGE, line, Decimal("50.00")), ON)
        paid, _ = post(uow, LedgerEntry("pay", Kind.PAYMENT, lines[0], Decimal("20.00")), ON)
        reverse(uow, paid, "pay:reversed", ON)
    return first, second, lines + more


def _postings(db: Database) -> list[tuple[str, int, int]]:
    with db.engine.connect() as connection:
        query = text("SELECT source_key, claim_id, claim_line_id FROM posting ORDER BY id")
        return [(r.source_key, r.claim_id, r.claim_line_id) for r in connection.execute(query)]


def test_keys_down_and_up_with_postings(db: Database) -> None:
    ids = seed_clinic(db)
    _ledger(db, ids)
    before = _postings(db)
    assert _schema(db) == AT_0037
    _migrate(db, "downgrade", "0036")
    assert current_revision(db.engine) == "0036"
    assert _schema(db) == AT_0036
    assert _postings(db) == before
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    assert _schema(db) == AT_0037
    assert _postings(db) == before


def test_upgrade_refused_over_a_posting_astray(db: Database) -> None:
    ids = seed_clinic(db)
    first, second, lines = _ledger(db, ids)
    _migrate(db, "downgrade", "0036")
    with db.engine.begin() as connection:
        connection.execute(ASTRAY, {"c": ids.clinic, "claim": second, "line": lines[0],
                                    "p": ids.patient, "payer": ids.medicare, "on": ON,
                                    "by": ids.biller})  # fmt: skip
    with pytest.raises(Exception, match="(?i)foreign key"):
        upgrade(db.engine)
    assert current_revision(db.engine) == "0036"
    assert _schema(db) == AT_0036
    with db.engine.begin() as connection:  # put right, as the docstring's query finds it
        connection.execute(text("UPDATE posting SET claim_id = :c WHERE source_key = 'astray'"),
                           {"c": first})  # fmt: skip
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    assert _schema(db) == AT_0037
