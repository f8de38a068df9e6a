"""``otbill sessions list|end``: an admin ends a user's sessions from the command line."""

from __future__ import annotations

from typer.testing import CliRunner

from otbill.cli import app
from otbill.services.clinic import sessions
from otbill.storage import Database

CREATE = [
    "clinic", "create", "--code", "EAST", "--name", "Eastside OT PLLC", "--tax-id", "04-2103594",
    "--npi", "1234567893", "--street", "9 Elm St", "--city", "Salem", "--state", "MA",
    "--zip", "01970", "--admin-username", "boss", "--admin-name", "Bo Boss",
]  # fmt: skip


def test_an_admin_lists_and_ends_a_users_sessions(tmp_path, monkeypatch):
    monkeypatch.setenv("OTBILL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("OTBILL_ADMIN_PASSWORD", "a-long-password")
    url = ["--database-url", f"sqlite:///{tmp_path / 'c.db'}"]
    runner = CliRunner()
    assert runner.invoke(app, [*CREATE, *url]).exit_code == 0
    db = Database(url[1])
    now = sessions.session_clock()
    cookie = sessions.start_session(db, 1, "10.0.0.7", {}, now)
    assert cookie is not None
    listed = runner.invoke(app, ["sessions", "list", *url])
    assert listed.exit_code == 0 and "boss: since" in listed.output and "10.0.0.7" in listed.output
    ended = runner.invoke(app, ["sessions", "end", "--username", "boss", "--user", "boss", *url])
    assert ended.exit_code == 0, ended.output
    assert "1 session(s) of boss ended" in ended.output
    assert sessions.resolve_session(db, cookie, sessions.SessionPolicy(), now) is None
    unknown = runner.invoke(
        app, ["sessions", "end", "--username", "nobody", "--user", "boss", *url]
    )
    assert unknown.exit_code == 2 and "no user 'nobody'" in unknown.output
