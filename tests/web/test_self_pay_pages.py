"""Self-pay pages: the clinic's rules and packages (admin), a patient's self-pay account (desk)."""

from __future__ import annotations

from html import unescape

from fastapi.testclient import TestClient
from sqlalchemy import select

from otbill.services.self_pay import charges
from otbill.storage.tables import PatientRow, UserRow, VisitRow
from support.jobpages import job_page_after
from support.webkit import DEMO_TODAY, log_in, patient_of, record_daily_visit, token


def _post(client: TestClient, path: str, **data: str):
    form = {"csrf_token": token(client, "/rules"), **data}
    return client.post(path, data=form, follow_redirects=False)


def test_admin_sets_prompt_pay_sliding_scale_and_packages(app, client):
    log_in(client, "admin")
    setup = client.get("/admin/setup").text
    assert 'hx-get="/admin/self-pay?part=settings"' in setup and "self-pay-settings-link" in setup
    ok = _post(client, "/admin/self-pay/prompt-pay", percent_off="10", effective_from="2025-01-01")
    assert ok.status_code == 303
    ok = _post(client, "/admin/self-pay/sliding-scale", tiers="100:75, 200:25",
               guideline_first="15,650", guideline_each_more="5500",
               effective_from="2025-01-01")  # fmt: skip
    assert ok.status_code == 303
    ok = _post(client, "/admin/self-pay/packages", name="Ten visits", visits="10",
               price="900", valid_days="180")  # fmt: skip
    assert ok.status_code == 303
    page = unescape(client.get("/admin/self-pay").text)
    assert "Package 'Ten visits' offered." in page
    assert "10% off when the patient pays at the visit (from 2025-01-01)" in page
    assert "poverty guideline $15,650.00 for one person and $5,500.00 for each person more" in page
    assert "up to 100% of the guideline: 75% off; household income up to 200%" in page
    part = client.get("/admin/self-pay?part=settings").text
    assert "<html" not in part and 'data-testid="self-pay-settings"' in part
    bad = _post(
        client, "/admin/self-pay/prompt-pay", percent_off="150", effective_from="2025-06-01"
    )
    assert bad.status_code == 422 and "percent off 150: a whole percent from 0 to 100" in bad.text
    early = _post(client, "/admin/self-pay/sliding-scale", tiers="150", guideline_first="1",
                  guideline_each_more="1", effective_from="2025-02-01")  # fmt: skip
    assert early.status_code == 422 and "each tier as income percent:percent off" in unescape(
        early.text
    )


def test_only_an_admin_changes_the_settings(app, client):
    log_in(client, "biller")
    assert client.get("/admin/self-pay").status_code == 403
    answer = _post(
        client, "/admin/self-pay/prompt-pay", percent_off="5", effective_from="2025-01-01"
    )
    assert answer.status_code == 403


def test_the_patients_self_pay_account_shows_charges_discounts_and_visits_left(app, client):
    patient = patient_of(app)
    db = app.state.db
    with db.session() as session, session.begin():
        session.get_one(PatientRow, patient).self_pay = True
        admin = session.scalar(select(UserRow.id).where(UserRow.username == "admin"))
        visit_id = session.scalars(
            select(VisitRow.id).where(VisitRow.patient_id == patient).order_by(VisitRow.date)
        ).first()
    log_in(client, "admin")
    _post(client, "/admin/self-pay/packages", name="Two visits", visits="2", price="150",
          valid_days="60")  # fmt: skip
    _post(client, "/admin/self-pay/prompt-pay", percent_off="10", effective_from="2024-01-01")
    client.cookies.clear()
    with db.unit_of_work(1, admin) as uow:  # one visit charged at the price list
        report = charges.charge_visits(uow, [uow.visits.get(visit_id)])
        assert report.charged == [visit_id]
    log_in(client, "biller")
    patient_page = client.get(f"/patients/{patient}").text
    assert f'href="/patients/{patient}/self-pay"' in patient_page
    assert f'hx-get="/patients/{patient}/self-pay?part=account"' in patient_page  # visits left
    ok = _post(client, f"/patients/{patient}/self-pay/household", size="2", income="30000")
    assert ok.status_code == 303
    page = unescape(client.get(f"/patients/{patient}/self-pay").text)
    assert "Household saved: 2 people, $30,000.00 a year." in page
    assert 'data-kind="self-pay-charge"' in page and "(price list)" in page
    offer = page.split('<option value="')[1].split('"')[0]
    sold = _post(client, f"/patients/{patient}/self-pay/packages", offer_id=offer)
    assert sold.status_code == 303
    page = unescape(client.get(f"/patients/{patient}/self-pay").text)
    assert (
        "Package Two visits: <strong>2 of 2 visits left</strong>" in page
        and 'data-kind="package-sale"' in page
    )
    late = _post(client, f"/patients/{patient}/self-pay/visits/{visit_id}/prompt-pay")
    assert late.status_code == 422 and "prompt pay is for paying at the visit" in unescape(
        late.text
    )
    part = client.get(f"/patients/{patient}/self-pay?part=account").text
    assert "<html" not in part and 'data-testid="self-pay-account"' in part
    assert DEMO_TODAY.isoformat() in part


def test_an_auditor_reads_but_an_unknown_patient_is_404(app, client):
    log_in(client, "biller")
    assert client.get("/patients/999999/self-pay").status_code == 404


def test_building_claims_charges_a_self_pay_visit_and_says_so(app, client):
    patient = patient_of(app)
    with app.state.db.session() as session, session.begin():
        session.get_one(PatientRow, patient).self_pay = True
    log_in(client, "rcole")
    visit = record_daily_visit(client, patient)
    client.cookies.clear()
    log_in(client, "biller")
    built = job_page_after(app, client, "/queues/build-claims", token(client, "/queues"))
    assert "1 self-pay visit(s) charged to the patient&#39;s account, 0 paid by a package." in (
        built.text
    )
    with app.state.db.unit_of_work(1) as uow:
        mine = [e for e in uow.patient_account.of_patients([patient]) if e.visit_id == visit]
        assert [e.kind for e in mine] == ["self-pay-charge"]
        assert uow.self_pay.charged_visits([visit]) == {visit}
