"""The claim page's Correct / Void this claim, and POST /api/claims/{id}/correction."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient
from sqlalchemy import select

from otbill.storage.tables import ClaimRow, UserRow
from otbill.web.bearer import BearerTokenMiddleware
from support.demoflow import send_claims
from support.webkit import log_in, token


def _sent(app, payer_number: str | None = "ICN-555") -> ClaimRow:
    """A demo claim sent and accepted, with the payer's claim number when given."""
    (claim,) = send_claims(app, 1)
    if payer_number:
        with app.state.db.unit_of_work(1) as uow:
            uow.claims.change(claim.id, payer_claim_number=payer_number)
    return claim


def _claim(app, claim_id: int) -> ClaimRow:
    with app.state.db.session() as session:
        return session.get_one(ClaimRow, claim_id)


def _post(client: TestClient, claim_id: int, **data: str):
    form = {"csrf_token": token(client, f"/claims/{claim_id}"), **data}
    return client.post(f"/claims/{claim_id}/correction", data=form, follow_redirects=False)


def test_correct_this_claim_makes_a_frequency_7_claim_and_opens_it(app, client):
    claim = _sent(app)
    log_in(client, "biller")
    page = client.get(f"/claims/{claim.id}").text
    assert 'data-testid="correct-button"' in page and "ICN-555 (REF*F8)" in page
    answer = _post(client, claim.id, frequency="7", reason="units were wrong")
    assert answer.status_code == 303
    new_id = int(answer.headers["location"].rsplit("/", 1)[1])
    made = _claim(app, new_id)
    assert (made.frequency_code, made.original_claim_id, made.number) == (
        "7", claim.id, f"{claim.number}-71",
    )  # fmt: skip
    page = client.get(answer.headers["location"]).text
    assert (
        f"Claim {made.number} made: a corrected claim (frequency 7) of claim {claim.number}" in page
    )
    assert "citing the payer&#39;s claim number ICN-555" in page
    assert "corrected (replacement)" in page
    original = client.get(f"/claims/{claim.id}").text
    assert "corrected or voided" in original and "units were wrong" in original


def test_void_asks_first_then_makes_a_frequency_8_claim(app, client):
    claim = _sent(app)
    log_in(client, "biller")
    asked = _post(client, claim.id, frequency="8", reason="patient was not seen")
    assert asked.status_code == 200 and 'data-testid="void-confirm"' in asked.text
    assert f"Void claim {claim.number}?" in asked.text and "patient was not seen" in asked.text
    with app.state.db.unit_of_work(1) as uow:
        assert uow.claims.corrections_count(claim.id) == 0  # nothing made before the yes
    done = _post(client, claim.id, frequency="8", reason="patient was not seen", confirm="yes")
    assert done.status_code == 303
    made = _claim(app, int(done.headers["location"].rsplit("/", 1)[1]))
    assert (made.frequency_code, made.original_claim_id) == ("8", claim.id)


def test_without_the_payer_number_the_page_and_the_post_say_why(app, client):
    claim = _sent(app, payer_number=None)
    log_in(client, "biller")
    page = unescape(client.get(f"/claims/{claim.id}").text)
    assert 'data-testid="correction-needs-number"' in page and "correct-button" not in page
    words = "the payer's claim number is needed for REF*F8: it arrives with the 277CA or the 835"
    assert words in page
    answer = _post(client, claim.id, frequency="7", reason="units were wrong")
    assert answer.status_code == 409 and words in unescape(answer.text)
    asked = _post(client, claim.id, frequency="8", reason="not seen")  # refused before confirming
    assert asked.status_code == 409 and words in unescape(asked.text)


def test_no_reason_is_refused_and_a_ready_claim_offers_no_correction(app, client):
    claim = _sent(app)
    log_in(client, "biller")
    answer = _post(client, claim.id, frequency="7", reason="  ")
    assert answer.status_code == 422 and "reason: say why the claim is corrected" in answer.text
    with app.state.db.session() as session:
        ready = session.scalars(select(ClaimRow).where(ClaimRow.status == "ready")).first()
    assert 'data-testid="corrections"' not in client.get(f"/claims/{ready.id}").text
    refused = _post(client, ready.id, frequency="7", reason="x")
    assert refused.status_code == 409 and "has not reached the payer yet (ready)" in refused.text


def test_an_approver_cannot_correct(app, client):
    claim = _sent(app)
    log_in(client, "approver")
    assert 'data-testid="corrections"' not in client.get(f"/claims/{claim.id}").text
    assert _post(client, claim.id, frequency="7", reason="x").status_code == 403


def _bearer(app, client: TestClient, username: str) -> dict[str, str]:
    with app.state.db.session() as session:
        uid = session.scalar(select(UserRow.id).where(UserRow.username == username))
    log_in(client, "admin")
    form = {"csrf_token": token(client, "/admin"), "user_id": uid, "name": "t"}
    page = client.post("/admin/tokens", data=form)
    secret = re.search(r'<code class="token">(otb_[^<]+)</code>', page.text).group(1)
    client.cookies.clear()
    return {"Authorization": f"Bearer {secret}"}


def test_api_correction_and_void(app):
    if not any(m.cls is BearerTokenMiddleware for m in app.user_middleware):
        app.add_middleware(BearerTokenMiddleware)
    claim, bare = _sent(app), _sent(app, payer_number=None)
    with TestClient(app) as client:
        auth = _bearer(app, client, "biller")
        url = f"/api/claims/{claim.number}/correction"
        made = client.post(url, json={"frequency": 7, "reason": "wrong code"}, headers=auth)
        assert made.status_code == 201, made.text
        body = made.json()
        assert body["number"] == f"{claim.number}-71" and body["frequency"] == "7"
        assert body["payer_claim_number"] == "ICN-555" and body["original_id"] == claim.id
        assert body["status"] in ("ready", "held")
        again = client.post(url, json={"frequency": "8", "reason": "x"}, headers=auth)
        assert again.status_code == 422 and "not sent yet" in again.json()["detail"]
        refused = client.post(f"/api/claims/{bare.id}/correction",
                              json={"frequency": "8", "reason": "x"}, headers=auth)  # fmt: skip
        assert refused.status_code == 422 and "REF*F8" in refused.json()["detail"]
        wrong = client.post(url, json={"frequency": "1", "reason": "x"}, headers=auth)
        assert wrong.status_code == 422
        missing = client.post("/api/claims/NOPE/correction",
                              json={"frequency": "7", "reason": "x"}, headers=auth)  # fmt: skip
        assert missing.status_code == 404
        reader = _bearer(app, client, "approver")
        denied = client.post(url, json={"frequency": "7", "reason": "x"}, headers=reader)
        assert denied.status_code == 403
