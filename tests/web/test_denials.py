"""Denials: grouped by CARC in plain words, days left to appeal, payer filter, filing appeals."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from otbill.services.remittances.post import post_remittance
from otbill.storage.tables import AppealRow, ClaimRow, DenialRow, PayerRow
from support.demoflow import clinic_and_users as _ids
from support.demoflow import simulated_835
from support.webkit import DEMO_TODAY, log_in, token


def _post_835(app, tmp_path) -> list[DenialRow]:
    name, data = simulated_835(app, tmp_path)
    cid, users = _ids(app)
    post_remittance(app.state.db, cid, users["biller"], data, name=name, today=DEMO_TODAY)
    with app.state.db.session() as session:
        return list(session.scalars(select(DenialRow).order_by(DenialRow.id)))


def _claim(app, claim_id: int) -> ClaimRow:
    with app.state.db.session() as session:
        return session.get_one(ClaimRow, claim_id)


def test_denials_grouped_by_cause_with_days_left(app, client, tmp_path):
    denials = _post_835(app, tmp_path)
    assert denials
    log_in(client, "biller")
    page = client.get("/denials").text
    by_carc: dict[str, int] = {}
    for d in denials:
        by_carc[d.carc] = by_carc.get(d.carc, 0) + 1
    shown = {c: int(n) for c, n in re.findall(r'data-testid="cause-count-(\w+)">(\d+)', page)}
    assert shown == by_carc
    cents = sum(d.amount_cents for d in denials if d.carc == "50")
    assert f'data-testid="cause-amount-50">${cents / 100:,.2f}' in page
    assert "not medically necessary" in page and "Local Coverage Determination" in page
    first = denials[0]
    number = _claim(app, first.claim_id).number
    assert f'data-testid="denial-{number}"' in page and f'data-testid="appeal-{first.id}"' in page
    days = (first.appeal_deadline - DEMO_TODAY).days
    cell = re.search(rf'data-testid="days-left-{number}">(.*?)</td>', page, re.S)[1]
    assert f"{days} days left" in cell


def test_payer_filter(app, client, tmp_path):
    denials = _post_835(app, tmp_path)
    payer_id = _claim(app, denials[0].claim_id).payer_id
    with app.state.db.session() as session:
        other = session.scalars(select(PayerRow.id).where(PayerRow.id != payer_id)).first()
    log_in(client, "biller")
    mine = client.get(f"/denials?payer={payer_id}").text
    assert len(re.findall(r'<tr data-testid="denial-', mine)) == len(denials)
    theirs = client.get(f"/denials?payer={other}").text
    assert '<tr data-testid="denial-' not in theirs and "No open denial for this payer" in theirs


def test_appeal_moves_the_claim_to_appealed(app, client, tmp_path):
    denial = _post_835(app, tmp_path)[0]
    log_in(client, "biller")
    response = client.post(
        f"/denials/{denial.id}/appeal",
        data={
            "csrf_token": token(client, "/denials"),
            "reason": "LCD criteria met; notes attached",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert _claim(app, denial.claim_id).status == "appealed"
    with app.state.db.session() as session:
        (appeal,) = session.scalars(select(AppealRow))
    assert appeal.denial_id == denial.id and appeal.filed_on == DEMO_TODAY
    page = client.get("/denials").text
    assert "Appeal (level 1) recorded" in page and f'data-testid="appeal-{denial.id}"' not in page
    again = client.post(f"/denials/{denial.id}/appeal", data={"csrf_token": token(client)})
    assert again.status_code == 409


def test_deadline_passed_warns_and_needs_confirmation(app, client, tmp_path):
    denial = _post_835(app, tmp_path)[0]
    with app.state.db.session() as session, session.begin():
        session.get_one(DenialRow, denial.id).appeal_deadline = DEMO_TODAY - dt.timedelta(days=3)
    log_in(client, "biller")
    assert "deadline passed" in client.get("/denials").text
    refused = client.post(f"/denials/{denial.id}/appeal", data={"csrf_token": token(client)})
    assert refused.status_code == 409 and 'data-testid="late-warning"' in refused.text
    assert _claim(app, denial.claim_id).status != "appealed"
    filed = client.post(
        f"/denials/{denial.id}/appeal",
        data={"csrf_token": token(client), "confirm_late": "yes"},
        follow_redirects=False,
    )
    assert filed.status_code == 303 and _claim(app, denial.claim_id).status == "appealed"


def test_roles_and_csrf(app, client, tmp_path):
    denial = _post_835(app, tmp_path)[0]
    log_in(client, "jdiaz")
    assert client.get("/denials").status_code == 403
    log_in(client, "approver")  # approver + auditor: may read, not appeal
    assert client.get("/denials").status_code == 200
    csrf = token(client, "/denials")
    assert client.post(f"/denials/{denial.id}/appeal", data={"csrf_token": csrf}).status_code == 403
    log_in(client, "biller")
    assert client.post(f"/denials/{denial.id}/appeal").status_code == 403  # no CSRF token
    assert (
        client.post("/denials/99999/appeal", data={"csrf_token": token(client)}).status_code == 404
    )
    assert _claim(app, denial.claim_id).status != "appealed"
