"""Bad input at the command line: exit 2 and one line naming the record and field (issue 11,
items 16 and 17), never a traceback, and at once (a 2 KB file once hung ``otbill scrub``)."""

from __future__ import annotations

import time

import pytest
from typer.testing import CliRunner

from otbill.cli import app
from otbill.storage import Database
from support.clinickit import seed_clinic
from support.remitkit import make_835
from support.x12samples import one_claim_837p, tiny_835

runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("OTBILL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OTBILL_CACHE_DIR", str(tmp_path / "cache"))


def _one_line_exit_2(args: list[str], said: str) -> None:
    started = time.monotonic()
    result = runner.invoke(app, args)
    assert time.monotonic() - started < 10
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0] and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b'{"claim_id": "CLM-\xff"}', "not UTF-8 text"),
        (b"[" * 5_000 + b"]" * 5_000, "nested deeper than"),
        (b'{"claim_id": 1' + b"0" * 5_000 + b"}", "more than 4300 digits"),
        (b'{"claim_id": "CLM-\\udc00"}', "surrogate"),
    ],
)
def test_scrub_and_x12_837_refuse_unsound_claim_json(tmp_path, body, said):
    path = tmp_path / "claims.json"
    path.write_bytes(body)
    _one_line_exit_2(["scrub", str(path), "--today", "2025-02-20"], said)
    _one_line_exit_2(["x12", "837", str(path), "-o", str(tmp_path / "out.837")], said)
    assert not (tmp_path / "out.837").exists()


def test_x12_read_refuses_an_835_amount_of_9e999999(tmp_path):
    path = tmp_path / "big.835"
    path.write_bytes(tiny_835(svc_paid="9e999999"))
    _one_line_exit_2(["x12", "read", str(path)], "SVC03: '9e999999' is not a number")


def test_scrub_of_an_837p_with_units_9e999999_names_the_line(tmp_path):
    path = tmp_path / "big.837"
    path.write_bytes(one_claim_837p(units="9e999999"))
    started = time.monotonic()
    result = runner.invoke(app, ["scrub", str(path), "--today", "2025-02-20"])
    assert time.monotonic() - started < 10
    assert "SV104" in result.output and "9e999999" in result.output
    assert "Traceback" not in result.output


def test_post_refuses_an_835_amount_of_9e999999_and_posts_nothing(tmp_path):
    url = f"sqlite:///{tmp_path}/post.db"
    db = Database(url)
    seed_clinic(db)
    db.dispose()
    era = tmp_path / "huge.835"
    era.write_bytes(make_835("CLP*NOPE-1*1*100*80*0*MB*ICN9*11*1\nCAS*CO*45*9e999999", "80"))
    base = ["--database-url", url, "--clinic", "HOT"]
    _one_line_exit_2(["post", str(era), *base], "CAS03: '9e999999' is not a number")
    again = runner.invoke(app, ["post", str(era), "--any-payee", *base])
    assert again.exit_code == 2 and "already" not in again.output  # nothing was recorded


def test_post_refuses_an_amount_that_would_overflow_the_cents_column(tmp_path):
    url = f"sqlite:///{tmp_path}/post.db"
    db = Database(url)
    seed_clinic(db)
    db.dispose()
    era = tmp_path / "huge.835"
    amount = "999999999999999999"  # 18 digits: 10^20 cents, beyond a 64-bit column
    era.write_bytes(make_835(f"CLP*NOPE-1*1*{amount}*{amount}*0*MB*ICN9*11*1", amount))
    base = ["--database-url", url, "--clinic", "HOT", "--any-payee"]
    _one_line_exit_2(["post", str(era), *base], "more than 10 digits before the decimal point")
