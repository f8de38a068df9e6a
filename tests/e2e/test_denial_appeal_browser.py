"""The issue's done-when (issue 14), in a real browser against the real app.

A CO-50 denial arrives on the demo (the simulator's 835 posted); the biller opens it, sees the
cause and the deadline, builds the packet, edits and finalises the letter, marks it sent; a later
835 overturns it and the recovered amount shows. The same CARC recurring three times proposes a
prevention check, which the biller accepts, and the next claim with that code for that payer is
held by it (CLN001).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from otbill.domain.money import from_cents
from otbill.services.claims import lifecycle as claims
from otbill.services.remittances.post import post_remittance
from otbill.storage.tables import (
    ClaimLineRow,
    ClaimRow,
    DenialRow,
    PreventionCheckRow,
)
from support.browserkit import log_in, record_signed_visit
from support.demoflow import ISA, clinic_and_users, next_visit_of, simulated_835
from support.webkit import DEMO_TODAY, PASSWORDS


def _overturning_835(claim: ClaimRow, paid_on: dt.date) -> bytes:
    """The payer's answer to the appeal: the claim paid at 80% (the rest contractual)."""
    charge = from_cents(claim.total_charge_cents)
    paid = (charge * Decimal("0.8")).quantize(Decimal("0.01"))
    body = [
        f"BPR*I*{paid}*C*ACH*CCP*01*1*DA*2*3**01*4*DA*5*{paid_on:%Y%m%d}",
        "TRN*1*APPEAL-WON-1*1512345678",
        "N1*PR*MEDICARE",
        "REF*2U*00435",
        "N1*PE*RIVERSIDE*XX*1500000090",
        "LX*1",
        f"CLP*{claim.number}*1*{charge}*{paid}*0*MB*ICNAPPEAL1*11*1",
        f"CAS*CO*45*{charge - paid}",
    ]
    text = ISA + "GS*HP*PAYER*OTBILL*20250601*1200*8*X*005010X221A1~ST*835*0001~"
    return (text + "~".join(body) + f"~SE*{len(body) + 2}*0001~GE*1*8~IEA*1*000000007~").encode()


def _deny_two_more(app, payer_id: int) -> str:  # type: ignore[no-untyped-def]
    """Two more claims of the payer with a code it denied as CO-50 are sent and denied CO-50
    in a later 835: that code's third denial for the same reason."""
    db, (clinic_id, users) = app.state.db, clinic_and_users(app)
    with db.unit_of_work(clinic_id, users["biller"]) as uow:
        denied = {e.code for e in uow.appeals.denial_events(DEMO_TODAY - dt.timedelta(90))
                  if e.carc == "50" and e.payer_id == payer_id}  # fmt: skip
    with db.session() as session:
        ready = session.execute(
            select(ClaimLineRow.code, ClaimRow.id)
            .join(ClaimRow, ClaimRow.id == ClaimLineRow.claim_id)
            .where(
                ClaimRow.status == "ready",
                ClaimRow.payer_id == payer_id,
                ClaimLineRow.code.in_(denied),
            )
            .order_by(ClaimRow.id)
        ).all()
    by_code: dict[str, list[int]] = {}
    for code, claim_id in ready:
        by_code.setdefault(code, []).append(claim_id)
    code, ids = next((c, ids[:2]) for c, ids in sorted(by_code.items()) if len(ids) >= 2)
    with db.unit_of_work(clinic_id, users["approver"]) as uow:
        for claim_id in ids:
            claims.approve(uow, claim_id, DEMO_TODAY)
    with db.unit_of_work(clinic_id, users["biller"]) as uow:
        claims.submit(uow, ids)
        for claim_id in ids:
            claims.respond(uow, claim_id, True)
    with db.session() as session:
        rows = [session.get_one(ClaimRow, i) for i in ids]
    segments = []
    for n, claim in enumerate(rows, 1):
        charge = from_cents(claim.total_charge_cents)
        segments += [f"CLP*{claim.number}*4*{charge}*0*0*MB*ICNDENY{n}*11*1",
                     f"CAS*CO*50*{charge}", "LQ*HE*N115"]  # fmt: skip
    body = ["BPR*H*0*C*NON************20250420", "TRN*1*DENY-AGAIN-1*1512345678",
            "N1*PR*MEDICARE", "REF*2U*00435", "N1*PE*RIVERSIDE*XX*1500000090", "LX*1",
            *segments]  # fmt: skip
    text = ISA + "GS*HP*PAYER*OTBILL*20250420*1200*9*X*005010X221A1~ST*835*0001~"
    era = text + "~".join(body) + f"~SE*{len(body) + 2}*0001~GE*1*9~IEA*1*000000007~"
    post_remittance(db, clinic_id, users["biller"], era.encode(), name="deny.835",
                    today=DEMO_TODAY)  # fmt: skip
    return code


def test_denial_to_appeal_to_prevention(browser, live, tmp_path):  # type: ignore[no-untyped-def]
    app = live.app
    db = app.state.db
    name, data = simulated_835(app, tmp_path)
    clinic_id, users = clinic_and_users(app)
    post_remittance(db, clinic_id, users["biller"], data, name=name, today=DEMO_TODAY)
    with db.session() as session:
        denial = session.scalars(
            select(DenialRow).where(DenialRow.carc == "50").order_by(DenialRow.id)
        ).first()
        assert denial is not None
        claim = session.get_one(ClaimRow, denial.claim_id)

    # the biller opens the denial: cause and deadline
    biller = browser.new_page()
    log_in(biller, live, "biller", PASSWORDS["biller"])
    biller.goto(f"{live.url}/denials")
    biller.click(f"[data-testid=open-denial-{denial.id}]")
    assert biller.inner_text("[data-testid=cause]") == "Documentation / medical necessity"
    assert "plan of care" in biller.inner_text("[data-testid=cause-fix]")
    deadline = denial.denied_on + dt.timedelta(days=120)
    assert str(deadline) in biller.inner_text("[data-testid=deadline]")
    assert "Redetermination" in biller.inner_text("[data-testid=appeal-level]")

    # builds the packet, edits and finalises the letter, marks it sent
    biller.click("[data-testid=build-packet]")
    assert biller.inner_text("[data-testid=packet-status]") == "draft"
    letter = biller.input_value("[data-testid=letter-body]")
    assert claim.number in letter and "CO-50" in letter
    edited = letter.replace("[not on file]", "the enclosed record") + (
        "\n\nThe progress note of the same week shows measurable gains toward each goal."
    )
    biller.fill("[data-testid=letter-body]", edited)
    biller.click("[data-testid=save-letter]")
    assert "measurable gains" in biller.input_value("[data-testid=letter-body]")
    biller.click("[data-testid=finalise]")
    assert biller.inner_text("[data-testid=packet-status]") == "final"
    assert "measurable gains" in biller.inner_text("[data-testid=letter-final]")
    pdf = biller.request.get(f"{live.url}/denials/{denial.id}/packet.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    biller.click("[data-testid=mark-sent]")
    assert biller.inner_text("[data-testid=packet-status]") == "sent"
    assert biller.inner_text("[data-testid=claim-status]") == "appealed"
    assert biller.inner_text("[data-testid=outcome]") == "waiting for the payer"

    # a later 835 overturns it: the amount recovered shows
    later = _overturning_835(claim, denial.denied_on + dt.timedelta(days=40))
    post_remittance(db, clinic_id, users["biller"], later, name="appeal.835", today=DEMO_TODAY)
    biller.reload()
    paid = (from_cents(claim.total_charge_cents) * Decimal("0.8")).quantize(Decimal("0.01"))
    assert biller.inner_text("[data-testid=recovered]") == f"${paid:,.2f}"
    assert biller.inner_text("[data-testid=outcome]") in ("won", "partly won")

    # the same CARC three times: a proposed check, accepted
    code = _deny_two_more(app, claim.payer_id)
    with db.session() as session:
        check = session.scalars(
            select(PreventionCheckRow).where(
                PreventionCheckRow.carc == "50",
                PreventionCheckRow.code == code,
                PreventionCheckRow.status == "proposed",
            )
        ).first()
        assert check is not None and check.denials >= 3
        payer_id = check.payer_id
    biller.goto(f"{live.url}/denials")
    biller.click("[data-testid=prevention-link]")
    assert biller.locator(f"[data-testid=check-{check.id}]").count() == 1
    biller.click(f"[data-testid=accept-{check.id}]")
    assert "held by CLN001 from now on" in biller.inner_text("[data-testid=flash]")

    # the next claim with that code for that payer is held by it
    patient, coverage, day = next_visit_of(app, payer_id, check.code)
    codes = [check.code] + ([check.with_code] if check.with_code else [])
    therapist = browser.new_page()
    log_in(therapist, live, "rcole", PASSWORDS["rcole"])
    record_signed_visit(therapist, live, patient, day, dict.fromkeys(codes, 23))

    biller.goto(f"{live.url}/remittances")
    biller.click("[data-testid=build-claims]")
    biller.wait_for_selector("[data-testid=build-job][data-state=done]")
    number = f"P{patient}C{coverage}D{day:%Y%m%d}"
    biller.goto(f"{live.url}/queues/held?rule=CLN001")
    biller.click(f"[data-testid=claim-{number}] a")
    assert biller.inner_text("[data-testid=claim-status]").strip() == "held"
    finding = biller.inner_text("[data-testid=finding-CLN001]")
    assert check.code in finding and "reason code 50" in finding
