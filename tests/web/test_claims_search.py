"""Finding a claim in any status (issue 11, item 6): by patient, claim number, payer claim number,
dates of service, amount and status, a tab for every status, pages of 50, bad input in one line."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from otbill.services.denials.appeal import record_appeal
from otbill.services.remittances.post import post_remittance
from otbill.storage.tables import ClaimRow, DenialRow, PatientRow
from support.demoflow import make_835, send_claims, user_id
from support.webkit import DEMO_TODAY, log_in


def _rows(html: str) -> list[str]:
    return re.findall(r'data-testid="claim-row" data-claim="([^"]+)"', html)


def _count(html: str, status: str) -> int:
    found = re.search(rf'data-testid="status-{status}"\s+data-count="(\d+)"', html)
    assert found, f"no tab for {status}"
    return int(found.group(1))


def _appealed(app) -> ClaimRow:
    """Two claims sent; the payer pays one and denies the other, which the biller appeals."""
    sent = send_claims(app, 2)
    data = make_835([(sent[0], True), (sent[1], False)])
    post_remittance(app.state.db, 1, user_id(app, "biller"), data, today=DEMO_TODAY)
    with app.state.db.unit_of_work(1, user_id(app, "biller")) as uow:
        denial = uow.records.first(DenialRow, DenialRow.claim_id == sent[1].id)
        record_appeal(uow, denial.id, DEMO_TODAY, "Documentation attached")
    with app.state.db.session() as session:
        return session.get(ClaimRow, sent[1].id)


def test_an_appealed_claim_is_listed_under_appealed_and_found_by_payer_claim_number(app, client):
    claim = _appealed(app)
    log_in(client, "biller")
    tab = client.get("/claims?status=appealed")
    assert tab.status_code == 200 and _rows(tab.text) == [claim.number]
    assert _count(tab.text, "appealed") == 1 and _count(tab.text, "paid") == 1
    by_icn = client.get(f"/claims?payer_claim_number={claim.payer_claim_number.lower()}")
    assert claim.payer_claim_number and _rows(by_icn.text) == [claim.number]
    assert "Appealed" in by_icn.text


def test_search_by_patient_name_in_either_order_and_by_mrn(app, client):
    with app.state.db.session() as session:
        patient = session.scalars(select(PatientRow).order_by(PatientRow.id)).first()
        n = session.scalar(
            select(func.count()).select_from(ClaimRow).where(ClaimRow.patient_id == patient.id)
        )
    log_in(client, "approver")
    for typed in (
        f"{patient.first_name} {patient.last_name}",
        f"{patient.last_name.upper()}, {patient.first_name}",
        patient.mrn,
    ):
        page = client.get("/claims", params={"patient": typed})
        assert page.status_code == 200
        assert _count(page.text, "all") == n, typed
        assert page.text.count(f"MRN {patient.mrn}") == min(n, 50)


def test_search_by_claim_number_dates_and_amount(app, client):
    with app.state.db.session() as session:
        claim = session.scalars(select(ClaimRow).order_by(ClaimRow.id)).first()
        same_day_amount = session.scalar(
            select(func.count())
            .select_from(ClaimRow)
            .where(
                ClaimRow.date_of_service == claim.date_of_service,
                ClaimRow.total_charge_cents == claim.total_charge_cents,
            )
        )
    log_in(client, "approver")  # approver and auditor
    assert _rows(client.get("/claims", params={"number": claim.number}).text) == [claim.number]
    day = claim.date_of_service.isoformat()
    dollars = f"{claim.total_charge_cents / 100:.2f}"
    page = client.get(
        "/claims",
        params={"date_from": day, "date_to": day, "amount_min": dollars, "amount_max": dollars},
    )
    assert claim.number in _rows(page.text) and _count(page.text, "all") == same_day_amount


def test_every_status_has_a_tab_and_pages_of_fifty(app, client):
    log_in(client, "biller")
    page = client.get("/claims")
    for status in ("draft", "held", "ready", "approved", "submitted", "accepted", "rejected",
                   "paid", "partially_paid", "denied", "appealed", "closed"):  # fmt: skip
        assert f'data-testid="status-{status}"' in page.text
    first = _rows(page.text)
    assert len(first) == 50 and 'data-testid="next-page"' in page.text
    second = client.get("/claims?page=2")
    assert len(_rows(second.text)) == 50 and not set(first) & set(_rows(second.text))
    assert 'data-testid="previous-page"' in second.text


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("amount_min=abc", "Charge from"),
        ("amount_max=9e999999", "Charge up to"),
        ("date_from=2025-13-40", "Date of service from"),
        ("page=100000000000000000000000000000", "Page"),
        ("page=%C2%B2", "Page"),
        ("payer=%C2%B2", "Payer"),
        ("status=lost", "status"),
        ("date_from=2025-03-01&date_to=2025-02-01", "Date of service from"),
    ],
)
def test_bad_search_input_is_named_in_one_line(client, query, field):
    log_in(client, "biller")
    page = client.get(f"/claims?{query}")
    assert page.status_code == 422
    message = re.search(r'data-testid="search-error">([^<]+)<', page.text)
    assert message and message.group(1).startswith(field), page.text[-800:]


def test_only_billing_roles_search_and_the_nav_links_the_page(client):
    log_in(client, "rcole")
    assert client.get("/claims").status_code == 403
    log_in(client, "approver")  # approver and auditor
    assert 'href="/claims"' in client.get("/queues").text


def test_the_api_searches_the_same_way(app, client):
    claim = _appealed(app)
    log_in(client, "biller")
    found = client.get(
        "/api/claims",
        params={"status": "appealed", "payer_claim_number": claim.payer_claim_number},
    )
    assert found.status_code == 200
    items = found.json()["items"]
    assert [i["number"] for i in items] == [claim.number]
    assert items[0]["payer_claim_number"] == claim.payer_claim_number and items[0]["patient"]
    cents = claim.total_charge_cents
    dollars = f"{cents / 100:.2f}"
    by_amount = client.get(f"/api/claims?amount_min={dollars}&amount_max={dollars}&limit=500")
    assert claim.number in [i["number"] for i in by_amount.json()["items"]]
    assert all(i["total_charge"] == dollars for i in by_amount.json()["items"])
    bad = client.get("/api/claims?amount_min=lots")
    assert bad.status_code == 422 and "Charge from" in bad.text


def test_the_status_counts_kept_between_searches_follow_a_change_to_a_claim(app, client):
    """The counts are kept until the clinic's audit head moves: a claim paid and another denied
    and appealed after the first search show in the second."""
    log_in(client, "biller")
    before = client.get("/claims")
    paid, appealed = _count(before.text, "paid"), _count(before.text, "appealed")
    assert _count(client.get("/claims?status=paid").text, "paid") == paid  # kept: the same
    _appealed(app)
    after = client.get("/claims?status=paid")
    assert (_count(after.text, "paid"), _count(after.text, "appealed")) == (paid + 1, appealed + 1)
