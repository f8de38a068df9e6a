"""Admin setup pages: locations, providers (NPI, supervisor, dates), payer terms, fees beside the
charge master, overhead; each bad field named inside its own form, nothing written."""

from __future__ import annotations

from sqlalchemy import func, select

from otbill.storage.tables import LocationRow, PayerRow, ProviderRow, UserRoleRow, UserRow
from support.webkit import csrf_of, log_in, token


def _count(app, model) -> int:
    with app.state.db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def _provider(**changes: str) -> dict[str, str]:
    return {"first_name": "Ada", "last_name": "Ng", "credential": "OTR/L", "npi": "1245319599",
            "taxonomy": "225X00000X", "license_state": "tx", "license_number": "OT-1",
            "hired_on": "2025-01-06", **changes}  # fmt: skip


def test_admin_adds_locations_providers_and_overhead(app, client):
    log_in(client, "admin")
    csrf = token(client, "/admin/setup")
    demo_locations = _count(app, LocationRow)
    place = {"csrf_token": csrf, "name": "Main", "street": "1 A St", "city": "Austin",
             "state": "TX", "zip": "78701", "place_of_service": "11"}  # fmt: skip
    done = client.post("/admin/locations", data=place, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/admin/setup")
    bad = client.post("/admin/locations", data={**place, "name": "Home", "place_of_service": "77"})
    assert bad.status_code == 422 and 'id="locations-error"' in bad.text
    assert "place of service" in bad.text and 'value="Home"' in bad.text
    assert _count(app, LocationRow) == demo_locations + 1
    with app.state.db.session() as session:
        main = session.scalars(select(LocationRow).where(LocationRow.name == "Main")).one().id
    off = client.post(f"/admin/locations/{main}/active", data={"csrf_token": csrf, "active": "no"},
                      follow_redirects=False)  # fmt: skip
    assert (off.status_code, off.headers["location"]) == (
        303, "/admin/setup?done=location-off#locations")  # fmt: skip
    page = client.get("/admin/setup?done=location-off").text
    assert "Location taken out of use" in page and "Use again" in page
    assert client.post("/admin/locations/999999/active",
                       data={"csrf_token": csrf, "active": "yes"}).status_code == 404  # fmt: skip
    on = client.post(f"/admin/locations/{main}/active", data={"csrf_token": csrf, "active": "yes"})
    assert "Location back in use." in on.text and "Stop using" in on.text

    added = client.post("/admin/providers", data={"csrf_token": csrf, **_provider()})
    assert added.status_code == 200 and "Provider added" in added.text and "OT-1" in added.text
    with app.state.db.session() as session:
        ada = session.scalars(select(ProviderRow).where(ProviderRow.last_name == "Ng")).one()
        assert (ada.license_state, str(ada.hired_on)) == ("TX", "2025-01-06")
    before = _count(app, ProviderRow)
    cases = [
        (_provider(npi="1245319590"), "provider NPI &#39;1245319590&#39;: check digit"),
        (_provider(npi="1500000090"), "organisation NPI"),  # the demo clinic's own
        (_provider(npi="1003000126", credential="COTA"), "needs a supervising therapist"),
        (_provider(npi="1003000126", terminated_on="2024-12-31"), "before the start date"),
        (_provider(npi="1003000126", credential="COTA", supervisor_id=str(_jdiaz(app))),
         "is an assistant"),
    ]  # fmt: skip
    for form, message in cases:
        refused = client.post("/admin/providers", data={"csrf_token": csrf, **form})
        assert refused.status_code == 422 and message in refused.text, message
        assert 'id="providers-error"' in refused.text
    assert _count(app, ProviderRow) == before
    cota = _provider(npi="1003000126", credential="COTA", supervisor_id=str(ada.id))
    assert (
        "Provider added" in client.post("/admin/providers", data={"csrf_token": csrf, **cota}).text
    )

    month = {"csrf_token": csrf, "month": "2025-03", "category": "cleaning", "amount": "4,200.00"}
    assert "Overhead entry saved" in client.post("/admin/overhead", data=month).text
    negative = client.post("/admin/overhead", data={**month, "category": "x", "amount": "-5"})
    assert negative.status_code == 422 and 'id="overhead-error"' in negative.text


def _jdiaz(app) -> int:
    with app.state.db.session() as session:
        return session.scalar(select(ProviderRow.id).where(ProviderRow.credential == "COTA"))


def test_payer_terms_and_fees_beside_the_charge_master(app, client):
    log_in(client, "admin")
    csrf = token(client, "/admin")
    payer = {"csrf_token": csrf, "payer_code": "12345", "name": "Blue Plan", "profile": "medicare",
             "network": "out", "timely_filing_days": "90", "appeal_days": "60",
             "claim_street": "PO Box 1", "claim_city": "Dallas", "claim_state": "TX",
             "claim_zip": "75201", "contract_notes": "rates renegotiated yearly"}  # fmt: skip
    assert "Payer added" in client.post("/admin/payers", data=payer).text
    refused = client.post("/admin/payers", data={**payer, "payer_code": "2", "appeal_days": "x"})
    assert refused.status_code == 422 and "appeal days" in refused.text
    with app.state.db.session() as session:
        row = session.scalars(select(PayerRow).where(PayerRow.payer_code == "12345")).one()
    assert (row.network, row.timely_filing_days, row.claim_city) == ("out", 90, "Dallas")
    fee = {"csrf_token": csrf, "code": "97530", "charge": "75", "allowed": "41.50",
           "effective_from": "2025-01-01", "payer_id": str(row.id)}  # fmt: skip
    assert "Fee saved" in client.post("/admin/fees", data=fee).text
    page = client.get("/admin/setup").text
    assert "Blue Plan" in page and "$41.50" in page and "PO Box 1, Dallas, TX 75201" in page


def test_provider_search_and_setup_page_is_for_admins(client):
    log_in(client, "admin")
    page = client.get("/admin/setup?q=patel")
    assert "Patel" in page.text and "Diaz</td>" not in page.text
    log_in(client, "biller")
    assert client.get("/admin/setup").status_code == 403


def test_admin_changes_roles_but_keeps_an_admin(app, client):
    log_in(client, "admin")
    csrf = token(client, "/admin")
    with app.state.db.session() as session:
        ids = dict(session.execute(select(UserRow.username, UserRow.id)).all())
    changed = client.post(f"/admin/users/{ids['biller']}/roles",
                          data={"csrf_token": csrf, "roles": ["biller", "front-desk"]})  # fmt: skip
    assert changed.status_code == 200 and "Roles changed" in changed.text
    with app.state.db.session() as session:
        held = session.scalars(select(UserRoleRow.role).where(UserRoleRow.user_id == ids["biller"]))
        assert sorted(held) == ["biller", "front-desk"]
    last = client.post(f"/admin/users/{ids['admin']}/roles",
                       data={"csrf_token": csrf, "roles": ["biller"]})  # fmt: skip
    assert last.status_code == 422 and "last active admin" in last.text
    none = client.post(f"/admin/users/{ids['biller']}/roles", data={"csrf_token": csrf})
    assert none.status_code == 422 and "at least one role" in none.text


def test_admin_edits_a_provider(app, client):
    log_in(client, "admin")
    with app.state.db.session() as session:
        rita = session.scalars(select(ProviderRow).where(ProviderRow.first_name == "Rita")).one()
    page = client.get(f"/admin/providers/{rita.id}")
    assert page.status_code == 200 and f'value="{rita.npi}"' in page.text
    csrf = token(client, f"/admin/providers/{rita.id}")
    form = {"csrf_token": csrf, "first_name": "Rita", "last_name": "Cole", "credential": "OTR/L",
            "npi": rita.npi, "taxonomy": rita.taxonomy, "hired_on": "2020-01-01",
            "terminated_on": "2025-06-30", "user_id": str(rita.user_id)}  # fmt: skip
    saved = client.post(f"/admin/providers/{rita.id}", data=form, follow_redirects=False)
    assert saved.status_code == 303
    with app.state.db.session() as session:
        assert str(session.get(ProviderRow, rita.id).terminated_on) == "2025-06-30"
    backwards = client.post(f"/admin/providers/{rita.id}", data={**form, "hired_on": "2026-01-01"})
    assert backwards.status_code == 422 and 'id="provider-error"' in backwards.text
    assert 'value="2026-01-01"' in backwards.text
    assert client.get("/admin/providers/999999").status_code == 404


def test_admin_changes_a_payers_terms(app, client):
    log_in(client, "admin")
    with app.state.db.session() as session:
        medicare = session.scalars(select(PayerRow).where(PayerRow.profile == "medicare")).first()
    page = client.get(f"/admin/payers/{medicare.id}")
    assert page.status_code == 200 and f'value="{medicare.payer_code}"' in page.text
    form = {"csrf_token": csrf_of(page.text), "name": medicare.name,
            "payer_code": medicare.payer_code, "profile": "medicare", "network": "in",
            "appeal_days": "120", "contract_notes": "redetermination within 120 days"}  # fmt: skip
    saved = client.post(f"/admin/payers/{medicare.id}", data=form, follow_redirects=False)
    assert saved.status_code == 303
    with app.state.db.session() as session:
        assert session.get(PayerRow, medicare.id).appeal_days == 120
    bad = client.post(f"/admin/payers/{medicare.id}", data={**form, "profile": "nope"})
    assert bad.status_code == 422 and 'id="payer-error"' in bad.text and "nope" in bad.text
    assert client.get("/admin/payers/999999").status_code == 404


def test_admin_changes_the_clinic_details(app, client):
    log_in(client, "admin")
    csrf = token(client, "/admin/setup")
    form = {"csrf_token": csrf, "name": "Demo Therapy PLLC", "tax_id": "74-1234567",
            "npi": "1500000090", "taxonomy": "225X00000X", "line1": "200 Congress Ave",
            "city": "Austin", "state": "TX", "zip": "78701", "pay_line1": "PO Box 5",
            "pay_city": "Austin", "pay_state": "TX", "pay_zip": "78702"}  # fmt: skip
    saved = client.post("/admin/clinic", data=form)
    assert "Clinic details saved" in saved.text and "payments to PO Box 5" in saved.text
    bad = client.post("/admin/clinic", data={**form, "tax_id": "00-0000000"})
    assert bad.status_code == 422 and 'id="clinic-error"' in bad.text and "EIN" in bad.text
    rita = client.post("/admin/clinic", data={**form, "npi": "1500000017"})  # a therapist's
    assert rita.status_code == 422 and "a provider&#39;s individual NPI" in rita.text
