"""The dashboard's unbilled work and appeals (issue 11, item 5): money waiting in the queues or
under appeal is shown, not hidden behind an A/R of $0."""

from __future__ import annotations

from sqlalchemy import func, select

from otbill.services.claims import lifecycle
from otbill.services.denials.appeal import record_appeal
from otbill.services.remittances.post import post_remittance
from otbill.services.views.dashboard import cached_dashboard
from otbill.services.views.dashboard_payments import ar_aging
from otbill.services.views.dashboard_work import work_in_progress
from otbill.storage.tables import ClaimRow, DenialRow
from support.demoflow import make_835, send_claims, user_id
from support.webkit import DEMO_TODAY, log_in, patient_of, record_daily_visit, token


def _row(figure, label_start: str) -> tuple[float, str]:
    """(charges in dollars, count) of the figure's row whose label starts with ``label_start``."""
    i = next(i for i, label in enumerate(figure.labels) if label.startswith(label_start))
    return figure.series[0][1][i], figure.extra[0][1][i]


def _totals(app, statuses: tuple[str, ...]) -> tuple[int, int]:
    with app.state.db.session() as session:
        n, cents = session.execute(
            select(func.count(), func.sum(ClaimRow.total_charge_cents)).where(
                ClaimRow.status.in_(statuses)
            )
        ).one()
    return n, cents or 0


def test_claims_waiting_in_the_queues_are_unbilled_work(app):
    n, cents = _totals(app, ("draft", "held", "ready"))
    assert n > 1000  # the demo: every claim waits for approval; nothing is in the ledger yet
    with app.state.db.unit_of_work(1) as uow:
        figure = work_in_progress(uow)
    assert figure.empty is None
    assert _row(figure, "Claims being prepared") == (cents / 100, f"{n:,}")
    assert _row(figure, "Claims approved") == (0, "0")


def test_approved_claims_not_yet_sent_are_counted_apart(app):
    db = app.state.db
    with db.unit_of_work(1, user_id(app, "approver")) as uow:
        ready = uow.records.find(ClaimRow, ClaimRow.status == "ready")[:2]
        for claim in ready:
            lifecycle.approve(uow, claim.id, DEMO_TODAY)
    with db.unit_of_work(1) as uow:
        figure = work_in_progress(uow)
    cents = sum(c.total_charge_cents for c in ready)
    assert _row(figure, "Claims approved") == (cents / 100, "2")


def test_a_signed_visit_not_yet_on_a_claim_is_priced_from_the_fee_schedule(app, client):
    log_in(client, "rcole")
    visit_id = record_daily_visit(client, patient_of(app), response_to_treatment="Tolerated well",
                                  total_treatment_minutes="40")  # fmt: skip
    with app.state.db.unit_of_work(1) as uow:
        unsigned = work_in_progress(uow)
        visit = uow.visits.get(visit_id)
        payer = uow.patients.coverage(visit.coverage_id).payer_id
        fee = uow.payers.fees_on(payer, ["97110"], visit.date)[-1]
    assert _row(unsigned, "Visits not yet signed") == (fee.charge_cents * 3 / 100, "1")
    client.post(f"/visits/{visit_id}/sign", data={"csrf_token": token(client)})
    with app.state.db.unit_of_work(1) as uow:
        signed = work_in_progress(uow)
    assert _row(signed, "Visits signed") == (fee.charge_cents * 3 / 100, "1")
    assert _row(signed, "Visits not yet signed") == (0, "0")


def _denied_and_appealed(app) -> ClaimRow:
    sent = send_claims(app, 2)
    data = make_835([(sent[0], True), (sent[1], False)])
    post_remittance(app.state.db, 1, user_id(app, "biller"), data, today=DEMO_TODAY)
    with app.state.db.unit_of_work(1, user_id(app, "biller")) as uow:
        denial = uow.records.first(DenialRow, DenialRow.claim_id == sent[1].id)
        record_appeal(uow, denial.id, DEMO_TODAY, "Documentation attached")
    return sent[1]


def test_a_denied_claim_under_appeal_is_not_written_off(app):
    appealed = _denied_and_appealed(app)
    with app.state.db.unit_of_work(1) as uow:
        aging = ar_aging(uow, DEMO_TODAY)
        work = work_in_progress(uow)
    series = dict(aging.series)
    assert sum(v or 0 for v in series["Under appeal"]) == appealed.total_charge_cents / 100
    assert _row(work, "Claims under appeal") == (appealed.total_charge_cents / 100, "1")


def test_the_dashboard_page_shows_unbilled_work_and_appeals(app, client):
    appealed = _denied_and_appealed(app)
    log_in(client, "admin")
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "Unbilled work and appeals" in page.text
    assert "Claims being prepared (draft, held, ready)" in page.text
    assert f"${appealed.total_charge_cents / 100:,.2f}" in page.text
    assert "Under appeal" in page.text


def test_the_dashboard_is_kept_until_an_audited_change_shows_at_once(app, client):
    """Kept in the app's cache per clinic until the clinic's audit head moves: a repeat view
    reads nothing again, and an approval (audited) shows on the next view."""
    log_in(client, "admin")
    cache, db = app.state.queue_cache, app.state.db
    with db.unit_of_work(1) as uow:
        kept = cached_dashboard(uow, DEMO_TODAY, cache)
        assert cached_dashboard(uow, DEMO_TODAY, cache) is kept
    work = next(f for f in kept if f.key == "work_in_progress")
    assert _row(work, "Claims approved") == (0, "0")
    before = client.get("/dashboard").text
    with db.unit_of_work(1, user_id(app, "approver")) as uow:
        ready = uow.records.find(ClaimRow, ClaimRow.status == "ready")[:2]
        for claim in ready:
            lifecycle.approve(uow, claim.id, DEMO_TODAY)
    cents = sum(c.total_charge_cents for c in ready)
    with db.unit_of_work(1) as uow:
        now = cached_dashboard(uow, DEMO_TODAY, cache)
    assert now is not kept
    work = next(f for f in now if f.key == "work_in_progress")
    assert _row(work, "Claims approved") == (cents / 100, "2")
    after = client.get("/dashboard").text
    assert f"${cents / 100:,.2f}" not in before and f"${cents / 100:,.2f}" in after
