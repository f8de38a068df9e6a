"""The command line imports only what a command needs (issue 9, cold starts).

Each check runs a fresh interpreter, because this test session has long since imported
everything; the figures themselves are in ``bench/cli.py`` and ``docs/performance.md``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from otbill.cli import COMMANDS, app

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import sys
from otbill.cli import main
sys.argv = ["otbill", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
loaded = [m for m in ("sqlalchemy", "otbill.storage", "otbill.rules.registry", "yaml",
                      "otbill.x12.read_837p", "simple_icd_10_cm") if m in sys.modules]
print("LOADED", *loaded, file=sys.stderr)
"""


def _loaded_by(*args: str) -> set[str]:
    """The heavy modules a fresh ``otbill ARGS`` process imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("LOADED"))
    return set(line.split()[1:])


def test_units_imports_no_database_rules_or_profiles() -> None:
    assert _loaded_by("units", "97110=38", "97140=9") == set()


def test_scrub_reads_the_icd10cm_store_not_the_library(tmp_path: Path) -> None:
    claims = json.loads((ROOT / "examples" / "claims.json").read_text(encoding="utf-8"))
    one = tmp_path / "one.json"
    one.write_text(json.dumps(claims[0]), encoding="utf-8")
    args = ("scrub", str(one), "--today", "2025-03-01")
    _loaded_by(*args)  # builds the store when this machine has none yet
    assert _loaded_by(*args) == {"otbill.rules.registry", "yaml"}


def test_help_lists_every_command_and_each_one_loads() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    listed = [line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line]
    assert listed == list(COMMANDS)
    for name in COMMANDS:
        assert CliRunner().invoke(app, [name, "--help"]).exit_code == 0, name
