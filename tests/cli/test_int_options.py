"""Whole-number options and arguments beyond 64 bits are bad input (exit 2, one line naming the
option), not an internal error from the database driver (issue 11, items 18 and 19)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from otbill.cli import app

runner = CliRunner()
HUGE = "1" + "0" * 29


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("OTBILL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OTBILL_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize(
    "args",
    [
        ["claims", "list", "--offset", HUGE],
        ["schedule", "list", "--therapist", HUGE],
        ["units", "97110=38", "--help"],
    ],
)
def test_huge_whole_numbers_are_usage_errors(args, tmp_path):
    result = runner.invoke(app, args)
    if "--help" in args:  # help is unchanged: no 9223372036854775807 in it
        assert result.exit_code == 0 and "9223372036854775807" not in result.output
        return
    assert result.exit_code == 2, result.output
    assert "9223372036854775807" in result.output and "internal error" not in result.output
    assert not (tmp_path / "cache" / "logs").exists()


def test_ordinary_numbers_still_pass_the_bound():
    result = runner.invoke(app, ["claims", "list", "--offset", "-1"])
    assert result.exit_code == 2 and "-1" in result.output  # the option's own minimum still holds


@pytest.mark.parametrize("minutes", ["²", "１２", "9" * 5_000])
def test_units_minutes_that_are_not_plain_digits_are_bad_input(minutes):
    result = runner.invoke(app, ["units", f"97110={minutes}"])
    assert result.exit_code == 2 and "minutes must be a whole number" in result.output
