"""``otbill audit checkpoint`` and ``otbill audit verify``: truncation behind a signed checkpoint
is named, even when the head and the anchor were moved back with the rows."""

from __future__ import annotations

import sqlite3

from typer.testing import CliRunner

from otbill.cli import app

CREATE = [
    "clinic", "create", "--code", "EAST", "--name", "Eastside OT PLLC", "--tax-id", "04-2103594",
    "--npi", "1234567893", "--street", "9 Elm St", "--city", "Salem", "--state", "MA",
    "--zip", "01970", "--admin-username", "boss", "--admin-name", "Bo Boss",
]  # fmt: skip


def test_checkpoint_then_verify_names_a_truncated_chain(tmp_path, monkeypatch):
    monkeypatch.setenv("OTBILL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("OTBILL_ADMIN_PASSWORD", "a-long-password")
    monkeypatch.setenv("OTBILL_AUDIT_KEY", "k" * 32)
    url = ["--database-url", f"sqlite:///{tmp_path / 'c.db'}"]
    runner = CliRunner()
    assert runner.invoke(app, [*CREATE, *url]).exit_code == 0
    made = runner.invoke(app, ["audit", "checkpoint", "--today", "2026-12-05", *url])
    assert made.exit_code == 0, made.output
    assert (tmp_path / "audit-checkpoints" / "2026-12-05.json").exists()
    intact = runner.invoke(app, ["audit", "verify", *url])
    assert intact.exit_code == 0 and "clinic EAST: audit trail intact" in intact.output

    with sqlite3.connect(tmp_path / "c.db") as conn:  # the last event gone, head and anchor back
        conn.execute("DELETE FROM audit_event WHERE seq = 2")
        (last,) = conn.execute("SELECT hash FROM audit_event WHERE seq = 1").fetchone()
        conn.execute("UPDATE audit_head SET seq = 1, hash = ?", (last,))
        conn.execute("UPDATE audit_anchor SET row_count = 1, hash = ?", (last,))
    caught = runner.invoke(app, ["audit", "verify", *url])
    assert caught.exit_code == 1
    assert (
        "clinic EAST: checkpoint 2026-12-05: the chain held 2 events then; it holds 1 now "
        "(event 2 deleted)" in caught.output
    )


def test_checkpoint_needs_the_key(tmp_path, monkeypatch):
    monkeypatch.setenv("OTBILL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("OTBILL_AUDIT_KEY", raising=False)
    url = ["--database-url", f"sqlite:///{tmp_path / 'c.db'}"]
    refused = CliRunner().invoke(app, ["audit", "checkpoint", *url])
    assert refused.exit_code == 2 and "OTBILL_AUDIT_KEY is not set" in refused.output
