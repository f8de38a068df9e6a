"""``otbill x12 read`` and ``otbill x12 837`` as a user runs them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from otbill.cli.x12 import app
from otbill.x12.read_835 import read_835
from support.claimkit import clean_claim_data
from support.x12kit import corpus_dir, pyx12_errors

runner = CliRunner()


def test_read_835_as_json(simulated_x12):
    path = simulated_x12["835"]  # the simulator's answer to our own 837P
    result = runner.invoke(app, ["read", str(path), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["transaction"] == "835" and document["findings"] == []
    first = read_835(path).remittances[0].claims[0]
    assert first.paid > 0
    assert document["remittances"][0]["claims"][0]["paid"] == str(first.paid)


def test_read_835_of_a_real_payer_as_json():
    result = runner.invoke(app, ["read", str(corpus_dir() / "835" / "lfh--demo.835"), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["transaction"] == "835" and document["findings"] == []
    assert document["remittances"][0]["claims"][0]["paid"] == "138018.40"


def test_read_summary_for_277ca():
    result = runner.invoke(app, ["read", str(corpus_dir() / "277ca" / "oop--FromAlexbrodsky.txt")])
    assert result.exit_code == 0
    assert "1 rejected" in result.stdout and "National Provider Identifier" in result.stdout


def test_read_with_error_findings_exits_1():
    result = runner.invoke(app, ["read", str(corpus_dir() / "835" / "e835chs--test.835"), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["findings"][0]["segment"] == "CLP"


def test_bad_file_exits_2_with_one_line_naming_the_segment():
    path = corpus_dir() / "835" / "e835aff--sample_835.txt"
    result = runner.invoke(app, ["read", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "segment 23 CAS CAS03: 'amount' is not a number" in lines[0]


def test_unsupported_transaction_exits_2():
    result = runner.invoke(app, ["read", str(corpus_dir() / "837i" / "lfh--demo.837i")])
    assert result.exit_code == 2 and "not supported" in result.stderr


def test_write_837_from_claim_json_then_read_it_back(tmp_path):
    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps([clean_claim_data()]))
    out = tmp_path / "out.837"
    result = runner.invoke(
        app,
        ["837", str(claims), "-o", str(out), "--sender", "CLINIC1", "--receiver", "CH99", "--test"],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "*ZZ*CLINIC1        *ZZ*CH99           *" in text and "*T*:~" in text
    assert pyx12_errors(text) == []
    back = runner.invoke(app, ["read", str(out), "--json"])
    assert json.loads(back.stdout)["claims"][0]["claim_id"] == "CLM-0001"


def test_write_refuses_claims_it_cannot_write(tmp_path):
    data = clean_claim_data()
    data["diagnoses"] = []
    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps(data))
    result = runner.invoke(app, ["837", str(claims), "-o", str(tmp_path / "x.837")])
    assert result.exit_code == 2 and "diagnoses: at least one is required" in result.stderr
    assert not (tmp_path / "x.837").exists()


def test_write_refuses_invalid_claim_json(tmp_path):
    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps({"claim_id": "X"}))
    result = runner.invoke(app, ["837", str(claims), "-o", str(tmp_path / "x.837")])
    assert result.exit_code == 2 and "claim X" in result.stderr
