"""``otbill money underpaid|variance|what-if``: the queue with its evidence and CSV, the
variance by payer, the 2024 -> 2025 re-pricing, and refusals in one line."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from otbill.cli import app
from otbill.storage import Database
from support.clinickit import seed_clinic
from support.passwords import fast_password_hashing  # noqa: F401
from support.pricingkit import post_underpaid

runner = CliRunner()


def _db(tmp_path: Path) -> tuple[str, dict[str, str]]:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    db = Database(url)
    post_underpaid(db, seed_clinic(db))
    db.dispose()
    return url, {"OTBILL_TODAY": "2025-04-01", "OTBILL_DATA_DIR": str(tmp_path / "data")}


def test_underpaid_variance_and_what_if(tmp_path: Path) -> None:
    url, env = _db(tmp_path)
    out = tmp_path / "queue.csv"
    done = runner.invoke(
        app, ["money", "underpaid", "--database-url", url, "--csv", str(out)], env=env
    )
    assert done.exit_code == 0, done.output
    assert "Medicare Part B, 97530: 2 line(s), expected 86.59, paid 50.00, short 36.59" in (
        done.stdout
    )
    rows = list(csv.DictReader(out.open()))
    assert [r["expected_paid"] for r in rows] == ["48.21", "38.38"]
    assert rows[0]["adjustments"] == "CO-45 50.00"  # the patient's share has its own column
    assert rows[0]["patient_share"] == "10.00" and "MPPR" in rows[0]["basis"]
    variance = runner.invoke(app, ["money", "variance", "--database-url", url], env=env)
    assert variance.exit_code == 0, variance.output
    assert "Medicare Part B: 2 of 2 line(s) priced, expected 86.59, paid 50.00" in variance.stdout
    wi = runner.invoke(
        app, ["money", "what-if", "--years", "2024:2025", "--database-url", url], env=env
    )
    assert wi.exit_code == 0, wi.output
    assert "Medicare Part B: 111.52 -> 108.35 (-3.17, -2.84%)" in wi.stdout
    assert "conversion factor's alone" in wi.stdout


def test_refusals_are_one_line(tmp_path: Path) -> None:
    url, env = _db(tmp_path)
    bad = runner.invoke(app, ["money", "what-if", "--database-url", url], env=env)
    assert bad.exit_code == 2 and "give one of --years" in bad.output
    bad = runner.invoke(
        app, ["money", "what-if", "--payer", "Nobody", "--to-payer", "Acme Health",
              "--share", "10", "--database-url", url], env=env,
    )  # fmt: skip
    assert bad.exit_code == 2 and "no payer 'Nobody'" in bad.output
    bad = runner.invoke(
        app, ["money", "underpaid", "--tolerance", "-1", "--database-url", url], env=env
    )
    assert bad.exit_code == 2 and "--tolerance" in bad.output
