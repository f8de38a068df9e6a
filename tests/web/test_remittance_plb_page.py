"""The remittance page adds the deposit up (claim payments + PLB = BPR02) and the biller posts a
provider-level adjustment to the ledger from it."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from otbill.services.remittances.post import post_remittance
from otbill.storage.tables import RemittanceRow
from support.demoflow import clinic_and_users
from support.remitkit import make_835
from support.webkit import DEMO_TODAY, log_in, token

BODY = """CLP*NOPE-1*4*100*0*0*MB*ICN9*11*1
CAS*CO*50*100
PLB*1512345678*20251231*L6:INT77*-3.50"""  # nothing paid on the claim; 3.50 interest


def _remittance(app: Any) -> int:
    cid, users = clinic_and_users(app)
    data = make_835(BODY, "3.50", trace="PLBTRACE")
    post_remittance(app.state.db, cid, users["biller"], data, today=DEMO_TODAY, any_payee=True)
    with app.state.db.session() as session:
        (remittance,) = session.query(RemittanceRow).filter_by(trace_number="PLBTRACE")
        return remittance.id


def _cell(page: str, testid: str) -> str:
    return re.search(rf'data-testid="{testid}">(.*?)</td>', page, re.S)[1].strip()


def test_the_biller_posts_a_plb_and_the_deposit_adds_up(app: Any, client: TestClient) -> None:
    rid = _remittance(app)
    log_in(client, "biller")
    page = client.get(f"/remittances/{rid}").text
    assert (_cell(page, "deposit-claims"), _cell(page, "deposit-plb")) == ("$0.00", "$3.50")
    assert _cell(page, "deposit-total") == "$3.50"
    assert "The ledger holds $0.00 of it so far." in page
    item = re.search(r'data-testid="post-plb-(\d+)"', page)[1]
    posted = client.post(
        f"/remittances/{rid}/adjustments/{item}/post",
        data={"csrf_token": token(client, f"/remittances/{rid}")},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    page = client.get(posted.headers["location"]).text
    assert "Provider-level adjustment of 3.50 posted to the ledger." in page
    assert "The ledger matches the deposit." in page
    assert f'data-testid="plb-posted-{item}"' in page
    again = client.post(
        f"/remittances/{rid}/adjustments/{item}/post",
        data={"csrf_token": token(client, f"/remittances/{rid}")},
    )
    assert "Nothing posted: work item" in again.text and "resolved already" in again.text


def test_an_auditor_sees_the_deposit_but_cannot_post(app: Any, client: TestClient) -> None:
    rid = _remittance(app)
    log_in(client, "approver")  # approver + auditor
    page = client.get(f"/remittances/{rid}").text
    assert 'data-testid="deposit"' in page and 'data-testid="post-plb-' not in page
    item = re.search(r'data-testid="plb-(\d+)"', page)[1]
    csrf = token(client, f"/remittances/{rid}")
    refused = client.post(f"/remittances/{rid}/adjustments/{item}/post", data={"csrf_token": csrf})
    assert refused.status_code == 403
