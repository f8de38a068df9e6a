"""What the CLI prints for a person: rules rendered, plurals, claims list pages, scrub --fix, x12 read."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from otbill.cli import app
from otbill.rules.registry import load_rules
from otbill.services.claims.scrub import build_scrub_context
from otbill.settings import load_settings
from otbill.storage import Database
from support.claimkit import clean_claim_data
from support.democlinic import load_demo_copy
from support.shared import shared_path

runner = CliRunner()
TODAY = ["--today", "2025-02-20"]


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("OTBILL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "240")  # Rich's width when not on a terminal


def test_rules_list_renders_rst_literals():
    out = runner.invoke(app, ["rules"])
    assert out.exit_code == 0, out.output
    assert "``" not in out.stdout
    assert "prior_authorization" in out.stdout  # AUT001's ``prior_authorization``, as text


def test_rules_explain_renders_markdown_for_a_terminal():
    page = runner.invoke(app, ["rules", "explain", "UNT001"])
    assert page.exit_code == 0, page.output
    text = page.stdout
    assert "What it checks" in text and "Why payers deny it" in text
    assert not re.search(r"^#+ ", text, re.M), text  # headings rendered, not raw Markdown
    assert "``" not in text and "[docs/sources.md](" not in text
    assert "--unsafe-fixes" in text
    raw = runner.invoke(app, ["rules", "explain", "UNT001", "--markdown"])
    assert raw.stdout.startswith("# UNT001 units-mismatch") and "## Fix" in raw.stdout


def test_units_say_one_unit_not_one_units():
    out = runner.invoke(app, ["units", "97110=10"])
    assert out.exit_code == 0, out.output
    assert "10 timed minutes → 1 timed unit" in out.stdout
    assert "1 timed units" not in out.stdout and "1 units" not in out.stdout


def _claims_file(tmp_path: Path) -> Path:
    claim = clean_claim_data()
    claim["lines"][0].update(modifiers=[])  # GO missing: a safe fix
    path = tmp_path / "claims.json"
    path.write_text(json.dumps([claim]))
    return path


def test_scrub_fix_writes_the_fixed_claims_to_stdout_not_next_to_the_input(tmp_path):
    path = _claims_file(tmp_path)
    out = runner.invoke(app, ["scrub", str(path), "--fix", *TODAY])
    assert not list(tmp_path.glob("*.fixed*"))
    fixed = json.loads(out.stdout)  # stdout is exactly the corrected claims
    assert fixed[0]["lines"][0]["modifiers"] == ["GO"]
    assert "fixed " in out.stderr and "(MOD001)" in out.stderr  # the report goes to stderr
    assert "1 claim with 1 change" in out.stderr
    written = tmp_path / "out.json"
    out = runner.invoke(app, ["scrub", str(path), "--fix", "--output", str(written), *TODAY])
    assert json.loads(written.read_text())[0]["lines"][0]["modifiers"] == ["GO"]
    assert "CLM-0001" in out.stdout


@pytest.mark.shared("corpus/x12")
def test_x12_read_prints_payments_claims_and_findings():
    remit = shared_path("corpus/x12") / "835" / "e835aff--nevada_medicaid.txt"
    out = runner.invoke(app, ["x12", "read", str(remit)])
    assert out.exit_code in (0, 1), out.output
    text = out.stdout
    assert re.search(r"payment \S+ of [\d.]+ .* on \d{4}-\d{2}-\d{2}", text), text
    assert re.search(r"\bclaim \S+: .*charged [\d.]+, paid [\d.]+", text), text
    assert "finding" in text


def test_x12_read_of_an_837p_lists_its_claims(tmp_path):
    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps([clean_claim_data()]))
    edi = tmp_path / "out.837"
    written = runner.invoke(app, ["x12", "837", str(claims), "-o", str(edi)])
    assert written.exit_code == 0 and f"wrote 1 claim to {edi}" in written.stdout
    out = runner.invoke(app, ["x12", "read", str(edi)])
    assert out.exit_code == 0, out.output
    assert "837P: 1 claim" in out.stdout and "1 claim(s)" not in out.stdout
    assert re.search(r"claim CLM-0001: .*charged [\d.]+", out.stdout), out.stdout
    assert "no findings" in out.stdout


def test_claims_list_has_a_header_and_pages(tmp_path):
    url = f"sqlite:///{tmp_path}/list.db"
    db = Database(url)
    load_demo_copy(db, build_scrub_context(load_settings(), dt.date(2025, 4, 1)), load_rules())
    db.dispose()
    base = ["claims", "list", "--database-url", url]
    first = runner.invoke(app, [*base, "--limit", "5"])
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert lines[0].split() == ["ID", "Number", "Status", "Service", "date", "Charge",
                                "Errors", "Payer"]  # fmt: skip
    assert len([ln for ln in lines if re.match(r"\s*\d+\s", ln)]) == 5
    assert re.search(r"claims 1–5 of \d+; next: --offset 5", first.stdout), first.stdout
    second = runner.invoke(app, [*base, "--limit", "5", "--offset", "5", "--json"])
    rows = json.loads(second.stdout)
    assert len(rows) == 5
    ids = [int(ln.split()[0]) for ln in lines if re.match(r"\s*\d+\s", ln)]
    assert not {r["id"] for r in rows} & set(ids)
    bad = runner.invoke(app, [*base, "--limit", "-1"])
    assert bad.exit_code == 2


@pytest.mark.parametrize("method", ["cms", "per-code"])
def test_units_explanations_say_one_minute(method):
    out = runner.invoke(app, ["units", "97110=1", "97140=8", "97150=1", "--method", method])
    assert out.exit_code == 0, out.output
    text = " ".join(out.stdout.split())
    assert not re.search(r"\b1 (minutes|units)\b", text), text
    assert re.search(r"\b1 minute\b", text), text
