"""``otbill worker``: on SQLite it refuses in one line (the web process runs the jobs there); its
options are checked. The worker itself runs in tests/services/jobs/test_worker_kill.py."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from otbill.cli import app


def test_the_worker_refuses_sqlite_in_words(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'otbill.db'}"
    result = CliRunner().invoke(app, ["worker", "--database-url", url],
                                env={"OTBILL_DATA_DIR": str(tmp_path)})  # fmt: skip
    assert result.exit_code == 2
    assert "the job queue needs PostgreSQL; sqlite runs its jobs inside `otbill serve`" in (
        result.output
    )


def test_the_concurrency_is_checked(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["worker", "--concurrency", "0"],
                                env={"OTBILL_DATA_DIR": str(tmp_path)})  # fmt: skip
    assert result.exit_code == 2 and "--concurrency" in result.output
