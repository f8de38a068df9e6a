"""Receiving from the clearinghouse: 999s, then 277CAs, then 835s; idempotent; bad files reported."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from otbill.clearinghouse import MemoryTransport, TransportError
from otbill.clearinghouse.simulator.transport import SimulatedClearinghouse
from otbill.rules.registry import load_rules
from otbill.services.claims import lifecycle as claims
from otbill.services.claims.scrub import build_scrub_context
from otbill.services.claims.submit import submit_batch
from otbill.services.exchange.receive import receive
from otbill.settings import load_settings
from otbill.storage import Database
from otbill.storage.tables import ClaimRow, CoverageRow, EdiFileRow, UserRow
from otbill.x12.write_837p import Submission
from support.democlinic import load_demo_copy as load_demo

TODAY = dt.date(2025, 4, 1)
RULES = load_rules()


def _submitted(db: Database, transport, n: int = 40) -> tuple[int, int, list[str]]:
    run = build_scrub_context(load_settings(), TODAY)
    cid = load_demo(db, run, RULES).clinic_id
    with db.unit_of_work(cid) as uow:
        users = {u.username: u.id for u in uow.records.find(UserRow)}
    with db.unit_of_work(cid, users["approver"]) as uow:
        ready = uow.claims.by_status("ready", limit=n)
        for claim in ready:
            claims.approve(uow, claim.id, TODAY)
        uow.records.get(CoverageRow, ready[0].coverage_id).member_id = "M-0001"  # a 277CA reject
    with db.unit_of_work(cid, users["biller"]) as uow:
        sub = Submission(created=dt.datetime(2025, 4, 2, 9, 0))
        report = submit_batch(uow, transport, run, RULES, sub)
    return cid, users["biller"], report.submitted


def _statuses(db: Database, cid: int) -> dict[str, str]:
    with db.unit_of_work(cid) as uow:
        return {c.number: c.status for c in uow.records.find(ClaimRow)}


def test_receive_applies_acks_then_remittances_once(db: Database, tmp_path: Path) -> None:
    transport = SimulatedClearinghouse(tmp_path / "ch")
    cid, biller, sent = _submitted(db, transport)
    # names that sort the wrong way round: the order must come from the content
    for f in transport.fetch():
        (transport.folder / "inbox" / f.name).rename(
            transport.folder / "inbox" / f"{'a' if f.name.endswith('.835') else 'z'}-{f.name}"
        )
    report = receive(db, cid, biller, transport, today=TODAY, archive=False)
    kinds = [f.kind for f in report.files]
    assert kinds == sorted(kinds, key=["999", "277CA", "835"].index)
    assert set(kinds) == {"999", "277CA", "835"}
    assert all(f.outcome == "applied" for f in report.files), report.summary()
    now = _statuses(db, cid)
    assert any(now[n] == "paid" for n in sent) and any(now[n] == "rejected" for n in sent)
    assert not any(now[n] == "submitted" for n in sent)
    again = receive(db, cid, biller, transport, today=TODAY)
    assert [f.outcome for f in again.files] == ["already_applied"] * len(report.files)
    assert _statuses(db, cid) == now
    assert sorted(again.archived) == sorted(f.name for f in report.files)
    assert receive(db, cid, biller, transport, today=TODAY).files == []


def test_a_malformed_file_is_reported_and_the_others_still_apply(
    db: Database, tmp_path: Path
) -> None:
    memory = MemoryTransport()
    cid, biller, _ = _submitted(db, memory)
    folder = SimulatedClearinghouse(tmp_path / "ch")
    folder.send(memory.sent)
    inbox = {f.name: f.data for f in folder.fetch()}
    bad_name = next(n for n in sorted(inbox) if n.endswith(".835"))
    inbox["broken.835"] = re.sub(rb"SE\*\d+\*", b"SE*999*", inbox[bad_name])
    inbox["noise.835"] = b"this is not X12"
    del inbox[bad_name]
    transport = MemoryTransport(inbox=dict(inbox))
    report = receive(db, cid, biller, transport, today=TODAY)
    by_name = {f.name: f for f in report.files}
    assert by_name["broken.835"].outcome == "refused"
    assert (
        "SE" in by_name["broken.835"].summary and "nothing posted" in by_name["broken.835"].summary
    )
    assert by_name["noise.835"].outcome == "unknown"
    applied = [f for f in report.files if f.outcome == "applied"]
    assert len(applied) == len(inbox) - 2
    assert set(transport.inbox) == {"broken.835", "noise.835"}  # left for a person
    with db.unit_of_work(cid) as uow:
        assert uow.records.count(EdiFileRow, EdiFileRow.direction == "in") == len(applied)
    assert "2 refused" in report.summary()


class _Down:
    def fetch(self):
        raise TransportError("sftp://ch.example: connection refused")

    def send(self, files):  # pragma: no cover
        raise AssertionError

    def archive(self, name):  # pragma: no cover
        raise AssertionError


def test_a_transport_failure_is_reported(tmp_path: Path) -> None:
    report = receive(None, 1, 1, _Down(), today=TODAY)  # type: ignore[arg-type]
    assert report.transport_error and "connection refused" in report.summary()
    assert report.files == []
