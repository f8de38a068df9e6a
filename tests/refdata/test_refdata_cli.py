"""``otbill refdata`` sub-app through Typer's CliRunner."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from otbill.cli.refdata import app

runner = CliRunner()


def test_import_then_reimport_then_list(ptp_file: Path, tmp_path: Path) -> None:
    env = {"OTBILL_DATA_DIR": str(tmp_path)}
    result = runner.invoke(app, ["import", "ncci-ptp", str(ptp_file)], env=env)
    assert result.exit_code == 0, result.output
    assert "30979 rows imported" in result.stdout
    assert (tmp_path / "refdata" / "ncci-ptp" / "2024-04-01__v30.1.csv").is_file()
    again = runner.invoke(app, ["import", "ncci-ptp", str(ptp_file)], env=env)
    assert again.exit_code == 0 and "already imported" in again.stdout
    listed = runner.invoke(app, ["list"], env=env)
    assert listed.exit_code == 0 and "ncci-ptp" in listed.stdout and "v30.1" in listed.stdout


def test_bad_file_exits_2_with_one_line(mue_file: Path, tmp_path: Path) -> None:
    env = {"OTBILL_DATA_DIR": str(tmp_path)}
    result = runner.invoke(
        app,
        ["import", "ncci-ptp", str(mue_file), "--effective", "2024-07-01", "--release", "x"],
        env=env,
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and mue_file.name in lines[0] and "line 1" in lines[0]


def test_effective_and_release_options(mue_file: Path, tmp_path: Path) -> None:
    env = {"OTBILL_DATA_DIR": str(tmp_path)}
    result = runner.invoke(
        app,
        ["import", "mue", str(mue_file), "--effective", "2024-10-01", "--release", "2024Q4"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "refdata" / "mue" / "2024-10-01__2024Q4.csv").is_file()


def test_list_when_empty(tmp_path: Path) -> None:
    result = runner.invoke(app, ["list"], env={"OTBILL_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 0 and "no reference tables imported" in result.stdout
