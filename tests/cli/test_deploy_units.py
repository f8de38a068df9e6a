"""The deployment files name commands and options that exist: every ``otbill ...`` line of the
systemd units and the Containerfile parses (``--help`` after its options), and docs/deploy.md
names every unit shipped."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from otbill.cli import app

ROOT = Path(__file__).resolve().parents[2]
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.*"))


def _otbill_lines() -> list[tuple[str, list[str]]]:
    found = []
    for unit in UNITS:
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart") and "/bin/otbill " in line:
                words = shlex.split(line.split("=", 1)[1].replace("%i", "8001"))
                found.append((unit.name, words[1:]))
    container = (ROOT / "Containerfile").read_text()
    for command in re.findall(r"otbill [a-z][^&\"]*", container.split("CMD", 1)[-1]):
        found.append(("Containerfile", shlex.split(command)[1:]))
    return found


def test_there_are_units_and_commands_to_check() -> None:
    names = {unit.name for unit in UNITS}
    assert {"otbill-web.service", "otbill-web@.service", "otbill-migrate.service"} <= names
    assert len(_otbill_lines()) >= 5


@pytest.mark.parametrize(("where", "args"), _otbill_lines(), ids=lambda v: str(v))
def test_each_otbill_command_line_parses(where: str, args: list[str]) -> None:
    result = CliRunner().invoke(app, [*args, "--help"])
    assert result.exit_code == 0, f"{where}: otbill {' '.join(args)}: {result.output}"


def test_the_deploy_page_names_every_unit() -> None:
    page = (ROOT / "docs" / "deploy.md").read_text()
    for unit in UNITS:
        assert unit.name.split(".")[0] in page, unit.name  # the unit (its .service and .timer)
