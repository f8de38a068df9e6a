"""Correcting (7) and voiding (8) a claim the payer has: refusals in words, the copy, its 837P."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from otbill.domain.lifecycle import ClaimStatus, Frequency
from otbill.domain.record_errors import PermissionDenied, RecordError
from otbill.services import ledger
from otbill.services.claims import lifecycle as claims
from otbill.services.claims.corrections import correct_claim, frequency_of
from otbill.services.claims.submit import load_claims
from otbill.storage import Database
from otbill.storage.tables import ClaimLineRow, ClaimRow
from otbill.x12.write_837p import Submission, write_837p
from support.claimflow import RULES, TODAY
from support.claimflow import ready_claim as _ready_claim
from support.claimflow import scrub_run as _run
from support.clinickit import Ids, seed_clinic
from support.x12kit import pyx12_errors


def _sent(db: Database, ids: Ids, payer_number: str | None = "PCN-77") -> int:
    claim_id = _ready_claim(db, ids)
    with db.unit_of_work(ids.clinic, ids.approver) as uow:
        claims.approve(uow, claim_id, TODAY)
        claims.submit(uow, [claim_id])
        claims.respond(uow, claim_id, True, payer_number)
    return claim_id


def _correct(db: Database, ids: Ids, key: str | int, freq: Frequency, reason: str = "wrong units"):
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return correct_claim(uow, key, freq, reason, _run(), RULES)


def test_a_correction_copies_the_claim_cites_the_payer_number_and_is_scrubbed(db) -> None:
    ids = seed_clinic(db)
    claim_id = _sent(db, ids)
    with db.unit_of_work(ids.clinic) as uow:
        number = uow.claims.get(claim_id).number
    made = _correct(db, ids, number, Frequency.CORRECTED, "  units were  wrong ")
    assert made.number == f"{number}-71" and made.frequency == "7"
    assert made.payer_claim_number == "PCN-77" and made.original_id == claim_id
    assert made.status == "ready"  # scrubbed like any claim; approval next
    with db.unit_of_work(ids.clinic) as uow:
        rows = {c.id: c for c in uow.records.find(ClaimRow)}
        copy = rows[made.id]
        assert (copy.frequency_code, copy.original_claim_id) == ("7", claim_id)
        assert rows[claim_id].status == "accepted"  # the original stays as the payer has it
        lines = uow.records.find(ClaimLineRow, ClaimLineRow.claim_id == made.id)
        assert [x.code for x in lines] == ["97165"]
        events = uow.audit_reads.events(entity="claim", entity_id=str(claim_id))
        said = [e.after for e in events if e.action == "claim.corrected"]
        assert said == [{"by claim": made.number, "as": "correction", "reason": "units were wrong"}]


def test_an_open_correction_blocks_a_second_until_it_is_sent(db) -> None:
    ids = seed_clinic(db)
    claim_id = _sent(db, ids)
    first = _correct(db, ids, claim_id, Frequency.CORRECTED)
    with pytest.raises(RecordError, match=rf"already has a correction, claim {first.number}"):
        _correct(db, ids, claim_id, Frequency.VOID)
    with db.unit_of_work(ids.clinic, ids.approver) as uow:
        claims.approve(uow, first.id, TODAY)
        claims.submit(uow, [first.id])
    void = _correct(db, ids, claim_id, Frequency.VOID, "patient was not seen")
    assert void.number.endswith("-82") and void.frequency == "8"


def test_refusals_name_the_claim_and_what_is_missing(db) -> None:
    ids = seed_clinic(db)
    unnumbered = _sent(db, ids, payer_number=None)
    with pytest.raises(
        RecordError, match=r"payer's claim number is needed for REF\*F8: it arrives"
    ):
        _correct(db, ids, unnumbered, Frequency.VOID)
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.claims.corrections_count(unnumbered) == 0  # nothing made
    with pytest.raises(RecordError, match="reason: say why the claim is voided"):
        _correct(db, ids, unnumbered, Frequency.VOID, "  ")
    with pytest.raises(RecordError, match="claim 99999: not found"):
        _correct(db, ids, "99999", Frequency.VOID)
    with (
        pytest.raises(PermissionDenied, match="needs the biller role"),
        db.unit_of_work(ids.clinic, ids.therapist) as uow,
    ):
        correct_claim(uow, unnumbered, Frequency.VOID, "x", _run(), RULES)


def test_a_claim_not_sent_yet_is_edited_not_corrected(db) -> None:
    ids = seed_clinic(db)
    ready = _ready_claim(db, ids)
    with pytest.raises(RecordError, match="has not reached the payer yet \\(ready\\): edit it"):
        _correct(db, ids, ready, Frequency.CORRECTED)
    with db.unit_of_work(ids.clinic, ids.approver) as uow:
        claims.approve(uow, ready, TODAY)
        claims.submit(uow, [ready])
        claims.respond(uow, ready, False)
        assert uow.claims.get(ready).status == ClaimStatus.REJECTED
    with pytest.raises(RecordError, match="was rejected before the payer took it"):
        _correct(db, ids, ready, Frequency.CORRECTED)


def test_frequency_words() -> None:
    assert frequency_of("7") is Frequency.CORRECTED and frequency_of("void") is Frequency.VOID
    with pytest.raises(RecordError, match="7 \\(a corrected claim\\) or 8 \\(a void\\)"):
        frequency_of("1")


@pytest.mark.parametrize("freq", [Frequency.CORRECTED, Frequency.VOID])
def test_the_837p_carries_the_frequency_and_ref_f8_and_is_pyx12_clean(db, freq) -> None:
    ids = seed_clinic(db)
    made = _correct(db, ids, _sent(db, ids), freq)
    with db.unit_of_work(ids.clinic) as uow:
        [claim] = load_claims(uow, [uow.claims.get(made.id)])
    bp = claim.billing_provider  # the seeded clinic has a five-digit ZIP; 2010AA needs ZIP+4
    claim = replace(
        claim, billing_provider=replace(bp, address=replace(bp.address, zip="787011234"))
    )
    text = write_837p([claim], Submission())
    segments = text.replace("\n", "").split("~")
    clm = next(s for s in segments if s.startswith("CLM*"))
    assert clm.split("*")[1] == made.number and clm.split("*")[5].endswith(f":B:{freq.value}")
    assert "REF*F8*PCN-77" in segments
    assert pyx12_errors(text) == []


def test_approving_a_correction_replaces_the_originals_charges_and_a_void_cancels_them(db):
    ids = seed_clinic(db)
    claim_id = _sent(db, ids)
    fixed = _correct(db, ids, claim_id, Frequency.CORRECTED)
    with db.unit_of_work(ids.clinic, ids.approver) as uow:
        claims.approve(uow, fixed.id, TODAY)
        claims.submit(uow, [fixed.id])
        claims.respond(uow, fixed.id, True, "PCN-78")
        by_claim = ledger.balances(uow, patient_id=ids.patient).by_claim
        assert by_claim[claim_id].charges == Decimal("0.00")  # replaced
        assert by_claim[fixed.id].charges == Decimal("150.00")
    void = _correct(db, ids, fixed.id, Frequency.VOID, "patient was not seen")
    with db.unit_of_work(ids.clinic, ids.approver) as uow:
        claims.approve(uow, void.id, TODAY)
        owed = ledger.balances(uow, patient_id=ids.patient)
        assert owed.by_claim[fixed.id].charges == Decimal("0.00")
        assert void.id not in owed.by_claim or owed.by_claim[void.id].charges == 0
        assert owed.by_patient[ids.patient].charges == Decimal("0.00")
