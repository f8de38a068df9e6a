"""Claim status follow-up over 276/277 against the simulated payer: queue, history, work items."""

from __future__ import annotations

import datetime as dt

import pytest

from otbill.clearinghouse.simulator.claim_status import SimulatedClaimStatusPayer
from otbill.clearinghouse.transport import TransportError
from otbill.payers import load_profiles
from otbill.services.claims.lifecycle import respond, submit
from otbill.services.exchange.claim_status import (
    ClaimStatusError,
    check_status,
    follow_up_queue,
)
from otbill.storage import Database
from otbill.x12.guide_rules import validate
from support.clinickit import Ids, insert_claim, seed_clinic

PROFILES = load_profiles()


def _sent(db: Database, ids: Ids, number: str) -> tuple[int, dt.date]:
    """A claim sent now (its history says when); returns it and the day it was sent."""
    claim, _ = insert_claim(db, ids, number)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        submit(uow, [claim])
    with db.unit_of_work(ids.clinic) as uow:
        [(_, at)] = [(c, at) for c, at in uow.claims.submitted_waiting() if c.id == claim]
    return claim, at.date()


def _check(db: Database, ids: Ids, claim: int, today: dt.date, payer=None):  # type: ignore[no-untyped-def]
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return check_status(uow, claim, today=today, transport=payer or SimulatedClaimStatusPayer())


def test_the_queue_holds_claims_waiting_past_the_payers_days(db: Database) -> None:
    ids = seed_clinic(db)
    claim, sent = _sent(db, ids, "C-100")
    with db.unit_of_work(ids.clinic) as uow:
        assert follow_up_queue(uow, today=sent + dt.timedelta(days=29), profiles=PROFILES) == []
        [due] = follow_up_queue(uow, today=sent + dt.timedelta(days=35), profiles=PROFILES)
        assert (due.claim.id, due.days_waiting, due.due_after_days) == (claim, 35, 30)
        longer = {"medicare": PROFILES["medicare"].model_copy(update={"status_follow_up_days": 45})}
        assert follow_up_queue(uow, today=sent + dt.timedelta(days=35), profiles=longer) == []


def test_an_accepted_claim_leaves_the_queue(db: Database) -> None:
    ids = seed_clinic(db)
    claim, sent = _sent(db, ids, "C-101")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        respond(uow, claim, accepted=True, payer_claim_number="ICN1")
    with db.unit_of_work(ids.clinic) as uow:
        assert follow_up_queue(uow, today=sent + dt.timedelta(days=60), profiles=PROFILES) == []


def test_a_paid_answer_is_written_on_the_claims_history_in_plain_words(db: Database) -> None:
    ids = seed_clinic(db)
    claim, sent = _sent(db, ids, "C-104")
    payer = SimulatedClaimStatusPayer()
    result = _check(db, ids, claim, sent + dt.timedelta(days=35), payer)
    assert result.outcome == "paid" and result.work_item_id is None
    assert result.words.startswith("finalized: paid — paid (status F1:65)")
    assert "paid 120.00 of 150.00" in result.words
    [sent_276] = payer.requests
    assert validate(sent_276, "276") == [] and b"TRN*1*C-104~" in sent_276
    assert b"AMT*T3*150.00~" in sent_276 and b"DTP*472*D8*20250214~" in sent_276
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.claims.get(claim).status == "submitted"  # the 835 moves it, not a 277
        [event] = uow.audit_reads.events(entity="claim", entity_id=str(claim))[-1:]
        assert event.action == "claim.status-checked"
        assert event.after is not None and event.after["outcome"] == "paid"
        assert uow.exchange.open_work_items() == []


@pytest.mark.parametrize(
    ("number", "outcome"),
    [("C-110", "received"), ("C-112", "pending"), ("C-116", "denied")],
)
def test_each_answer_has_its_outcome(db: Database, number: str, outcome: str) -> None:
    ids = seed_clinic(db)
    claim, sent = _sent(db, ids, number)
    assert _check(db, ids, claim, sent).outcome == outcome


def test_not_found_goes_to_the_work_queue_once_a_day(db: Database) -> None:
    ids = seed_clinic(db)
    claim, sent = _sent(db, ids, "C-108")
    first = _check(db, ids, claim, sent)
    again = _check(db, ids, claim, sent)
    assert first.outcome == "not found" and first.work_item_id == again.work_item_id
    with db.unit_of_work(ids.clinic) as uow:
        [item] = uow.exchange.open_work_items()
        assert (item.kind, item.reference, item.claim_id) == ("276", "C-108", claim)
        assert item.reason.startswith("resubmit the claim or call the payer")
        uow.exchange.resolve_work_item(item.id)
    after_call = _check(db, ids, claim, sent)  # resolved today (the call made): not queued again
    assert after_call.outcome == "not found" and after_call.work_item_id is None


class _Silent:
    def exchange(self, request: bytes) -> bytes:
        raise TransportError("the clearinghouse did not answer in 30 s")


def test_no_response_goes_to_the_work_queue_and_the_history(db: Database) -> None:
    ids = seed_clinic(db)
    claim, sent = _sent(db, ids, "C-120")
    result = _check(db, ids, claim, sent, _Silent())
    assert result.outcome == "no response" and result.work_item_id is not None
    assert result.words == "no answer to the 276: the clearinghouse did not answer in 30 s"


class _Garbled:
    def exchange(self, request: bytes) -> bytes:
        return b"ISA*garbage"


def test_an_unreadable_277_stores_nothing(db: Database) -> None:
    ids = seed_clinic(db)
    claim, sent = _sent(db, ids, "C-121")
    with pytest.raises(ClaimStatusError, match="the payer's 277"):
        _check(db, ids, claim, sent, _Garbled())
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.exchange.open_work_items() == []
        assert [e.action for e in uow.audit_reads.events(entity="claim", entity_id=str(claim))][
            -1
        ] != "claim.status-checked"


def test_a_claim_never_sent_is_refused(db: Database) -> None:
    ids = seed_clinic(db)
    claim, _ = insert_claim(db, ids, "C-130")
    with pytest.raises(ClaimStatusError, match="claim C-130 is approved: it was never sent"):
        _check(db, ids, claim, dt.date(2025, 4, 1))


def test_the_profile_default_is_thirty_days() -> None:
    assert PROFILES["medicare"].status_follow_up_days == 30
