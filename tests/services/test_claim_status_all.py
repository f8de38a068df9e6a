"""Asking the payer about many claims (the follow-up page's "Ask about all"), and the page's rows:
each claim in its own transaction, each answer kept, a claim that cannot be asked named."""

from __future__ import annotations

import datetime as dt

from otbill import clock
from otbill.clearinghouse.simulator.claim_status import SimulatedClaimStatusPayer
from otbill.payers import load_profiles
from otbill.services.claims.lifecycle import submit
from otbill.services.exchange.claim_status_all import NOT_ASKED, Asked, ask_each
from otbill.services.views.claim_follow_up import NEVER_ASKED, follow_up_rows, last_status
from otbill.storage import Database
from support.clinickit import Ids, insert_claim, seed_clinic

PROFILES = load_profiles()


def _sent(db: Database, ids: Ids, *numbers: str) -> tuple[list[int], dt.date]:
    claims = [insert_claim(db, ids, number)[0] for number in numbers]
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        submit(uow, claims)
    with db.unit_of_work(ids.clinic) as uow:
        sent = uow.claims.submitted_waiting()[0][1].date()
    return claims, sent


def test_each_claim_is_asked_in_turn_and_its_answer_kept(db: Database) -> None:
    ids = seed_clinic(db)
    (pending, missing, paid), sent = _sent(db, ids, "C-302", "C-308", "C-304")
    payer, told = SimulatedClaimStatusPayer(), []
    results = ask_each(db, ids.clinic, ids.biller, [pending, missing, paid], today=sent,
                       transport=payer, answered=told.append)  # fmt: skip
    assert told == results and len(payer.requests) == 3
    assert [(r.number, r.outcome) for r in results] == [
        ("C-302", "pending"), ("C-308", "not found"), ("C-304", "paid")]  # fmt: skip
    assert results[0].words.startswith("pending")
    assert results[1].work_item_id is not None and results[0].work_item_id is None
    with db.unit_of_work(ids.clinic) as uow:
        words, asked_on = last_status(uow, pending)
        assert words == results[0].words and asked_on == sent
        [item] = uow.exchange.open_work_items()
        assert item.claim_id == missing


def test_a_claim_that_cannot_be_asked_is_named_and_the_others_are_asked(db: Database) -> None:
    ids = seed_clinic(db)
    (sent_claim,), sent = _sent(db, ids, "C-310")
    draft, _ = insert_claim(db, ids, "C-311", status="ready")
    results = ask_each(db, ids.clinic, ids.biller, [draft, 999_999, sent_claim], today=sent,
                       transport=SimulatedClaimStatusPayer())  # fmt: skip
    assert results[0] == Asked(draft, "C-311", NOT_ASKED,
                               "claim C-311 is ready: it was never sent")  # fmt: skip
    assert not results[0].asked
    assert results[1].outcome == NOT_ASKED and results[1].number == "(id 999999)"
    assert "999999" in results[1].words
    assert (results[2].number, results[2].outcome) == ("C-310", "received")
    with db.unit_of_work(ids.clinic) as uow:
        assert last_status(uow, draft) == (NEVER_ASKED, None)  # nothing written for it


def test_the_page_rows_name_the_patient_payer_and_last_status(db: Database) -> None:
    ids = seed_clinic(db)
    (_, second), sent = _sent(db, ids, "C-320", "C-326")
    later = sent + dt.timedelta(days=40)
    with db.unit_of_work(ids.clinic) as uow:
        assert follow_up_rows(uow, today=sent + dt.timedelta(days=29), profiles=PROFILES) == []
        rows = follow_up_rows(uow, today=later, profiles=PROFILES)
        patient = uow.patients.get(ids.patient)
        payer = uow.payers.get(ids.medicare).name
    assert [r.number for r in rows] == ["C-320", "C-326"]
    row = rows[0]
    assert (row.patient, row.payer) == (f"{patient.last_name}, {patient.first_name}", payer)
    assert (row.sent_on, row.days_waiting, row.due_after_days) == (sent, 40, 30)
    assert (row.last_status, row.asked_on) == (NEVER_ASKED, None)
    assert str(row.charge) == "150.00"
    with clock.as_of(later):  # asked 40 days after sending: still sent on its first day
        [denied] = ask_each(db, ids.clinic, ids.biller, [second], today=later,
                            transport=SimulatedClaimStatusPayer())  # fmt: skip
    with db.unit_of_work(ids.clinic) as uow:
        rows = follow_up_rows(uow, today=later, profiles=PROFILES)
    assert rows[0].last_status == NEVER_ASKED
    assert rows[1].last_status == denied.words and denied.words.startswith("finalized: denied")
    assert (rows[1].sent_on, rows[1].days_waiting, rows[1].asked_on) == (sent, 40, later)
