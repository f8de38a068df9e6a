"""The Submit button through the submission outbox (issue 15, H7): a transport that fails after
taking the file leaves the claim submitted and the file in the outbox, said in words; the next
submission sends that file again, byte for byte, and empties the outbox."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi.testclient import TestClient
from sqlalchemy import select, text

from otbill.clearinghouse import MemoryTransport
from otbill.clearinghouse.transport import EdiFile, TransportError
from otbill.storage.tables import ClaimRow
from support.webkit import log_in, token


class _SendsThenFails:
    """Takes the files, then the connection drops before the answer."""

    def __init__(self) -> None:
        self.into = MemoryTransport()

    def send(self, files: Sequence[EdiFile]) -> None:
        self.into.send(files)
        raise TransportError("the clearinghouse hung up after the upload")


def _approved_one(app) -> int:
    with app.state.db.session() as session:
        ready = next(c for c in session.scalars(select(ClaimRow)) if c.status == "ready")
    with TestClient(app) as approver:
        log_in(approver, "approver")
        done = approver.post(f"/claims/{ready.id}/approve",
                             data={"csrf_token": token(approver, "/queues")},
                             follow_redirects=False)  # fmt: skip
        assert done.status_code == 303
    return ready.id


def _outbox(app) -> list[str]:
    query = "SELECT name FROM edi_file WHERE outgoing IS NOT NULL ORDER BY id"
    with app.state.db.engine.connect() as conn:
        return [str(name) for name in conn.scalars(text(query))]


def test_a_transport_failing_after_sending_loses_nothing_and_the_next_submit_resends(
    app, client
) -> None:
    claim = _approved_one(app)
    failing = app.state.transport = _SendsThenFails()
    log_in(client, "biller")
    page = client.post("/queues/submit", data={"csrf_token": token(client)})
    assert page.status_code == 200
    assert "1 claim(s) submitted in 1 file(s), but 1 file(s) not sent" in page.text
    assert "hung up after the upload" in page.text and "wait in the outbox" in page.text
    with app.state.db.session() as session:
        assert session.get(ClaimRow, claim).status == "submitted"
    waiting = _outbox(app)
    assert len(waiting) == 1 and [f.name for f in failing.into.sent] == waiting

    working = app.state.transport = MemoryTransport()
    again = client.post("/queues/submit", data={"csrf_token": token(client)})
    assert "0 claim(s) sent in 0 file(s). 1 file(s) an earlier submission left" in again.text
    assert working.sent == failing.into.sent  # the same name and bytes
    assert _outbox(app) == []
    client.post("/queues/submit", data={"csrf_token": token(client)})
    assert len(working.sent) == 1  # sent, so never again
