"""Two units of work whose first write is an audit event, at once: on SQLite (which ignores
FOR UPDATE) both read the chain's head before either writes, unless the head is read under the
write lock; the loser then breaks the (clinic, seq) unique index instead of waiting its turn."""

from __future__ import annotations

import contextlib
import threading

import pytest

from otbill.storage import Database
from otbill.storage.audit import AuditLog
from support.clinickit import seed_clinic


def test_two_first_writes_to_the_audit_chain_both_land_in_order(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = seed_clinic(db)
    both_read = threading.Barrier(2, timeout=2)
    locked_head = AuditLog._locked_head

    def head_after_both_read(self):  # type: ignore[no-untyped-def]
        head = locked_head(self)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()  # with the lock, the other writer waits for this one to commit
        return head

    monkeypatch.setattr(AuditLog, "_locked_head", head_after_both_read)
    failed: list[Exception] = []

    def write(n: int) -> None:
        try:
            with db.unit_of_work(ids.clinic, ids.biller) as uow:
                uow.audit.record(ids.biller, "test.race", "test", n, None, {"n": n})
        except Exception as exc:  # the test reports what the loser saw
            failed.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failed, failed
    with db.unit_of_work(ids.clinic) as uow:
        assert {e.entity_id for e in uow.audit_reads.events(entity="test")} == {"1", "2"}
