"""``otbill reports coding-audit|chart-audit|code-changes`` on the demo clinic: the quarter's
audit with its CSV, a chart audit recorded for a sampled visit (and refused for one outside the
sample), the 2025 -> 2026 changes with the visits they touch, and refusals in one line."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from typer.testing import CliRunner

from otbill.cli import app

runner = CliRunner()
ANSWERS = ["current_status=pass", "goals=pass", "interventions=pass", "medical_necessity=fail",
           "minutes=pass", "signature=pass"]  # fmt: skip


def _db(demo_template: Path, tmp_path: Path) -> tuple[list[str], dict[str, str]]:
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    env = {"OTBILL_TODAY": "2025-04-01", "OTBILL_DATA_DIR": str(tmp_path / "data")}
    return ["--database-url", f"sqlite:///{path}"], env


def _sample(output: str) -> list[int]:
    return [int(line.split()[2]) for line in output.splitlines() if line.startswith("- visit ")]


def test_coding_audit_chart_audit_and_csv(demo_template: Path, tmp_path: Path) -> None:
    db, env = _db(demo_template, tmp_path)
    out = tmp_path / "audit.csv"
    done = runner.invoke(
        app, ["reports", "coding-audit", "--quarter", "2025Q1", "--csv", str(out), *db], env=env
    )
    assert done.exit_code == 0, done.output
    assert "Coding audit 2025Q1 (2025-01-01 to 2025-04-01): 1296 visits" in done.stdout
    assert "evaluations: 97165 21 (35.0%), 97166 20 (33.3%), 97167 19 (31.7%)" in done.stdout
    # the demo's assistant bills CO on most visits: an outlier against the clinic
    assert "Visits with modifier CQ or CO (assistant): Jon Diaz, COTA 57.7%" in done.stdout
    sample = _sample(done.stdout)
    assert len(sample) == 10 and "seed 20251, 0 of 10 audited" in done.stdout
    rows = list(csv.DictReader(out.open()))
    outliers = [r for r in rows if r["section"] == "outlier"]
    assert outliers and len(outliers[0]["visits"].split()) == 168

    recorded = runner.invoke(
        app,
        ["reports", "chart-audit", "--quarter", "2025Q1", "--visit", str(sample[0]),
         "--user", "admin", *[a for x in ANSWERS for a in ("--answer", x)], *db],
        env=env,
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.output
    assert "fail: Medical necessity (skilled care) shown" in recorded.stdout
    again = runner.invoke(app, ["reports", "coding-audit", "--quarter", "2025Q1", *db], env=env)
    assert _sample(again.stdout) == sample  # the same seed re-draws the same sample
    assert "1 of 10 audited" in again.stdout and "[FAIL Medical necessity" in again.stdout

    outside = next(v for v in range(1, 2000) if v not in sample)
    refused = runner.invoke(
        app,
        ["reports", "chart-audit", "--quarter", "2025Q1", "--visit", str(outside),
         "--user", "admin", *[a for x in ANSWERS for a in ("--answer", x)], *db],
        env=env,
    )  # fmt: skip
    assert refused.exit_code == 2
    assert f"visit {outside} is not in the 2025Q1 chart-audit sample" in refused.output


def test_code_changes_and_refusals(demo_template: Path, tmp_path: Path) -> None:
    db, env = _db(demo_template, tmp_path)
    out = tmp_path / "changes.csv"
    done = runner.invoke(
        app, ["reports", "code-changes", "--year", "2026", "--csv", str(out), *db], env=env
    )
    assert done.exit_code == 0, done.output
    assert "KX threshold: modifier KX: $2,410.00 -> $2,480.00" in done.stdout
    assert "Code added: 98979" in done.stdout
    rows = {r["codes"]: r for r in csv.DictReader(out.open())}
    assert rows["97530"]["change"] == "Revalued (RVUs or price)"
    assert (rows["97530"]["in 2025"], rows["97530"]["in 2026"]) == ("$34.61", "$35.07")
    assert int(rows["97530"]["visits_2025"]) == len(rows["97530"]["visit_ids"].split()) > 0

    bad = runner.invoke(app, ["reports", "coding-audit", "--quarter", "2025Q5", *db], env=env)
    assert bad.exit_code == 2
    assert "quarter '2025Q5' is not a year and quarter such as 2025Q1" in bad.output
    early = runner.invoke(app, ["reports", "code-changes", "--year", "1999", *db], env=env)
    assert early.exit_code == 2 and "is not a year such as 2026" in early.output
