"""``otbill claims paper``: a demo claim written as a CMS-1500 PDF; refusals in one line."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from otbill.cli import app
from otbill.pdf.cms1500_layout import SPOTS
from otbill.storage import Database
from support.clinickit import insert_claim, seed_clinic
from support.paperkit import pages, text_at

runner = CliRunner()


def _demo(demo_template: Path, tmp_path: Path) -> tuple[str, str, int]:
    """A copy of the demo database: its URL, and a ready claim's number and total in cents."""
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    with sqlite3.connect(path) as con:
        number, total = con.execute(
            "SELECT number, total_charge_cents FROM claim WHERE status = 'ready' ORDER BY id"
        ).fetchone()
    return f"sqlite:///{path}", number, total


def test_a_claim_is_written_as_a_pdf_with_its_values_in_their_boxes(
    demo_template: Path, tmp_path: Path
) -> None:
    url, number, total = _demo(demo_template, tmp_path)
    for form in ("full", "data"):
        out = tmp_path / f"{form}.pdf"
        result = runner.invoke(app, ["claims", "paper", number, "--form", form, "-o", str(out),
                                     "--today", "2025-04-01", "--database-url", url])  # fmt: skip
        assert result.exit_code == 0, result.output
        assert result.output.strip() == f"claim {number}: 1 form ({form}) written to {out}"
        sheet = pages(out.read_bytes())[0]
        assert text_at(sheet, SPOTS["26"]) == number
        assert text_at(sheet, SPOTS["28.dollars"]) == str(total // 100)
        assert text_at(sheet, SPOTS["31.date"]) == "04 01 25"


def test_an_unknown_claim_or_form_is_one_line_and_status_2(
    demo_template: Path, tmp_path: Path
) -> None:
    url, number, _ = _demo(demo_template, tmp_path)
    out = tmp_path / "x.pdf"
    missing = runner.invoke(
        app, ["claims", "paper", "C-NOPE", "-o", str(out), "--database-url", url]
    )
    assert missing.exit_code == 2
    assert "claim C-NOPE: not found in this clinic" in missing.output
    blue = runner.invoke(app, ["claims", "paper", number, "--form", "blue", "-o", str(out),
                               "--database-url", url])  # fmt: skip
    assert blue.exit_code == 2 and "--form 'blue': one of data, full" in blue.output
    assert not out.exists()


def test_a_claim_that_bills_no_visit_is_refused_in_words(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    db = Database(url)
    ids = seed_clinic(db)
    insert_claim(db, ids, "C-123")
    out = tmp_path / "c.pdf"
    result = runner.invoke(app, ["claims", "paper", "C-123", "-o", str(out), "--database-url", url])
    assert result.exit_code == 2
    assert "claim C-123: bills no visit" in result.output and not out.exists()
