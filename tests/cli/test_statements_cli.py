"""``otbill statements due|run --date D``: the due list, a dry run, the run's summary and files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from otbill.cli import app
from otbill.storage import Database
from support.clinickit import seed_clinic
from support.passwords import fast_password_hashing  # noqa: F401
from support.statementkit import owing

runner = CliRunner()


def test_due_dry_run_run_and_run_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    db = Database(url)
    owing(db, seed_clinic(db))
    common = ["--date", "2025-04-15", "--user", "biller", "--database-url", url]
    due = runner.invoke(app, ["statements", "due", *common])
    assert due.exit_code == 0, due.output
    assert due.stdout.splitlines() == [
        "1 guarantor(s) owing 40.00 on 2025-04-15: current 0.00, 31-60 days 40.00, "
        "61-90 days 0.00, over 90 days 0.00",
        "  Ann Lee: 40.00 - Will send: statement",
    ]
    out = tmp_path / "mail"
    dry = runner.invoke(app, ["statements", "run", *common, "--dry-run", "--out", str(out)])
    assert dry.exit_code == 0, dry.output
    assert "would send 1 for 40.00" in dry.stdout and not out.exists()
    done = runner.invoke(app, ["statements", "run", *common, "--out", str(out), "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert (data["sent"], data["batches"]) == (1, ["2025-04-15-1"])
    rows = list(csv.DictReader((out / "mailing-2025-04-15-1.csv").open(encoding="utf-8")))
    assert [(r["name"], r["amount_due"], r["due_date"]) for r in rows] == [
        ("Ann Lee", "40.00", "2025-05-06")
    ]
    again = runner.invoke(app, ["statements", "run", *common, "--out", str(out)])
    assert again.exit_code == 0 and "sent 0 for 0.00" in again.stdout
    assert "  already sent that day: 1" in again.stdout
    bad = runner.invoke(app, ["statements", "run", *common, "--minimum", "lots"])
    assert bad.exit_code == 2 and "--minimum 'lots'" in bad.stderr
