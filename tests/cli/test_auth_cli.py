"""``otbill auth``: request, log a call, approve, show and the queue, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from otbill.cli import app
from otbill.storage import Database
from support.clinickit import seed_clinic
from support.passwords import fast_password_hashing  # noqa: F401

runner = CliRunner()


def test_request_log_approve_show_and_queue(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'auth.db'}"
    ids = seed_clinic(Database(url))
    where = ["--database-url", url, "--user", "biller"]

    def run(*args: str) -> str:
        result = runner.invoke(app, ["auth", *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    out = run("add", "--coverage", str(ids.commercial_coverage), "--number", "REQ-5",
              "--start", "2025-05-01", "--end", "2025-06-30", "--owner", "biller",
              "--due", "2025-04-25", *where)  # fmt: skip
    auth = out.split()[1]
    run("log", auth, "--kind", "call", "--reference", "C-881", "--contact", "Dana", *where)
    queue = json.loads(run("queue", "--today", "2025-04-20", "--json", "--database-url", url))
    assert [(r["number"], r["owner"]) for r in queue["pending"]] == [("REQ-5", "Biller")]
    assert [r["number"] for r in queue["running out"]] == ["AUTH-1"]
    run("status", auth, "approved", "--number", "A-12", "--visits", "12", *where)
    shown = run("show", auth, "--today", "2025-05-02", "--database-url", url)
    assert "A-12" in shown and "approved" in shown and "12 left" in shown
    assert "call" in shown and "ref C-881, with Dana" in shown
    queue = json.loads(run("queue", "--today", "2025-04-20", "--json", "--database-url", url))
    assert not queue["pending"]


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'auth.db'}"
    ids = seed_clinic(Database(url))
    where = ["--database-url", url, "--user", "biller"]
    result = runner.invoke(app, ["auth", "status", str(ids.auth), "denied", *where])
    assert result.exit_code == 2
    assert result.stderr == (
        "otbill: error: authorization AUTH-1: cannot go from approved to denied; allowed: "
        "approved, partially-approved\n"
    )
    result = runner.invoke(app, ["auth", "log", str(ids.auth), "--kind", "call", *where])
    assert result.exit_code == 2 and "reference" in result.stderr
    result = runner.invoke(app, ["auth", "queue", "--owner", "nobody", "--database-url", url])
    assert result.exit_code == 2 and "--owner 'nobody'" in result.stderr
