"""The EDI commands: post, ack, submit, clearinghouse simulate, export-837; bad input exits 2."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from otbill.cli import edi, records
from otbill.rules.registry import load_rules
from otbill.services.claims import lifecycle as claims
from otbill.services.claims.scrub import build_scrub_context
from otbill.settings import load_settings
from otbill.storage import Database
from otbill.storage.tables import UserRow
from support.democlinic import load_demo_copy as load_demo

app = typer.Typer()
app.command("post")(edi.post_command)
app.command("ack")(edi.ack_command)
app.command("submit")(edi.submit_command)
app.command("export-837")(edi.export_837_command)
app.add_typer(edi.clearinghouse_app, name="clearinghouse")
app.add_typer(records.claims_app, name="claims")


def test_the_cycle_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/cli.db"
    db = Database(url)
    cid = load_demo(db, build_scrub_context(load_settings(), dt.date(2025, 4, 1)), load_rules())
    with db.unit_of_work(cid.clinic_id) as uow:
        approver = uow.records.first(UserRow, UserRow.username == "approver")
        assert approver is not None
    with db.unit_of_work(cid.clinic_id, approver.id) as uow:
        for claim in uow.claims.by_status("ready")[:12]:
            claims.approve(uow, claim.id, dt.date(2025, 4, 1))
    db.dispose()
    run = CliRunner().invoke
    base = ["--database-url", url]
    out = run(app, ["export-837", "-o", str(tmp_path / "a.837"), *base])
    assert out.exit_code == 0 and "12 approved claim(s)" in out.output
    folder = tmp_path / "ch"
    out = run(app, ["submit", "--folder", str(folder), "--today", "2025-04-01", "--json", *base])
    assert out.exit_code == 0, out.output
    assert len(json.loads(out.output)["submitted"]) == 12
    out = run(app, ["clearinghouse", "simulate", "--folder", str(folder)])
    assert out.exit_code == 0 and "file(s) answered" in out.output
    inbox = sorted((folder / "inbox").iterdir())
    for suffix in (".999", ".277"):
        for f in (p for p in inbox if p.suffix == suffix):
            out = run(app, ["ack", str(f), *base])
            assert out.exit_code == 0, out.output
    remit, *others = [p for p in inbox if p.suffix == ".835"]
    out = run(app, ["post", str(remit), "--json", *base])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.output)
    assert summary["matched"] == summary["claims"] > 0
    out = run(app, ["post", str(remit), *base])
    assert out.exit_code == 0 and "already posted" in out.output
    broken = tmp_path / "broken.835"
    broken.write_text(others[0].read_text().replace("BPR*I*", "BPR*I*1", 1))
    out = run(app, ["post", str(broken), *base])
    assert out.exit_code == 2
    assert out.output.count("\n") == 1 and "broken.835: segment" in out.output
    assert "BPR02" in out.output and "nothing posted" in out.output
    out = run(app, ["ack", str(remit), *base])
    assert out.exit_code == 2 and "ST ST01" in out.output
