"""``otbill scrub``, ``otbill rules`` and ``otbill schema`` as a user runs them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from otbill.cli import app
from support.claimkit import clean_claim_data

runner = CliRunner()
TODAY = ["--today", "2025-02-20"]


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("OTBILL_DATA_DIR", str(tmp_path / "data"))


def _write(tmp_path, claims):
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(claims))
    return path


def _held():
    claim = clean_claim_data()
    claim["claim_id"] = "CLM-0002"
    claim["lines"][0]["code"] = "97350"
    return claim


def test_clean_file_exits_0(tmp_path):
    result = runner.invoke(app, ["scrub", str(_write(tmp_path, clean_claim_data())), *TODAY])
    assert result.exit_code == 0, result.output
    assert "CLM-0001: clean" in result.stdout


def test_held_claim_exits_1_and_json_names_everything(tmp_path):
    path = _write(tmp_path, [clean_claim_data(), _held()])
    result = runner.invoke(app, ["scrub", str(path), "--format", "json", *TODAY])
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert [c["status"] for c in out["claims"]] == ["clean", "held"]
    finding = out["claims"][1]["findings"][0]
    assert set(finding) >= {"rule", "category", "severity", "line", "message", "fix", "source"}
    assert finding["rule"] == "COD001" and finding["line"] == 1 and "97350" in finding["message"]
    assert out["summary"]["held"] == 1 and out["summary"]["clean"] == 1


def test_select_and_ignore(tmp_path):
    path = _write(tmp_path, [_held()])
    ignored = runner.invoke(
        app, ["scrub", str(path), "--ignore", "COD001", "--format", "json", *TODAY]
    )
    assert "COD001" not in ignored.stdout
    selected = runner.invoke(
        app, ["scrub", str(path), "--select", "COD", "--format", "json", *TODAY]
    )
    rules = {f["rule"] for c in json.loads(selected.stdout)["claims"] for f in c["findings"]}
    assert rules == {"COD001"}
    bad = runner.invoke(app, ["scrub", str(path), "--select", "NOPE", *TODAY])
    assert bad.exit_code == 2 and "NOPE" in bad.stderr


def test_bad_claim_exits_2_names_it_and_the_rest_is_scrubbed(tmp_path):
    broken = clean_claim_data()
    broken["claim_id"] = "CLM-BROKEN"
    broken["lines"][0]["minutes"] = -4
    path = _write(tmp_path, [clean_claim_data(), broken, _held()])
    result = runner.invoke(app, ["scrub", str(path), "--format", "json", *TODAY])
    assert result.exit_code == 2
    assert "CLM-BROKEN" in result.stderr and "lines[1].minutes" in result.stderr
    out = json.loads(result.stdout)
    assert [c["claim_id"] for c in out["claims"]] == ["CLM-0001", "CLM-0002"]
    assert out["summary"]["invalid"] == 1


def test_not_json_exits_2(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{oops")
    result = runner.invoke(app, ["scrub", str(path)])
    assert result.exit_code == 2 and "line 1" in result.stderr


def test_rules_list_and_explain():
    listing = runner.invoke(app, ["rules", "--json"])
    codes = [r["code"] for r in json.loads(listing.stdout)]
    assert "COD001" in codes and codes == sorted(codes)
    page = runner.invoke(app, ["rules", "explain", "COD002", "--markdown"])
    for heading in ("What it checks", "Why payers deny it", "Example", "Fix", "Source"):
        assert f"## {heading}" in page.stdout
    missing = runner.invoke(app, ["rules", "explain", "ZZZ999"])
    assert missing.exit_code == 2


def test_schema_command(tmp_path):
    result = runner.invoke(app, ["schema"])
    assert json.loads(result.stdout)["title"] == "otbill claim, version 1"


def test_scrub_reads_an_837p_and_skips_checks_it_cannot_make(tmp_path):
    claims = _write(tmp_path, [clean_claim_data(), _held()])
    edi = tmp_path / "out.837"
    written = runner.invoke(app, ["x12", "837", str(claims), "-o", str(edi)])
    assert written.exit_code == 0, written.output
    result = runner.invoke(app, ["scrub", str(edi), "--format", "json", *TODAY])
    out = json.loads(result.stdout)
    assert [c["claim_id"] for c in out["claims"]] == ["CLM-0001", "CLM-0002"]
    first, second = out["claims"]
    assert first["status"] == "clean"
    assert [f["rule"] for f in first["findings"]] == ["COD000"]  # the notice, as info
    assert "COD001" in {f["rule"] for f in second["findings"]} and result.exit_code == 1
    assert not {f["category"] for c in out["claims"] for f in c["findings"]} & {
        "documentation",
        "eligibility",
        "plan-of-care",
        "progress-report",
    }


def test_fix_applies_safe_fixes_and_unsafe_fixes_only_when_asked(tmp_path):
    claim = clean_claim_data()
    claim["lines"][0].update(modifiers=[], units=3)  # GO missing (safe), units over (unsafe)
    path = _write(tmp_path, [claim])
    out = tmp_path / "fixed.json"
    safe = runner.invoke(
        app, ["scrub", str(path), "--fix", "--output", str(out), "--format", "json", *TODAY]
    )
    assert [c.rsplit(" ", 1)[1] for c in json.loads(safe.stdout)["changes"]] == ["(MOD001)"]
    line = json.loads(out.read_text())[0]["lines"][0]
    assert line["modifiers"] == ["GO"] and line["units"] == 3 and safe.exit_code == 1
    both = runner.invoke(app, ["scrub", str(path), "--unsafe-fixes", "--output", str(out), *TODAY])
    line = json.loads(out.read_text())[0]["lines"][0]
    assert line["modifiers"] == ["GO"] and line["units"] == 2 and both.exit_code == 0, both.output


def test_rules_list_shows_since_and_status():
    rows = json.loads(runner.invoke(app, ["rules", "--json"]).stdout)
    assert {(r["since"], r["status"]) for r in rows} == {("0.1.0", "stable")}
