"""The ``otbill units`` contract that other parts and external checks rely on."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from otbill.cli import app

runner = CliRunner()


def test_units_json_contract():
    result = runner.invoke(app, ["units", "97112=24", "97110=23", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["method"] == "cms" and out["total_timed_minutes"] == 47 and out["total_units"] == 3
    assert out["lines"] == [
        {"code": "97112", "minutes": 24, "units": 2, "timed": True},
        {"code": "97110", "minutes": 23, "units": 1, "timed": True},
    ]
    assert isinstance(out["explanation"], list) and out["explanation"]


def test_units_per_code_with_untimed_line():
    result = runner.invoke(
        app, ["units", "--method", "per-code", "97110=10", "97116=10", "97165=45", "--json"]
    )
    out = json.loads(result.stdout)
    assert [(x["code"], x["units"], x["timed"]) for x in out["lines"]] == [
        ("97110", 1, True),
        ("97116", 1, True),
        ("97165", 1, False),
    ]


def test_units_table_output():
    result = runner.invoke(app, ["units", "97110=38", "97140=9"])
    assert result.exit_code == 0
    assert "97110" in result.stdout and "47 timed minutes" in result.stdout


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["97X10=5"], "97X10=5"),
        (["97110=-3"], "97110=-3"),
        (["97110=2.5"], "97110=2.5"),
        (["97110"], "97110"),
        (["97127=10", "--date", "2025-02-14"], "97127=10"),
        (["99999=10"], "99999=10"),
        (["97110=10", "--date", "2025-13-01"], "--date"),
        (["--method", "minutes", "97110=10"], "--method"),
        (["97165=30", "97166=20"], "97165, 97166"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_argument(args, named):
    result = runner.invoke(app, ["units", *args])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0]
    assert result.stdout == ""
