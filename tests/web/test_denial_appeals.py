"""A denial's page: cause and fix, deadline, the packet built, edited, finalised and sent; the
prevention checks accepted or dismissed; only billers act."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from otbill.services.remittances.post import post_remittance
from otbill.storage.tables import ClaimRow, DenialRow, PreventionCheckRow
from support.demoflow import clinic_and_users, simulated_835
from support.webkit import DEMO_TODAY, log_in, token


def _co50(app, tmp_path) -> DenialRow:  # type: ignore[no-untyped-def]
    name, data = simulated_835(app, tmp_path)
    clinic_id, users = clinic_and_users(app)
    post_remittance(app.state.db, clinic_id, users["biller"], data, name=name, today=DEMO_TODAY)
    with app.state.db.session() as session:
        found = session.scalars(select(DenialRow).where(DenialRow.carc == "50")).first()
    assert found is not None
    return found


def _post(client, path: str, page: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": token(client, page), **data},
                       follow_redirects=True)  # fmt: skip


def test_cause_deadline_packet_and_sent(app, client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    denial = _co50(app, tmp_path)
    url = f"/denials/{denial.id}"
    log_in(client, "biller")
    assert f'href="{url}"' in client.get("/denials").text
    page = client.get(url).text
    assert "Documentation / medical necessity" in page and "plan of care" in page
    assert 'data-testid="code-note"' not in page  # CO-50 and N115 are in force
    deadline = denial.denied_on + dt.timedelta(days=120)
    assert f"Appeal by <strong>{deadline}</strong>" in page and "Redetermination" in page
    page = _post(client, f"{url}/packet", url).text
    assert 'data-testid="packet-status">draft' in page and "(reason CO-50)" in page
    body = re.search(r'data-testid="letter-body">(.*?)</textarea>', page, re.S)[1]
    page = _post(client, f"{url}/letter", url, body="We ask again; the notes are attached.").text
    assert "We ask again; the notes are attached." in page and "Letter saved" in page
    draft = client.get(f"{url}/packet.pdf")
    assert draft.status_code == 200 and draft.headers["content-type"] == "application/pdf"
    page = _post(client, f"{url}/finalise", url).text
    assert 'data-testid="packet-status">final' in page and 'data-testid="letter-body"' not in page
    assert client.get(f"{url}/packet.pdf").content.startswith(b"%PDF")
    page = _post(client, f"{url}/sent", url).text
    assert 'data-testid="packet-status">sent' in page and "Appeal filed on" in page
    assert "waiting for the payer" in page and body  # no payment after the denial yet
    with app.state.db.session() as session:
        assert session.get_one(ClaimRow, denial.claim_id).status == "appealed"
    page = _post(client, f"{url}/outcome", url, outcome="lost").text
    assert "Outcome recorded: lost." in page and 'data-testid="outcome">lost' in page
    assert client.post(f"{url}/outcome", data={"csrf_token": token(client, url),
                                                "outcome": "maybe"}).status_code == 409  # fmt: skip


def test_a_therapist_neither_reads_nor_acts(app, client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    denial = _co50(app, tmp_path)
    log_in(client, "rcole")  # a therapist
    assert client.get(f"/denials/{denial.id}").status_code == 403
    refused = client.post(f"/denials/{denial.id}/packet",
                          data={"csrf_token": token(client, "/denials")})  # fmt: skip
    assert refused.status_code == 403
    log_in(client, "biller")
    assert client.get("/denials/999999").status_code == 404


def test_prevention_checks_accept_and_dismiss(app, client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    denial = _co50(app, tmp_path)
    with app.state.db.session() as session:
        payer_id = session.get_one(ClaimRow, denial.claim_id).payer_id
        for code in ("97530", "97110"):
            session.add(PreventionCheckRow(
                clinic_id=denial.clinic_id, payer_id=payer_id, code=code, carc="50",
                with_code=None, cause="documentation", denials=3, first_on=DEMO_TODAY,
                last_on=DEMO_TODAY, status="proposed", proposed_at=dt.datetime(2025, 4, 1),
            ))  # fmt: skip
        session.commit()
        ids = {c.code: c.id for c in session.scalars(select(PreventionCheckRow))}
    log_in(client, "biller")
    page = client.get("/denials/prevention").text
    assert f'data-testid="accept-{ids["97530"]}"' in page
    page = _post(client, f"/denials/prevention/{ids['97530']}", "/denials/prevention",
                 decision="accept").text  # fmt: skip
    assert "held by CLN001 from now on" in page
    page = _post(client, f"/denials/prevention/{ids['97110']}", "/denials/prevention",
                 decision="dismiss").text  # fmt: skip
    assert "will not be proposed again" in page
    page = _post(client, f"/denials/prevention/{ids['97110']}", "/denials/prevention",
                 decision="accept").text  # fmt: skip
    assert "already dismissed" in page
