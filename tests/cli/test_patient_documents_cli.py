"""``otbill patients superbill|estimate`` and ``otbill prices pdf`` write their PDFs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from otbill.cli import app
from otbill.services.visits.record import Service
from otbill.storage import Database
from support.claimflow import record_visit
from support.clinickit import seed_clinic
from support.passwords import fast_password_hashing  # noqa: F401
from support.pdftext import pdf_text


def test_superbill_estimate_and_price_list_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/clinic.db"
    db = Database(url)
    ids = seed_clinic(db)
    record_visit(db, ids, dt.date(2025, 2, 10), [Service("97110", 25)])
    runner = CliRunner()
    where = ["--database-url", url, "--clinic", "HOT"]
    bill = tmp_path / "superbill.pdf"
    done = runner.invoke(app, ["patients", "superbill", str(ids.patient), "--from", "2025-02-01",
                               "--to", "2025-02-28", "-o", str(bill), *where])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "1 services, charges 110.00, paid 0.00" in done.output
    assert "97110" in pdf_text(bill) and "Balance due $110.00" in pdf_text(bill)
    estimate = tmp_path / "gfe.pdf"
    done = runner.invoke(app, ["patients", "estimate", str(ids.patient), "-o", str(estimate),
                               *where], env={"OTBILL_TODAY": "2025-02-14"})  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "16 visits, expected charges 1760.00" in done.output  # 2 a week, 8 weeks, 2 x $55
    assert "Good Faith Estimate" in pdf_text(estimate) and "$1,760.00" in pdf_text(estimate)
    prices = tmp_path / "prices.pdf"
    done = runner.invoke(app, ["prices", "pdf", "-o", str(prices), *where])
    assert done.exit_code == 0, done.output
    assert "published at /prices" in done.output
    assert "97530" in pdf_text(prices) and "$60.00" in pdf_text(prices)


def test_bad_input_is_one_line_naming_the_field(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/clinic.db"
    ids = seed_clinic(Database(url))
    runner = CliRunner()
    where = ["--database-url", url, "--clinic", "HOT", "-o", str(tmp_path / "x.pdf")]
    backwards = runner.invoke(app, ["patients", "superbill", str(ids.patient), "--from",
                                    "2025-03-01", "--to", "2025-02-01", *where])  # fmt: skip
    assert backwards.exit_code == 2 and "before from" in backwards.output
    typo = runner.invoke(app, ["patients", "estimate", str(ids.patient), "--services", "97530x",
                               *where])  # fmt: skip
    assert typo.exit_code == 2 and "services per visit" in typo.output
    missing = runner.invoke(app, ["patients", "superbill", "999", "--from", "2025-01-01",
                                  "--to", "2025-01-31", *where])  # fmt: skip
    assert missing.exit_code == 2 and "no such patient" in missing.output
