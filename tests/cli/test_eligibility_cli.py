"""``otbill eligibility check``: the payer simulator's answer in plain words, kept and audited."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from otbill.clearinghouse.simulator.core_server import serve_core
from otbill.cli import app
from otbill.storage import Database
from support.clinickit import add_commercial_coverage, seed_clinic
from support.passwords import fast_password_hashing  # noqa: F401

runner = CliRunner()


def _setup(tmp_path: Path, member_id: str) -> tuple[str, int]:
    url = f"sqlite:///{tmp_path / 'elig.db'}"
    db = Database(url)
    ids = seed_clinic(db)
    return url, add_commercial_coverage(db, ids, member_id)


def _run(url: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["eligibility", "check", *args, "--database-url", url])


def test_check_prints_the_benefits_in_plain_words(tmp_path: Path) -> None:
    url, coverage = _setup(tmp_path, "ACM900")
    visit = dt.date.today().isoformat()
    result = _run(url, str(coverage), "--date", visit, "--user", "biller")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"coverage {coverage}, eligibility check ")
    assert f"Coverage on {visit}: active (OTBILL GOLD PPO)" in lines
    assert "Benefits for: occupational therapy (AD)" in lines
    assert "Copay: $25 in network, $50 out of network" in lines
    assert "Authorization: required" in lines
    assert any(line.startswith("Visits: limit 20 per calendar year") for line in lines)
    again = _run(url, str(coverage), "--date", visit, "--user", "biller", "--json",
                 "--discipline", "pt")  # fmt: skip
    data = json.loads(again.stdout)
    assert data["active"] is True and "Benefits for: physical therapy (PT)" in data["lines"]


def test_a_rejection_reads_as_what_to_fix(tmp_path: Path) -> None:
    url, coverage = _setup(tmp_path, "ACM908")
    result = _run(url, str(coverage), "--date", dt.date.today().isoformat(), "--user", "biller")
    assert result.exit_code == 0, result.output
    assert (
        "Payer says: the date of birth does not match the payer's - fix: check the patient's "
        "date of birth against the card or the patient; correct and send again" in result.stdout
    )


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    url, coverage = _setup(tmp_path, "ACM900")
    today = dt.date.today().isoformat()
    cases = [
        (["999", "--date", today, "--user", "biller"], "coverage 999"),
        ([str(coverage), "--date", "3/3/2025", "--user", "biller"], "--date '3/3/2025'"),
        ([str(coverage), "--date", today, "--user", "biller", "--discipline", "SLP"],
         "--discipline 'SLP': OT or PT"),
        ([str(coverage), "--date", today, "--user", "biller", "--code", "97*30"],
         "--code '97*30': a 5-character procedure code"),
        ([str(coverage), "--date", today, "--user", "nobody"], "no user 'nobody'"),
        ([str(coverage), "--date", today, "--user", "biller", "--transport", "fax"],
         "--transport 'fax': one of simulator, core, soap, json"),
        ([str(coverage), "--date", today, "--user", "biller", "--transport", "core", "--url",
          "http://example.com/core", "--receiver", "CH"], "--url 'http://example.com/core'"),
        ([str(coverage), "--date", today, "--user", "biller", "--transport", "core", "--url",
          "https://example.com/core"], "--receiver: the clearinghouse's receiver ID is needed"),
    ]  # fmt: skip
    for args, message in cases:
        result = _run(url, *args)
        assert result.exit_code == 2, (args, result.output)
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("otbill: error: ") and message in line, line


def test_check_over_core_http_with_credentials_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, coverage = _setup(tmp_path, "ACM906")
    monkeypatch.setenv("OTBILL_CORE_USER", "clinic")
    monkeypatch.setenv("OTBILL_CORE_PASSWORD", "s3cret")
    with serve_core(user="clinic", password="s3cret") as endpoint:
        result = _run(url, str(coverage), "--date", dt.date.today().isoformat(), "--user",
                      "biller", "--transport", "core", "--url", endpoint, "--receiver", "SIM")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"({endpoint})" in result.stdout.splitlines()[0]
    assert f"Coverage on {dt.date.today()}: inactive" in result.stdout
    monkeypatch.setenv("OTBILL_CORE_PASSWORD", "wrong")
    with serve_core(user="clinic", password="s3cret") as endpoint:
        refused = _run(url, str(coverage), "--date", dt.date.today().isoformat(), "--user",
                       "biller", "--transport", "core", "--url", endpoint, "--receiver", "SIM")  # fmt: skip
    assert refused.exit_code == 2
    assert "the payer could not be asked:" in refused.stderr and "HTTP 401" in refused.stderr
