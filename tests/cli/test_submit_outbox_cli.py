"""``otbill submit`` through the submission outbox (issue 15, H7): a folder drop that fails after
taking the file leaves the claims submitted and the file in the outbox, said in words (exit 1);
the next run resends that file, byte for byte, and a run after that sends nothing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from otbill.clearinghouse import FolderTransport
from otbill.clearinghouse.transport import EdiFile, TransportError
from otbill.cli import app
from otbill.cli import edi as edi_cli
from otbill.services.clinic.wiring import Wiring
from otbill.settings import Settings
from otbill.storage import Database
from support.companyflow import TODAY, VISIT_DAYS, approved_claims, billable_clinic
from support.passwords import fast_password_hashing  # noqa: F401


def _outbox(db: Database) -> list[str]:
    query = "SELECT name FROM edi_file WHERE outgoing IS NOT NULL ORDER BY id"
    with db.engine.connect() as conn:
        return [str(name) for name in conn.scalars(text(query))]


def test_a_failed_send_waits_in_the_outbox_and_the_next_run_resends_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'submit.db'}"
    db = Database(url)
    ids = billable_clinic(db, "OUTBOX", 1)
    approved_claims(db, ids, Wiring.load(Settings(data_dir=tmp_path, database_url=url)),
                    VISIT_DAYS[:2])  # fmt: skip
    drop = tmp_path / "drop"
    taken: list[EdiFile] = []

    class _DropThenFail(FolderTransport):
        def send(self, files: Sequence[EdiFile]) -> None:
            super().send(files)
            taken.extend(files)
            raise TransportError("the share went away after the copy")

    real = edi_cli._transport
    monkeypatch.setattr(edi_cli, "_transport", lambda *_a: _DropThenFail(drop))
    args = ["submit", "--folder", str(drop), "--today", TODAY.isoformat(), "--database-url", url,
            "--clinic", "OUTBOX", "--user", "biller"]  # fmt: skip
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 1, first.output
    assert "2 claim(s) submitted in 1 file(s)" in first.stdout
    assert "1 file(s) not sent (the share went away after the copy)" in first.stdout
    assert "wait in the outbox" in first.stdout and "Traceback" not in first.output
    assert _outbox(db) == [f.name for f in taken]
    with db.engine.connect() as conn:
        assert set(conn.scalars(text("SELECT status FROM claim"))) == {"submitted"}

    monkeypatch.setattr(edi_cli, "_transport", real)
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("0 claim(s) submitted in 0 file(s)")
    assert f"sent {taken[0].name}" in again.stdout and _outbox(db) == []
    [held] = (drop / "outbox").iterdir()
    assert held.name == taken[0].name and held.read_bytes() == taken[0].data  # the same bytes
    last = CliRunner().invoke(app, args)
    assert last.exit_code == 0 and "sent " not in last.stdout
    db.dispose()
