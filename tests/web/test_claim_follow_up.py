"""The claim follow-up page: claims sent with no answer past their payer's days; "Ask the payer
(276)" for one claim (status flashed in plain words, written on the claim's history) and "Ask
about all" in a worker thread with its progress page."""

from __future__ import annotations

import datetime as dt
import re
import threading

from fastapi.testclient import TestClient
from sqlalchemy import select

from otbill import clock
from otbill.clearinghouse.simulator.claim_status import SimulatedClaimStatusPayer, answer_276
from otbill.clearinghouse.transport import TransportError
from otbill.services.claims.lifecycle import approve, submit
from otbill.storage.tables import ClaimRow, UserRow
from otbill.web.claim_status_jobs import status_jobs
from support.webkit import log_in, token

SENT = dt.date(2025, 2, 1)  # 59 days before the demo's day, 2025-04-01
PAGE = "/claims/follow-up"


def _user(app, username: str) -> int:
    with app.state.db.session() as session:
        return session.scalars(select(UserRow.id).where(UserRow.username == username)).one()


def _send(app, last_digits: str, day: dt.date = SENT) -> list[tuple[int, str]]:
    """Ready demo claims whose numbers end in each of ``last_digits`` (the simulator's scenario:
    2 pending, 4 paid, 6 denied, 8 not found, 0 received), approved and sent on ``day``."""
    with app.state.db.session() as session:
        ready = session.scalars(select(ClaimRow).where(ClaimRow.status == "ready")
                                .order_by(ClaimRow.id)).all()  # fmt: skip
        picked = []
        for digit in last_digits:
            claim = next(c for c in ready if c.number.endswith(digit)
                         and (c.id, c.number) not in picked)  # fmt: skip
            picked.append((claim.id, claim.number))
    with clock.as_of(day):
        with app.state.db.unit_of_work(1, _user(app, "approver")) as uow:
            for claim_id, _ in picked:
                approve(uow, claim_id, day)
        with app.state.db.unit_of_work(1, _user(app, "biller")) as uow:
            submit(uow, [claim_id for claim_id, _ in picked])
    return picked


def _ask(client: TestClient, claim_id: int):  # type: ignore[no-untyped-def]
    return client.post(f"{PAGE}/{claim_id}/ask", data={"csrf_token": token(client, PAGE)},
                       follow_redirects=False)  # fmt: skip


def test_the_page_lists_the_claims_waiting_past_their_payers_days(app, client):
    (old, old_number), (_, other) = _send(app, "20")
    [(recent, _)] = _send(app, "4", day=dt.date(2025, 3, 20))  # 12 days: not due yet
    log_in(client, "biller")
    page = client.get(PAGE)
    assert page.status_code == 200
    text = page.text
    assert "Claims to follow up" in text and "Ask about all 2 claims" in text
    assert f'data-testid="follow-up-{recent}"' not in text
    row = text.split(f'data-testid="follow-up-{old}"')[1].split("</tr>")[0]
    assert old_number in row and other not in row
    assert "2025-02-01" in row and ">59<" in row
    assert "not asked yet: no acknowledgement (277CA) or payment (835) since it was sent" in row
    assert f'action="{PAGE}/{old}/ask"' in row and "Ask the payer (276)" in row
    with app.state.db.session() as session:
        claim = session.get_one(ClaimRow, old)
    assert f"{claim.total_charge_cents / 100:,.2f}" in row
    assert f'<a href="{PAGE}">Follow up claims</a>' in client.get("/queues").text  # the nav


def test_asking_one_claim_flashes_its_status_and_keeps_it_on_the_claim(app, client):
    [(claim, number)] = _send(app, "2")
    payer = SimulatedClaimStatusPayer()
    app.state.claim_status_transport = payer
    log_in(client, "biller")
    asked = _ask(client, claim)
    assert (asked.status_code, asked.headers["location"]) == (303, PAGE)
    assert len(payer.requests) == 1 and f"TRN*1*{number}~".encode() in payer.requests[0]
    page = client.get(PAGE).text
    flash = re.search(r'data-testid="flash">([^<]*)<', page)
    assert flash is not None and flash.group(1).startswith(f"Claim {number}: pending")
    words = flash.group(1).removeprefix(f"Claim {number}: ")
    status = page.split(f'data-testid="last-status-{claim}"')[1].split("</td>")[0]
    assert words.replace("'", "&#39;") in status and "(asked 2025-04-01)" in status
    history = client.get(f"/claims/{claim}").text.split('id="history-title"')[1]
    assert "asked the payer (276)" in history and words.replace("'", "&#39;") in history
    assert "work_item_id" not in history  # plain words, not the audit's field names


def test_a_claim_the_payer_has_not_found_is_queued_for_a_person(app, client):
    [(claim, number)] = _send(app, "8")
    log_in(client, "biller")  # no transport configured: the simulator in-process
    _ask(client, claim)
    flash = client.get(PAGE).text.split('data-testid="flash">')[1].split("<")[0]
    assert flash.startswith(f"Claim {number}: not found")
    assert flash.endswith("queued for a person to resubmit or call the payer")
    assert "(queued for a person)" in client.get(f"/claims/{claim}").text


class _Down:
    def exchange(self, request: bytes) -> bytes:
        raise TransportError("the clearinghouse did not answer in 30 s")


class _Garbled:
    def exchange(self, request: bytes) -> bytes:
        return b"ISA*garbage"


def test_no_answer_is_said_and_an_unreadable_answer_refused_in_words(app, client):
    [(claim, number)] = _send(app, "4")
    log_in(client, "biller")
    app.state.claim_status_transport = _Down()
    assert _ask(client, claim).status_code == 303
    flash = client.get(PAGE).text.split('data-testid="flash">')[1].split("<")[0]
    assert flash.startswith(f"Claim {number}: no answer to the 276: the clearinghouse did not")
    app.state.claim_status_transport = _Garbled()
    refused = _ask(client, claim)
    assert refused.status_code == 422
    assert f"Claim {number}: the payer was not asked: the payer&#39;s 277" in refused.text
    assert _ask(client, 999_999).status_code == 404


class _Gate:
    """The simulated payer, answering only once the test opens the gate."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.asked = 0

    def exchange(self, request: bytes) -> bytes:
        assert self.open.wait(30), "the test never opened the gate"
        self.asked += 1
        return answer_276(request)


def test_ask_about_all_runs_in_the_background_with_its_progress(app, client):
    claims = _send(app, "2468")
    gate = _Gate()
    app.state.claim_status_transport = gate
    log_in(client, "biller")
    started = client.post(f"{PAGE}/ask-all", data={"csrf_token": token(client, PAGE)},
                          follow_redirects=False)  # fmt: skip
    assert started.status_code == 303 and gate.asked == 0  # answered before any 276 was sent
    job_page = started.headers["location"]
    assert job_page.startswith(f"{PAGE}/jobs/")
    running = client.get(job_page).text
    assert "Asking the payers about 4 claims" in running
    assert "0 of 4 claims asked" in running or "this one is next" in running
    assert 'hx-get="' in client.get(f"{job_page}?part=progress").text  # the part htmx polls
    gate.open.set()
    status_jobs(app.state).wait(60)
    done = client.get(job_page).text
    assert gate.asked == 4
    line = done.split("Done: ")[1].split("</p>")[0]
    assert line.startswith("4 of 4 claims asked (")
    for outcome in ("1 pending", "1 paid", "1 denied", "1 not found"):
        assert outcome in line
    for claim_id, number in claims:
        assert f'data-testid="job-result-{claim_id}"' in done and number in done
    assert done.count("queued for a person to resubmit or call the payer") == 1
    assert 'hx-get="' not in done  # finished: no more polling
    page = client.get(PAGE).text  # every answer is now the claim's last status
    assert page.count("(asked 2025-04-01)") == 4


def test_ask_about_all_with_nothing_waiting_says_so(app, client):
    log_in(client, "biller")
    assert "No claim is waiting past its payer" in client.get(PAGE).text
    empty = client.post(f"{PAGE}/ask-all", data={"csrf_token": token(client, PAGE)})
    assert "No claim is waiting for an answer." in empty.text
    assert client.get(f"{PAGE}/jobs/nope").status_code == 404


def test_only_billers_and_administrators_follow_up(app, client):
    [(claim, _)] = _send(app, "0")
    assert client.get(PAGE, follow_redirects=False).status_code == 303  # to the login page
    log_in(client, "admin")
    assert client.get(PAGE).status_code == 200
    for username in ("approver", "rcole"):
        client.cookies.clear()
        log_in(client, username)
        assert client.get(PAGE).status_code == 403
        assert f'href="{PAGE}"' not in client.get("/").text  # no link to a page they cannot open
        assert _ask(client, claim).status_code == 403
        assert client.post(f"{PAGE}/ask-all", data={"csrf_token": token(client)}).status_code == 403
