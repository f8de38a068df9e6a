"""Issue 11 item 7: a run "as of" a day uses that day everywhere — signatures, history, the 837,
the 835's payment date and the appeal deadlines — never the machine's clock."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from otbill.clearinghouse.simulator.transport import SimulatedClearinghouse
from otbill.services.claims import lifecycle as claims
from otbill.settings import Settings
from otbill.storage.tables import ClaimStatusRow, DenialRow, NoteRow, PostingRow, VisitRow
from otbill.web.app import create_app
from otbill.web.posting_jobs import posting_jobs
from otbill.web.submit_jobs import submit_jobs
from otbill.x12.tokens import read_segments
from support.demoflow import clinic_and_users, simulated_835
from support.jobpages import finish_jobs
from support.webkit import DEMO_TODAY, log_in, provider_of, token

PAID_ON = DEMO_TODAY + dt.timedelta(days=14)  # the simulator pays 14 days after the 837


def test_the_demo_load_signs_notes_as_of_its_day(app):
    with app.state.db.session() as session:
        signed = [n.signed_at for n in session.scalars(select(NoteRow)) if n.signed_at]
    assert signed and max(signed).date() <= DEMO_TODAY


def test_a_signature_made_in_the_app_is_dated_as_of_its_day(app, client):
    rita = provider_of(app, "rcole")
    with app.state.db.session() as session:
        query = (select(NoteRow).join(VisitRow, VisitRow.id == NoteRow.visit_id)
                 .where(VisitRow.provider_id == rita.id, NoteRow.signed_at.is_(None)))  # fmt: skip
        note = session.scalars(query).first()
    log_in(client, "rcole")
    csrf = token(client, f"/visits/{note.visit_id}")
    client.post(f"/visits/{note.visit_id}/sign", data={"csrf_token": csrf})
    with app.state.db.session() as session:
        assert session.get_one(NoteRow, note.id).signed_at.date() == DEMO_TODAY


def test_the_837_the_835_history_and_appeal_deadlines_follow_the_run_day(app, client, tmp_path):
    transport = SimulatedClearinghouse(tmp_path / "clearinghouse")
    app.state.transport = transport
    clinic, users = clinic_and_users(app)
    with app.state.db.unit_of_work(clinic, users["approver"]) as uow:
        for claim in uow.claims.by_status("ready", limit=40):
            claims.approve(uow, claim.id, DEMO_TODAY)
    log_in(client, "biller")
    sent = client.post("/queues/submit", data={"csrf_token": token(client, "/queues")})
    assert sent.status_code == 200 and "/queues/submit/jobs/" in str(sent.url)
    submit_jobs(app.state).wait(60)  # the 837 is the job's work, dated as of the run day
    sent_files = sorted((tmp_path / "clearinghouse" / "outbox" / "processed").glob("*.837"))
    assert sent_files
    bht = next(s for s in read_segments(sent_files[0].read_bytes()) if s.id == "BHT")
    assert bht.el(4) == DEMO_TODAY.strftime("%Y%m%d")
    answers = sorted((tmp_path / "clearinghouse" / "inbox").glob("*.835"))
    bpr = next(s for s in read_segments(answers[0].read_bytes()) if s.id == "BPR")
    assert bpr.el(16) == PAID_ON.strftime("%Y%m%d")

    client.post("/remittances/fetch", data={"csrf_token": token(client, "/remittances")})
    finish_jobs(app)  # the fetch's job, then the 835 postings it queued
    with app.state.db.session() as session:
        moves = list(
            session.scalars(select(ClaimStatusRow).where(ClaimStatusRow.to_status == "submitted"))
        )
        denials = list(session.scalars(select(DenialRow)))
    assert moves and {m.at.date() for m in moves} == {DEMO_TODAY}
    assert denials, "the simulator denies some claims"
    for denial in denials:
        assert denial.denied_on == PAID_ON
        assert PAID_ON < denial.appeal_deadline <= PAID_ON + dt.timedelta(days=180)
    page = client.get("/denials").text
    assert "days left" not in page or "746 days" not in page


def test_an_uploaded_835_posts_as_of_the_run_day_in_its_worker_thread(app, client, tmp_path):
    name, data = simulated_835(app, tmp_path)
    log_in(client, "biller")
    form = {"csrf_token": token(client, "/remittances")}
    sent = client.post("/remittances/upload", data=form, files={"file": (name, data)},
                       follow_redirects=False)  # fmt: skip
    assert sent.status_code == 303
    posting_jobs(app.state).wait(60)
    with app.state.db.session() as session:
        paid = list(session.scalars(select(PostingRow).where(PostingRow.kind == "payment")))
        moves = list(
            session.scalars(select(ClaimStatusRow).where(ClaimStatusRow.to_status == "paid"))
        )
    assert paid and {p.posted_at.date() for p in paid} == {DEMO_TODAY}
    assert moves and {m.at.date() for m in moves} == {DEMO_TODAY}


def test_the_settings_day_is_the_apps_day_when_none_is_given(tmp_path):
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/x.db",
                        secret_key="t", today=DEMO_TODAY)  # fmt: skip
    assert create_app(settings).state.today == DEMO_TODAY
