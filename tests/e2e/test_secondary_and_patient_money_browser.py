"""Issue 13's done-when, in a real browser against the real app and the clearinghouse simulator.

A Medicare patient with a Medigap secondary (the packaged ``medigap`` profile) is seen; the primary
claim goes out and Medicare's 835 posts 80%; the secondary claim is built from it, re-scrubbed,
approved by a second person and sent on its own with Medicare's adjudication; the Medigap plan's
835 posts (the simulator answers a secondary as a Plan L supplement: 75% of the coinsurance Medicare
left to the patient; the other 25% stays with the patient); "Run statements" sends a statement whose
PDF shows that remaining balance; at the next check-in the patient pays it by card reference
("Collect copay"); the account reads $0 and the ledger's balances of both claims are zero.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from pypdf import PdfReader
from sqlalchemy import select

from otbill.clearinghouse.simulator.transport import SimulatedClearinghouse
from otbill.domain.ledger import check_invariants
from otbill.domain.schedule import Appointment
from otbill.services.clinic import setup as clinic
from otbill.services.frontdesk import patients
from otbill.services.frontdesk.schedule import book
from otbill.services.ledger import balances
from otbill.services.payments.standing import standing
from otbill.storage.tables import ClaimRow, CoverageRow, ProviderRow, VisitRow
from support.browserkit import log_in, record_signed_visit
from support.webkit import DEMO_TODAY, PASSWORDS, paid_visit_day, provider_of

NOTE = {
    "current_status": "Needs minimal assistance with upper-body dressing",
    "goals": "Independent upper-body dressing within 6 weeks",
    "response_to_treatment": "Tolerated well; shoulder reach improved",
    "medical_necessity": "Skilled grading of tasks and cueing are needed",
    "total_treatment_minutes": "80",
}


def _settled_medicare_patient(app: Any) -> tuple[int, int]:
    """(patient, Medicare coverage) of a Medicare patient of rcole's who owes nothing now."""
    provider = provider_of(app, "rcole")
    with app.state.db.unit_of_work(provider.clinic_id) as uow:
        seen: set[int] = set()
        for visit in uow.records.find(VisitRow, VisitRow.provider_id == provider.id):
            coverage = uow.records.get(CoverageRow, visit.coverage_id)
            if visit.patient_id in seen or coverage.priority != 1:
                continue
            seen.add(visit.patient_id)
            payer = uow.payers.get(coverage.payer_id)
            if payer.profile == "medicare" and standing(uow, visit.patient_id).total == 0:
                return visit.patient_id, coverage.id
    raise AssertionError("no settled Medicare patient of rcole's in the demo")


def _add_medigap(app: Any, patient: int) -> None:
    with app.state.db.unit_of_work(1) as uow:
        gap = clinic.add_payer(uow, payer_code="GAP22", name="Gap Mutual", profile="medigap")
        patients.add_coverage(uow, patient_id=patient, payer_id=gap, member_id="GM40112",
                              priority=2, effective_from=dt.date(2025, 1, 1),
                              eligibility_verified_on=DEMO_TODAY - dt.timedelta(days=5),
                              eligibility_active=True)  # fmt: skip


def _claim(app: Any, number: str) -> tuple[int, str]:
    with app.state.db.session() as session:
        row = session.execute(
            select(ClaimRow.id, ClaimRow.status).where(ClaimRow.number == number)
        ).one()
        return row.id, row.status


def _approve_and_send(browser: Any, live: Any, biller: Any, claim_url: str) -> None:
    approver = browser.new_page()
    log_in(approver, live, "approver", PASSWORDS["approver"])
    approver.goto(claim_url)
    approver.click("[data-testid=approve-button]")
    assert approver.inner_text("[data-testid=claim-status]").strip() == "approved"
    approver.close()
    biller.goto(f"{live.url}/queues/approved")
    biller.click("[data-testid=submit-batch]")
    biller.wait_for_selector("[data-testid=submit-job][data-state=done]")  # the job sent it
    biller.goto(f"{live.url}/remittances")
    biller.click("[data-testid=fetch-remittances]")
    biller.wait_for_selector("[data-testid=fetch-job][data-state=done][data-posting=no]")


def _next_check_in(app: Any, patient: int) -> int:
    """An appointment booked for today (the next visit), to be checked in at the front desk."""
    provider = provider_of(app, "rcole")
    with app.state.db.unit_of_work(provider.clinic_id, 1) as uow:
        row = uow.records.get(ProviderRow, provider.id)
        slot = Appointment(0, row.id, None, patient, None, DEMO_TODAY, 19 * 60, 45, "daily")
        booking = book(uow, slot, profiles=app.state.wiring.profiles)
        return booking.appointment_ids[0]


def test_medicare_then_medigap_then_statement_then_card_at_check_in(browser, live):  # type: ignore[no-untyped-def]
    app = live.app
    app.state.transport = SimulatedClearinghouse(app.state.settings.data_dir / "clearinghouse")
    patient, coverage = _settled_medicare_patient(app)
    _add_medigap(app, patient)
    day, number = paid_visit_day(app, patient, coverage)
    assert day <= DEMO_TODAY

    therapist = browser.new_page()
    log_in(therapist, live, "rcole", PASSWORDS["rcole"])
    minutes = {"97110": 53, "97140": 23}
    record_signed_visit(therapist, live, patient, day, minutes, NOTE, note_type="progress")
    assert therapist.inner_text("[data-testid=units-total]").strip() == "5"  # 76 timed minutes
    therapist.close()

    # The primary claim: built, re-scrubbed, approved by a second person, sent; Medicare pays 80%.
    biller = browser.new_page()
    log_in(biller, live, "biller", PASSWORDS["biller"])
    biller.goto(f"{live.url}/remittances")
    biller.click("[data-testid=build-claims]")
    biller.wait_for_selector("[data-testid=build-job][data-state=done]")
    biller.goto(f"{live.url}/queues/ready?date_from={day.isoformat()}&date_to={day.isoformat()}")
    biller.click(f"[data-testid=claim-{number}] a")
    biller.click("[data-testid=rescrub-button]")
    assert biller.inner_text("[data-testid=claim-status]").strip() == "ready"
    primary_url = biller.url
    _approve_and_send(browser, live, biller, primary_url)
    primary_id, status = _claim(app, number)
    assert status == "paid", status
    with app.state.db.unit_of_work(1) as uow:
        paid = balances(uow, claim_id=primary_id).by_claim[primary_id]
    assert paid.payer_payments > 0 and paid.transferred > 0  # 80% paid, 20% to the patient
    coinsurance = paid.transferred

    # The secondary: a draft made from Medicare's 835; Re-scrub queues it; a second person approves.
    secondary_id, status = _claim(app, f"{number}-S")
    assert status == "draft", status
    secondary_url = f"{live.url}/claims/{secondary_id}"
    biller.goto(secondary_url)
    biller.click("[data-testid=rescrub-button]")
    assert biller.inner_text("[data-testid=claim-status]").strip() == "ready"
    _approve_and_send(browser, live, biller, secondary_url)
    assert _claim(app, f"{number}-S")[1] == "paid"

    with app.state.db.unit_of_work(1) as uow:
        check_invariants(balances(uow))
        gap_paid = balances(uow, claim_id=secondary_id).by_claim[secondary_id].payer_payments
        owed = standing(uow, patient).total
    assert gap_paid == (coinsurance * Decimal("0.75")).quantize(Decimal("0.01")), gap_paid
    assert owed == coinsurance - gap_paid and owed > 0, owed  # Plan L's 25% stays with them

    # The statement run sends a statement whose PDF shows what is left.
    biller.goto(f"{live.url}/statements")
    biller.click("[data-testid=run-statements-button]")
    biller.wait_for_url("**/statements/jobs/**")
    biller.locator("[data-testid=job-files]").wait_for(timeout=60_000)
    biller.goto(f"{live.url}/patients/{patient}/statements")
    href = biller.locator("a[href$='.pdf']", has_text="PDF").first.get_attribute("href")
    assert href
    response = biller.context.request.get(f"{live.url}{href}")
    assert response.ok and response.headers["content-type"].startswith("application/pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert f"${owed:,.2f}" in text, text

    # The next check-in: the patient pays what the statement asks, by card reference.
    appointment = _next_check_in(app, patient)
    biller.goto(f"{live.url}/schedule/appointments/{appointment}")
    biller.click("text=Check in")
    biller.click("text=Collect copay")
    biller.fill("input[name=amount]", f"{owed:.2f}")
    biller.select_option("select[name=method]", "card")
    biller.fill("input[name=reference]", "AUTH59217")
    biller.fill("input[name=last4]", "4242")
    for box in biller.locator("input[name=apply]").all():
        box.check()
    biller.click("#take button[type=submit]")
    assert biller.locator("[data-testid=error]").count() == 0
    biller.goto(f"{live.url}/patients/{patient}/payments")
    assert biller.inner_text("#total").strip() == "$0.00"

    with app.state.db.unit_of_work(1) as uow:
        assert standing(uow, patient).total == 0
        for claim_id in (primary_id, secondary_id):
            mine = balances(uow, claim_id=claim_id)
            check_invariants(mine)
            assert all(x.balance == 0 for x in mine.by_patient.values()), claim_id
