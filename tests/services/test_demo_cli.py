"""The demo clinic (deterministic, loaded once, defects caught) and the records CLI."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
import typer
from sqlalchemy import text
from typer.testing import CliRunner

from otbill.cli import records
from otbill.demo.load import load_demo
from otbill.rules.registry import load_rules
from otbill.services.claims.scrub import build_scrub_context
from otbill.settings import load_settings
from otbill.storage import Database
from otbill.storage.tables import ClaimRow, PatientRow, ProviderRow

app = typer.Typer()
app.command("demo")(records.demo_command)
app.add_typer(records.claims_app, name="claims")
app.add_typer(records.audit_app, name="audit")
DEFECTS = {"MOD001", "AUT003", "DOC001", "PRG001", "NCC001", "DUP001"}


def _errors(db: Database, clinic_id: int) -> Counter[str]:
    with db.unit_of_work(clinic_id) as uow:
        return Counter(
            f["rule"]
            for c in uow.records.find(ClaimRow)
            for f in c.findings
            if f["severity"] == "error"
        )


def test_demo_is_realistic_deterministic_and_loaded_once(db: Database) -> None:
    run = build_scrub_context(load_settings(), dt.date(2025, 4, 1))
    first = load_demo(db, run, load_rules())
    again = load_demo(db, run, load_rules())
    assert first.created and not again.created
    assert first.claims_by_status == again.claims_by_status
    errors = _errors(db, first.clinic_id)
    missing = {rule for rule in DEFECTS if rule not in errors}
    assert not missing, f"planted defects not caught: {missing}; errors: {errors}"
    with db.unit_of_work(first.clinic_id) as uow:
        assert uow.records.count(PatientRow) == 60
        assert sorted(p.credential for p in uow.records.find(ProviderRow)) == [
            "COTA",
            "OTR/L",
            "OTR/L",
        ]
        held = first.claims_by_status.get("held", 0)
        assert 0 < held < sum(first.claims_by_status.values()) / 5  # mostly clean


def test_cli_on_a_fresh_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path}/cli.db"
    runner = CliRunner()
    empty = runner.invoke(app, ["claims", "list", "--database-url", url])
    assert empty.exit_code == 2 and "run `otbill demo`" in empty.output
    assert runner.invoke(app, ["demo", "--database-url", url]).exit_code == 0
    loaded = runner.invoke(app, ["demo", "--database-url", url])
    assert "already present" in loaded.output
    listed = runner.invoke(
        app, ["claims", "list", "--status", "held", "--json", "--database-url", url]
    )
    rows = json.loads(listed.output)
    assert rows and {r["status"] for r in rows} == {"held"}
    shown = runner.invoke(
        app, ["claims", "show", rows[0]["number"], "--json", "--database-url", url]
    )
    detail = json.loads(shown.output)
    assert detail["findings"] and detail["history"][-1]["to"] == "held"
    text_out = runner.invoke(app, ["claims", "show", str(rows[0]["id"]), "--database-url", url])
    assert rows[0]["number"] in text_out.output
    bad = runner.invoke(app, ["claims", "list", "--status", "lost", "--database-url", url])
    assert bad.exit_code == 2
    ok = runner.invoke(app, ["audit", "verify", "--database-url", url])
    assert ok.exit_code == 0 and "intact" in ok.output
    db = Database(url)
    with db.engine.begin() as conn:  # a note's signature, which verify compares
        seq = conn.scalar(text("SELECT min(seq) FROM audit_event WHERE action = 'note.sign'"))
        conn.execute(text("UPDATE audit_event SET after = '{}' WHERE seq = :seq"), {"seq": seq})
    tampered = runner.invoke(app, ["audit", "verify", "--database-url", url])
    assert tampered.exit_code == 1 and f"audit row seq {seq}" in tampered.output


def test_a_demo_load_that_stopped_part_way_is_reported_not_taken_as_loaded(db: Database) -> None:
    from otbill.domain.record_errors import RecordError
    from otbill.services.clinic import setup as clinic

    clinic.create_clinic(  # what a load that crashed after its first step leaves behind
        db, code="DEMO", name="Half", npi_number="1234567893", tax_id="741234567",
        address=("1 Main St", "Austin", "TX", "78701"),
    )  # fmt: skip
    run = build_scrub_context(load_settings(), dt.date(2025, 4, 1))
    with pytest.raises(RecordError, match="stopped part-way"):
        load_demo(db, run, load_rules())
