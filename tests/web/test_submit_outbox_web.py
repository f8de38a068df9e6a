"""The Submit button through the submission outbox (issue 15, H7): a transport that fails after
taking the file leaves the claim submitted and the file in the outbox, said in words; the next
submission sends that file again, byte for byte, and empties the outbox. The button queues a job
(its page tells what was sent), and sends waiting files when no claim is approved."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi.testclient import TestClient
from sqlalchemy import select, text

from otbill.clearinghouse import MemoryTransport
from otbill.clearinghouse.transport import EdiFile, TransportError
from otbill.storage.tables import ClaimRow
from otbill.web.submit_jobs import submit_jobs
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


def _submit(app, client):
    """Press Submit, wait for its job, and return the job's page."""
    started = client.post("/queues/submit", data={"csrf_token": token(client)},
                          follow_redirects=False)  # fmt: skip
    assert started.status_code == 303
    submit_jobs(app.state).wait(60)
    return client.get(started.headers["location"])


def test_a_transport_failing_after_sending_loses_nothing_and_the_next_submit_resends(
    app, client
) -> None:
    claim = _approved_one(app)
    failing = app.state.transport = _SendsThenFails()
    log_in(client, "biller")
    page = _submit(app, client)
    assert page.status_code == 200
    assert "1 claim(s) submitted in 1 file(s), but 1 file(s) not sent" in page.text
    assert "hung up after the upload" in page.text and "wait in the outbox" in page.text
    with app.state.db.session() as session:
        assert session.get(ClaimRow, claim).status == "submitted"
    waiting = _outbox(app)
    assert len(waiting) == 1 and [f.name for f in failing.into.sent] == waiting

    working = app.state.transport = MemoryTransport()
    again = _submit(app, client)
    assert "0 claim(s) sent in 0 file(s). 1 file(s) an earlier submission left" in again.text
    assert working.sent == failing.into.sent  # the same name and bytes
    assert _outbox(app) == []
    nothing = client.post("/queues/submit", data={"csrf_token": token(client)})
    assert "Nothing to send" in nothing.text
    assert len(working.sent) == 1  # sent, so never again


def test_files_left_in_the_outbox_are_sent_from_the_page_with_nothing_approved(app, client) -> None:
    """Nothing approved, but a file waits: the page says so and its button sends it."""
    _approved_one(app)
    failing = app.state.transport = _SendsThenFails()
    log_in(client, "biller")
    _submit(app, client)
    page = client.get("/queues/approved").text
    assert "1 file from an earlier submission waits to be sent." in page
    assert 'data-testid="submit-batch" >Send waiting files</button>' in page

    working = app.state.transport = MemoryTransport()
    done = _submit(app, client)
    assert "1 file(s) an earlier submission left in the outbox sent" in done.text
    assert working.sent == failing.into.sent and _outbox(app) == []
    after = client.get("/queues/approved").text
    assert 'data-testid="outbox-waiting"' not in after
    assert 'data-testid="submit-batch" disabled>Submit batch</button>' in after
