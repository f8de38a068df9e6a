"""Issue 11 item 7: ``OTBILL_TODAY`` sets the run's day for every command (one clock)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from otbill.cli import app
from otbill.errors import ConfigError
from otbill.settings import load_settings
from otbill.storage import Database
from support.clinickit import seed_clinic


def test_otbill_today_is_the_day_of_a_command(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path}/clinic.db"
    seed_clinic(Database(url))
    shown = CliRunner().invoke(app, ["schedule", "list", "--database-url", url],
                               env={"OTBILL_TODAY": "2025-04-01"})  # fmt: skip
    assert shown.exit_code == 0, shown.output
    assert "from 2025-04-01 to 2025-04-01" in shown.output


def test_a_bad_otbill_today_is_named() -> None:
    assert load_settings({"OTBILL_TODAY": "2025-04-01"}).today is not None
    with pytest.raises(ConfigError, match="OTBILL_TODAY"):
        load_settings({"OTBILL_TODAY": "tomorrow"})
