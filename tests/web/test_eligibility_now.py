"""The patient page's "Check eligibility now": a 270 for today over the app's transport (the
payer simulator unless one is configured), its benefits then shown in plain words per coverage."""

from __future__ import annotations

import re

from otbill.clearinghouse.transport import TransportError
from support.webkit import log_in, patient_of, token


class _Down:
    """A payer line that never answers."""

    def exchange(self, request: bytes) -> bytes:
        raise TransportError("no answer within 30 s")


def _coverage(page: str) -> int:
    match = re.search(r'action="/coverages/(\d+)/eligibility/run"', page)
    assert match, "no 'Check eligibility now' button on an active coverage"
    return int(match.group(1))


def test_check_now_shows_the_payers_benefits_on_the_patient_page(app, client):
    patient = patient_of(app, profile="commercial-in-network")
    log_in(client, "biller")
    page = client.get(f"/patients/{patient}").text
    assert "Check eligibility now" in page and "Payer's answer of" not in page
    cover = _coverage(page)
    done = client.post(f"/coverages/{cover}/eligibility/run",
                       data={"csrf_token": token(client, f"/patients/{patient}")},
                       follow_redirects=False)  # fmt: skip
    assert (done.status_code, done.headers["location"]) == (
        303, f"/patients/{patient}?done=asked")  # fmt: skip
    shown = client.get(done.headers["location"]).text
    assert "The payer answered; its benefits are shown below." in shown
    with app.state.db.unit_of_work(1) as uow:
        check = uow.eligibility.latest(cover)
    assert check is not None
    block = shown.split(f'data-testid="benefits-{cover}"')[1].split("</div>")[0]
    assert f"Payer's answer of {check.checked_on} for {check.date_of_service}" in block
    assert f"Coverage on {check.date_of_service}" in block
    for line in check.benefits["lines"]:
        assert str(line).replace("'", "&#39;") in block


def test_check_now_says_in_words_when_the_payer_cannot_be_asked(app, client):
    patient = patient_of(app, profile="commercial-in-network")
    log_in(client, "biller")
    cover = _coverage(client.get(f"/patients/{patient}").text)
    app.state.eligibility_transport = _Down()
    failed = client.post(f"/coverages/{cover}/eligibility/run",
                         data={"csrf_token": token(client, f"/patients/{patient}")})  # fmt: skip
    assert failed.status_code == 422
    assert "the payer could not be asked: no answer within 30 s" in failed.text
    with app.state.db.unit_of_work(1) as uow:
        assert uow.eligibility.latest(cover) is None  # nothing half-written
    assert client.post("/coverages/999999/eligibility/run",
                       data={"csrf_token": token(client)}).status_code == 404  # fmt: skip
    client.cookies.clear()
    log_in(client, "rcole")  # a therapist does not ask payers
    assert client.post(f"/coverages/{cover}/eligibility/run",
                       data={"csrf_token": token(client)}).status_code == 403  # fmt: skip
