"""The authorization page's "Request from the payer (278)": the payer simulator (unless the app
has its own transport) decides, the page says the decision in words and shows the reply with the
payer's 278; a payer that cannot be asked keeps nothing; therapists and auditors cannot ask."""

from __future__ import annotations

import datetime as dt
import re

from otbill.clearinghouse.transport import TransportError
from otbill.services.frontdesk import patients
from otbill.services.frontdesk.authorizations import open_authorization
from support.webkit import log_in, patient_of, token


class _Down:
    def exchange(self, request: bytes) -> bytes:
        raise TransportError("no answer within 30 s")


def _requested(app, member_id: str) -> int:
    """A requested authorization of a demo patient, on a new coverage with ``member_id`` (its
    last digit picks the simulator's answer)."""
    patient = patient_of(app, profile="commercial-in-network")
    with app.state.db.unit_of_work(1) as uow:
        payer = uow.patients.coverages([patient])[0].payer_id
        coverage = patients.add_coverage(
            uow, patient_id=patient, payer_id=payer, member_id=member_id, priority=3,
            effective_from=dt.date(2024, 1, 1),
        )  # fmt: skip
        return open_authorization(
            uow, coverage_id=coverage, number=f"REQ-{member_id}", start=dt.date(2025, 5, 1),
            end=dt.date(2025, 6, 30), visits_authorized=10, codes=["97530"],
        )  # fmt: skip


def _ask(client, auth: int, **kw):  # type: ignore[no-untyped-def]
    data = {"csrf_token": token(client, f"/authorizations/{auth}")}
    return client.post(f"/authorizations/{auth}/request-278", data=data, **kw)


def test_an_approval_is_said_in_words_and_the_reply_keeps_the_278(app, client):
    auth = _requested(app, "WEB800")
    log_in(client, "biller")
    page = client.get(f"/authorizations/{auth}").text
    assert "Request from the payer (278)" in page
    done = _ask(client, auth, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, f"/authorizations/{auth}")
    shown = client.get(done.headers["location"]).text
    flash = re.search(r'id="payer-answer">([^<]+)<', shown)
    assert flash, "no flash of the payer's decision"
    assert "The payer&#39;s answer (278): approved, authorization number AUTH" in flash.group(1)
    assert 'id="auth-status">approved<' in shown and "0 used of 10, 10 left" in shown
    assert "Authorization: approved in full (certified in total)<br>" in shown
    assert "<summary>The payer's 278 as received</summary><pre>ISA*" in shown
    assert "Request from the payer (278)" not in shown  # approved: nothing more to ask
    assert 'id="payer-answer"' not in client.get(f"/authorizations/{auth}").text  # once


def test_pended_shows_the_follow_up_and_the_queue_lists_it(app, client):
    auth = _requested(app, "WEB805")
    log_in(client, "biller")
    shown = _ask(client, auth).text  # followed to the page
    assert "pended: the payer has not decided yet; the authorization is now pending" in shown
    assert re.search(r"follow up by \d{4}-\d\d-\d\d", shown)
    assert 'id="auth-status">pending<' in shown
    assert "Request from the payer (278)" in shown  # a pending one can be asked again
    queue = client.get("/authorizations").text.split('id="running-out"')[0]
    assert "REQ-WEB805" in queue


def test_a_denial_and_a_payer_that_cannot_be_asked(app, client):
    denied = _requested(app, "WEB807")
    log_in(client, "biller")
    shown = _ask(client, denied).text
    assert "denied; the authorization is now denied" in shown
    assert "the provider is out of the plan&#39;s network" in shown
    other = _requested(app, "WEB800")
    app.state.prior_auth_transport = _Down()
    failed = _ask(client, other)
    assert failed.status_code == 422
    assert "Nothing was kept on the authorization: the payer could not be asked: no answer" in (
        failed.text
    )
    with app.state.db.unit_of_work(1) as uow:
        assert uow.authorizations.get(other).status == "requested"
        assert [e.kind for e in uow.authorizations.entries([other])] == ["request"]
    assert _ask(client, 999999).status_code == 404


def test_therapists_and_auditors_cannot_ask(app, client):
    auth = _requested(app, "WEB800")
    log_in(client, "rcole")
    assert _ask(client, auth).status_code == 403
