"""An import's audit events are appended in batches: several events in one statement, the chain
intact (issue 10's leftover: on PostgreSQL each event was its own round trip)."""

from __future__ import annotations

from sqlalchemy import event

from otbill.payers import load_profiles
from otbill.services.clinic import audit
from otbill.services.frontdesk.csv_import import import_rows
from otbill.storage import Database
from support.clinickit import seed_clinic


def test_an_import_appends_its_audit_events_in_a_few_statements(db: Database) -> None:
    ids = seed_clinic(db)
    rows = [
        {"old_id": f"P{n}", "first_name": "Ann", "last_name": f"Lee{n}", "dob": "1950-01-01",
         "sex": "F"}
        for n in range(1200)
    ]  # fmt: skip
    statements: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_EVENT"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        report = import_rows(
            db, ids.clinic, ids.admin, "patients", rows, digest="d" * 64,
            profiles=load_profiles([]),
        )  # fmt: skip
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert report.imported == 1200
    # 1,201 events: one executemany on SQLite, one COPY on PostgreSQL (which never passes through
    # SQLAlchemy's statement events) — not one INSERT an event
    assert len(statements) <= 1, len(statements)
    events = audit.audit_events(db, ids.clinic, "patient")
    assert len(events) == 1200
    assert audit.verify_audit(db)["HOT"] == []
