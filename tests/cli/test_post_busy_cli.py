"""``otbill post`` while another writer holds the SQLite database: one line, exit 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from otbill.cli import edi
from otbill.services.remittances import turns
from otbill.storage import Database, engine
from support.busykit import hold_write_lock
from support.clinickit import seed_clinic
from support.remitkit import make_835

app = typer.Typer()
app.command("post")(edi.post_command)
app.command("ack")(edi.ack_command)

CLAIM = "CLP*NOPE-1*1*100*80*0*MB*ICN9*11*1\nCAS*CO*45*20"


def test_post_on_a_busy_database_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr(turns, "PAUSE_SECONDS", 0.01)
    url = f"sqlite:///{tmp_path}/post.db"
    db = Database(url)
    seed_clinic(db)
    era = tmp_path / "era.835"
    era.write_bytes(make_835(CLAIM, "80"))
    holder = hold_write_lock(db)
    try:
        out = CliRunner().invoke(app, ["post", str(era), "--database-url", url, "--clinic", "HOT"])
    finally:
        holder.rollback()
        holder.close()
    assert out.exit_code == 2, out.output
    waiting, error = out.output.splitlines()  # said once while waiting, then one line
    assert waiting == "era.835: the database is busy with another change; waiting our turn..."
    assert "era.835: the database stayed busy; 0 of 1 claim payment(s) posted" in error
    assert "Traceback" not in out.output
