"""The public price list: /prices and /prices.pdf open without a login, show the charge master's
prices and nothing else, and answer 404 in words when the clinic hides them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fastapi.testclient import TestClient

from otbill.services.clinic import setup as clinic
from otbill.services.frontdesk.price_list import price_list
from support.pdftext import pdf_text
from support.webkit import log_in, token


def test_prices_open_without_login_with_the_charge_masters_prices(client):
    page = client.get("/prices", follow_redirects=False)
    assert page.status_code == 200
    text = page.text
    for code, price in (("97530", "$70.00"), ("97165", "$180.00"), ("97150", "$35.00")):
        row = text.split(f'data-testid="price-{code}"')[1].split("</tr>")[0]
        assert price in row and "2025-01-01" in row
    assert "each 15 minutes" in text and "per session" in text
    assert "Log out" not in text and "/patients" not in text  # no navigation, no records


def test_price_list_pdf_has_the_same_prices(client):
    response = client.get("/prices.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Price list" in text and "Prices in force on 2025-04-01" in text
    assert "97530" in text and "$70.00" in text and "97168" in text and "$120.00" in text


def test_a_payers_own_charge_is_not_the_price_and_a_later_change_shows_beside_it(app, client):
    with app.state.db.unit_of_work(1) as uow:
        payer = uow.payers.all()[0].id
        clinic.set_fee(uow, code="97530", charge=Decimal("99"), allowed=Decimal("50"),
                       effective_from=dt.date(2025, 2, 1), payer_id=payer)  # fmt: skip
        clinic.set_fee(uow, code="97530", charge=Decimal("75"), allowed=Decimal("40"),
                       effective_from=dt.date(2025, 7, 1))  # fmt: skip
    row = client.get("/prices").text.split('data-testid="price-97530"')[1].split("</tr>")[0]
    assert "$70.00" in row and "$99.00" not in row
    assert "from 2025-07-01: $75.00" in row
    with app.state.db.unit_of_work(1) as uow:
        later = {line.code: line for line in price_list(uow, dt.date(2025, 7, 1)).lines}
    assert later["97530"].price == Decimal("75.00") and later["97530"].next_price is None


def test_hidden_price_list_is_404_in_words_and_the_admin_can_publish_it_again(app):
    with TestClient(app) as admin:
        log_in(admin, "admin")
        assert 'data-testid="public-prices-link"' in admin.get("/admin/setup").text
        saved = admin.post("/admin/prices", data={"csrf_token": token(admin, "/admin/setup")},
                           follow_redirects=False)  # fmt: skip
        assert saved.status_code == 303
        assert "hidden" in admin.get(saved.headers["location"]).text
        with TestClient(app) as visitor:
            for path in ("/prices", "/prices.pdf", "/prices?clinic=DEMO"):
                hidden = visitor.get(path)
                assert hidden.status_code == 404, path
                assert "does not publish a price list" in hidden.text
                assert "$70.00" not in hidden.text
        again = {"csrf_token": token(admin, "/admin/setup"), "publish_prices": "on"}
        admin.post("/admin/prices", data=again)
        with TestClient(app) as visitor:
            assert visitor.get("/prices").status_code == 200


def test_an_unknown_clinic_gets_the_same_answer_as_a_hidden_one(client):
    response = client.get("/prices?clinic=NOPE")
    assert response.status_code == 404
    assert "does not publish a price list" in response.text


def test_only_an_admin_changes_the_setting(client):
    log_in(client, "biller")
    refused = client.post("/admin/prices", data={"csrf_token": token(client, "/patients")},
                          follow_redirects=False)  # fmt: skip
    assert refused.status_code == 403


def test_the_fees_differ_warning_links_to_the_price_list(app, client):
    from otbill.storage.tables import ClaimRow
    from support.claimkit import clean_claim_data, make_claim, scrub

    data = clean_claim_data()
    data["history"] = [{"claim_id": "CLM-H0", "date": "2025-01-10", "code": "97530", "units": 2,
                        "rendering_npi": "1245319599", "payer_id": "87726",
                        "charge": "70.00"}]  # fmt: skip
    (finding,) = scrub(make_claim(data), select=["CMP003"])
    assert "charge master" in finding.fix.description
    with app.state.db.unit_of_work(1) as uow:
        claim = uow.records.first(ClaimRow, ClaimRow.id > 0)
        claim.findings = [finding.as_json()]
        claim_id = claim.id
    log_in(client, "biller")
    row = client.get(f"/claims/{claim_id}").text.split('data-testid="finding-CMP003"')[1]
    assert 'href="/prices"' in row.split("</tr>")[0]
