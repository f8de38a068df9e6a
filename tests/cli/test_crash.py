"""An internal error is told apart from a finding and from bad input (issue 11, item 19).

Exit statuses (docs/cli.md): 0 ok, 1 findings, 2 bad input, 3 internal error. A crash prints one
line naming where the details were logged; the log holds the traceback without the exception's
message or the command's arguments, either of which may name a patient.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from otbill import units as units_engine
from otbill.cli import app

runner = CliRunner()
PATIENT = "Zebediah Quarrington"


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("OTBILL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("OTBILL_DATA_DIR", str(tmp_path / "data"))


def _explode(*_args, **_kwargs):
    raise ZeroDivisionError(f"cannot bill {PATIENT}")


def _logged(stderr: str) -> Path:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "internal error" in lines[0] and "Traceback" not in stderr
    return Path(re.search(r"details: (\S+\.log)", lines[0]).group(1))


def test_a_crash_exits_3_with_one_line_and_a_log_without_phi(tmp_path, monkeypatch):
    monkeypatch.setattr(units_engine, "compute_units", _explode)
    result = runner.invoke(app, ["units", "97110=38"])
    assert result.exit_code == 3, result.output
    log = _logged(result.stderr)
    assert log.is_relative_to(tmp_path / "cache" / "logs")
    text = log.read_text()
    assert "ZeroDivisionError" in text and "otbill units" in text and "_explode" in text
    assert PATIENT not in text and "97110=38" not in text


def test_bad_input_stays_exit_2():
    assert runner.invoke(app, ["units", "97110=lots"]).exit_code == 2
    assert runner.invoke(app, ["units", "--date", "soon", "97110=38"]).exit_code == 2


def test_the_installed_command_reports_a_crash_the_same_way(tmp_path):
    """A real process, as a biller runs it: no traceback on the terminal."""
    code = (
        "import otbill.units as u\n"
        "def boom(*a, **k): raise KeyError('Quarrington')\n"
        "u.compute_units = boom\n"
        "from otbill.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "units", "97110=38"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"OTBILL_CACHE_DIR": str(tmp_path / "c"), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 3, done.stderr
    assert "Quarrington" not in _logged(done.stderr).read_text()
