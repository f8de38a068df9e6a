"""The submission outbox (job kind ``exchange.submit``, both databases): a worker that dies after
the transport took a file but before it was marked sent resends that file only, byte for byte
(same name, same ISA13); one that dies before sending loses nothing; files marked sent never go
again; a folder drop takes the resend of a file it still holds without complaint."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from otbill.clearinghouse import FolderTransport
from otbill.clearinghouse.transport import EdiFile, MemoryTransport
from otbill.domain.jobs import Job
from otbill.services.clinic.wiring import Wiring
from otbill.services.jobs import RunningJob, kind_named, queue_job
from otbill.services.jobs.exchange import SUBMIT, exchange_arguments
from otbill.settings import Settings
from otbill.storage import Database
from support.clinickit import Ids
from support.companyflow import TODAY, VISIT_DAYS, approved_claims, billable_clinic


class _Killed(BaseException):
    """The worker process dying (nothing after it runs; not an ``Exception``)."""


class _DiesAfterSending:
    """A transport that hands the file over, then the worker dies before the next line."""

    def __init__(self, into: MemoryTransport) -> None:
        self.into = into

    def send(self, files: Sequence[EdiFile]) -> None:
        self.into.send(files)
        raise _Killed


class _DiesBeforeSending:
    def send(self, files: Sequence[EdiFile]) -> None:
        raise _Killed


class _Kept:
    def submit(self, job: Job) -> None:
        pass

    def lost(self, job: Job) -> bool:
        return False


@pytest.fixture
def wiring(tmp_path: Path) -> Wiring:
    return Wiring.load(Settings(data_dir=tmp_path / "data", database_url="sqlite://"))


def _submit(db: Database, ids: Ids, wiring: Wiring, transport: Any, key: str) -> Any:
    arguments = exchange_arguments(Path("/nonexistent"), TODAY)
    job = queue_job(db, _Kept(), ids.clinic, ids.biller, SUBMIT, arguments, key)
    context = {"wiring": wiring, "submit_transport": transport}
    return kind_named(SUBMIT).run(db, RunningJob(job, db, context))


def _outbox(db: Database) -> list[tuple[str, bool]]:
    query = "SELECT name, outgoing IS NULL AND sent_at IS NOT NULL FROM edi_file ORDER BY id"
    with db.engine.connect() as conn:
        return [(name, bool(sent)) for name, sent in conn.execute(text(query))]


def _isa13(data: bytes) -> str:
    return data.decode().split("~")[0].split("*")[13]


def test_a_worker_dead_after_sending_resends_that_file_only(db: Database, wiring: Wiring) -> None:
    ids = billable_clinic(db, "OUTBOX", 1)
    approved_claims(db, ids, wiring, VISIT_DAYS[:1])
    first = MemoryTransport()
    done = _submit(db, ids, wiring, first, "one")
    assert done["sent"] == done["files"] and len(first.sent) == 1

    approved_claims(db, ids, wiring, VISIT_DAYS[1:2])
    delivered = MemoryTransport()
    with pytest.raises(_Killed):
        _submit(db, ids, wiring, _DiesAfterSending(delivered), "two")
    [sent_once] = delivered.sent
    assert _outbox(db) == [(first.sent[0].name, True), (sent_once.name, False)]

    retry = MemoryTransport()
    again = _submit(db, ids, wiring, retry, "two")
    assert again == {"files": [], "submitted": [], "refused": {}, "sent": [sent_once.name]}
    assert retry.sent == [sent_once]  # byte for byte: the same name and the same ISA13
    assert _isa13(retry.sent[0].data) == _isa13(sent_once.data) != _isa13(first.sent[0].data)
    assert all(sent for _name, sent in _outbox(db))
    assert _submit(db, ids, wiring, MemoryTransport(), "two")["sent"] == []
    with db.engine.connect() as conn:
        actions = conn.execute(text("SELECT action FROM audit_event WHERE entity = 'edi_file'"))
        assert sorted(actions.scalars()).count("edi.sent") == 2


def test_a_worker_dead_before_sending_loses_nothing(db: Database, wiring: Wiring) -> None:
    ids = billable_clinic(db, "OUTBOX", 1)
    approved_claims(db, ids, wiring, VISIT_DAYS[:2])
    with pytest.raises(_Killed):
        _submit(db, ids, wiring, _DiesBeforeSending(), "one")
    with db.engine.connect() as conn:
        statuses = conn.execute(text("SELECT status FROM claim")).scalars().all()
    assert statuses == ["submitted", "submitted"]  # recorded first: the claims wait in the outbox
    retry = MemoryTransport()
    again = _submit(db, ids, wiring, retry, "one")
    assert [f.name for f in retry.sent] == again["sent"] == [name for name, _ in _outbox(db)]


def test_a_folder_drop_takes_the_resend_of_a_file_it_holds(
    db: Database, wiring: Wiring, tmp_path: Path
) -> None:
    ids = billable_clinic(db, "OUTBOX", 1)
    approved_claims(db, ids, wiring, VISIT_DAYS[:1])
    folder = FolderTransport(tmp_path / "drop")
    delivered = MemoryTransport()

    class _FolderThenDie:
        def send(self, files: Sequence[EdiFile]) -> None:
            folder.send(files)
            delivered.send(files)
            raise _Killed

    with pytest.raises(_Killed):
        _submit(db, ids, wiring, _FolderThenDie(), "one")
    again = _submit(db, ids, wiring, folder, "one")
    assert again["sent"] == [delivered.sent[0].name]
    [held] = folder.outbox.iterdir()
    assert held.read_bytes() == delivered.sent[0].data
