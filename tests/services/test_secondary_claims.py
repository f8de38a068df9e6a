"""Secondary and tertiary claims: built after the primary's 835, sent with its adjudication,
their 835s posted; crossover waits; the ledger hands the patient's share on and ends at zero."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from otbill.domain.record_errors import RecordError
from otbill.services.claims import coordination
from otbill.services.claims import lifecycle as claims
from otbill.services.claims.submit import load_claims
from otbill.services.clinic import setup as clinic
from otbill.services.frontdesk import patients
from otbill.services.ledger import balances
from otbill.services.visits import record as visits
from otbill.storage import Database
from otbill.storage.tables import DenialRow
from otbill.x12.write_837p import write_837p
from support.claimflow import RULES, build_all, record_visit
from support.clinickit import seed_clinic
from support.secondarykit import (
    DAY,
    SUBMISSION,
    TODAY,
    ZERO,
    add_gap_mutual,
    approve_and_send,
    history,
    medicare_80,
    next_claim,
    patient_owes,
    post_835,
    scrub_run,
    secondary_pays,
    secondary_sent,
    seed_medigap,
    sent_claim,
    writable,
)
from support.x12kit import pyx12_errors


def test_medicare_80_then_the_secondary_pays_the_20_and_the_ledger_ends_at_zero(
    db: Database,
) -> None:
    ids = seed_medigap(db)
    primary, number = sent_claim(db, ids)
    post_835(db, ids, medicare_80(number), "72", "00435", "EFT1")
    link, secondary = next_claim(db, ids, primary)
    assert (link.sequence, secondary.payer_id, secondary.status) == ("S", ids.commercial, "draft")
    assert secondary.number == f"{number}-S"
    # until the secondary is billed, the 835's patient share stays on the primary
    assert patient_owes(db, ids) == (Decimal("18.00"), Decimal("18.00"))
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        status = claims.rescrub(uow, secondary.id, scrub_run(), RULES)
        assert status == "ready", uow.claims.get(secondary.id).findings
    approve_and_send(db, ids, secondary.id)
    assert patient_owes(db, ids) == (Decimal("18.00"), ZERO)  # owed by the secondary, not her
    with db.unit_of_work(ids.clinic) as uow:  # approval charged the primary's PR, not $120
        assert balances(uow, claim_id=primary).by_claim[primary].balance == ZERO
        assert balances(uow, claim_id=secondary.id).by_claim[secondary.id].charges == 18
        (claim,) = load_claims(uow, [uow.claims.get(secondary.id)])
    text = write_837p([writable(claim)], SUBMISSION)
    assert pyx12_errors(text) == []
    segments = text.replace("\n", "").split("~")
    assert any(s.startswith("SBR*S*18*") for s in segments)
    assert any(s.startswith("SBR*P*18*") for s in segments)
    assert "AMT*D*72" in segments and "AMT*EAF*18" in segments
    assert "SVD*00435*72*HC:97530:GO**2" in segments
    assert "CAS*CO*45*30" in segments and "CAS*PR*2*18" in segments
    assert "DTP*573*D8*20250305" in segments  # the primary's 835 payment date
    post_835(db, ids, secondary_pays(secondary.number, "18"), "18", "GAP22", "EFT2")
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.claims.get(secondary.id).status == "paid"
        assert uow.records.count(DenialRow) == 0  # CARC 23 is the prior payer's part
    assert patient_owes(db, ids) == (ZERO, ZERO)


def test_what_the_secondary_leaves_is_the_patients_to_pay(db: Database) -> None:
    ids = seed_medigap(db)
    *_, secondary = secondary_sent(db, ids)
    post_835(db, ids, secondary_pays(secondary.number, "13", pr="5"), "13", "GAP22", "EFT2")
    assert patient_owes(db, ids) == (Decimal("5.00"), Decimal("5.00"))


def test_crossover_sends_nothing_and_the_secondarys_835_posts_to_its_claim(
    db: Database,
) -> None:
    ids = seed_medigap(db)
    primary, number = sent_claim(db, ids)
    post_835(db, ids, medicare_80(number, status="19", remark="MA18"), "72", "00435", "EFT1")
    _, secondary = next_claim(db, ids, primary)
    assert secondary.status == "submitted"  # the payer sent it on; the clinic sends nothing
    assert any(
        r.startswith("crossed over to Gap Mutual: waiting for its 835")
        for r in history(db, ids, primary)
    )
    # the secondary's 835 quotes the primary's claim number (CLP01)
    post_835(db, ids, secondary_pays(number, "18"), "18", "GAP22", "EFT2")
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.claims.get(secondary.id).status == "paid"
        assert uow.claims.get(primary).status == "paid"
    assert patient_owes(db, ids) == (ZERO, ZERO)


def test_ma18_alone_is_a_crossover_too(db: Database) -> None:
    ids = seed_medigap(db)
    primary, number = sent_claim(db, ids)
    post_835(db, ids, medicare_80(number, remark="MA18"), "72", "00435", "EFT1")
    assert next_claim(db, ids, primary)[1].status == "submitted"
    with db.unit_of_work(ids.clinic) as uow:
        (notice,) = uow.coordination.crossovers(primary)
    assert notice.to_payer_name == "Gap Mutual" and "MA18" in notice.reason


def test_a_secondary_denial_goes_to_the_denial_queue(db: Database) -> None:
    ids = seed_medigap(db)
    *_, secondary = secondary_sent(db, ids)
    denied = f"""CLP*{secondary.number}*4*120*0*0*CI*ICN3*11*1
SVC*HC:97530:GO*120*0**2
DTM*472*20250214
CAS*OA*23*102
CAS*CO*27*18"""
    post_835(db, ids, denied, "0", "GAP22", "EFT2")
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.claims.get(secondary.id).status == "denied"
        (denial,) = uow.records.find(DenialRow, DenialRow.claim_id == secondary.id)
    assert denial.carc == "27"


def test_a_tertiary_follows_the_secondary_and_names_both_prior_payers(db: Database) -> None:
    ids = seed_medigap(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        medicaid = clinic.add_payer(
            uow, payer_code="MCD01", name="State Medicaid", profile="medicaid-example"
        )
        patients.add_coverage(uow, patient_id=ids.patient, payer_id=medicaid, member_id="M77",
                              priority=3, effective_from=dt.date(2024, 1, 1))  # fmt: skip
    _, number, secondary = secondary_sent(db, ids)
    post_835(db, ids, secondary_pays(secondary.number, "10", pr="8"), "10", "GAP22", "EFT2")
    link, tertiary = next_claim(db, ids, secondary.id)
    assert (link.sequence, tertiary.number, tertiary.payer_id) == ("T", f"{number}-T", medicaid)
    assert patient_owes(db, ids) == (Decimal("8.00"), Decimal("8.00"))
    with db.unit_of_work(ids.clinic) as uow:
        (claim,) = load_claims(uow, [uow.claims.get(tertiary.id)])
    assert claim.responsibility == "T"
    assert [o.responsibility for o in claim.other_coverages] == ["P", "S"]
    text = write_837p([writable(claim)], SUBMISSION)
    assert pyx12_errors(text) == []
    assert "AMT*D*72" in text and "AMT*D*10" in text


def test_by_hand_the_next_claim_is_scrubbed_and_refused_when_nothing_is_left(
    db: Database,
) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:  # the secondary is added later
        uow.patients.end_coverage(ids.commercial_coverage, dt.date(2024, 12, 31))
    primary, number = sent_claim(db, ids)
    post_835(db, ids, medicare_80(number), "72", "00435", "EFT1")
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.coordination.followed_by(primary) is None
    with (
        db.unit_of_work(ids.clinic, ids.biller) as uow,
        pytest.raises(
            RecordError, match="no coverage after this claim's payer in force on 14 Feb 2025"
        ),
    ):
        coordination.build_next_claim(uow, primary, TODAY, run=scrub_run(), rules=RULES)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        add_gap_mutual(uow, ids)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        made = coordination.build_secondary(uow, number, TODAY, scrub_run(), RULES)
    assert (made.number, made.place, made.payer) == (f"{number}-S", "secondary", "Gap Mutual")
    assert (made.charge_basis, made.status, made.prior_number) == (Decimal("18"), "ready", number)
    with (
        db.unit_of_work(ids.clinic, ids.biller) as uow,
        pytest.raises(RecordError, match="exists already"),
    ):
        coordination.build_next_claim(uow, primary, TODAY)


def test_commercial_then_medicaid_the_secondary_names_the_commercial_payer(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        uow.patients.end_coverage(ids.coverage, dt.date(2024, 12, 31))
        uow.patients.end_coverage(ids.commercial_coverage, dt.date(2024, 12, 31))
        medicaid = clinic.add_payer(
            uow, payer_code="MCD01", name="State Medicaid", profile="medicaid-example"
        )
        acme = patients.add_coverage(uow, patient_id=ids.patient, payer_id=ids.commercial,
                                     member_id="ACM123", priority=1,
                                     effective_from=dt.date(2025, 1, 1),
                                     eligibility_verified_on=dt.date(2025, 2, 1),
                                     eligibility_active=True)  # fmt: skip
        patients.add_coverage(uow, patient_id=ids.patient, payer_id=medicaid, member_id="M77",
                              priority=2, effective_from=dt.date(2025, 1, 1))  # fmt: skip
        patients.add_authorization(uow, coverage_id=acme, number="AUTH-9",
                                   start=dt.date(2025, 2, 1), end=dt.date(2025, 4, 30),
                                   visits_authorized=3)  # fmt: skip
    record_visit(db, ids, DAY, [visits.Service("97530", 30)], coverage=acme)
    (primary,) = build_all(db, ids)
    approve_and_send(db, ids, primary)
    with db.unit_of_work(ids.clinic) as uow:
        number = uow.claims.get(primary).number
    body = f"""CLP*{number}*1*120*70*25*CI*ICN-{number}*11*1
SVC*HC:97530:GO*120*70**2
DTM*472*20250214
CAS*CO*45*25
CAS*PR*3*25"""
    post_835(db, ids, body, "70", "87726", "EFT9")
    link, secondary = next_claim(db, ids, primary)
    assert (link.sequence, secondary.payer_id) == ("S", medicaid)
    with db.unit_of_work(ids.clinic) as uow:
        (claim,) = load_claims(uow, [uow.claims.get(secondary.id)])
    text = write_837p([writable(claim)], SUBMISSION)
    assert pyx12_errors(text) == []
    segments = text.replace("\n", "").split("~")
    assert "SBR*S*18*******MC" in segments  # Medicaid, secondary
    assert "SBR*P*18*******CI" in segments  # the commercial plan's adjudication in 2320
    assert "AMT*D*70" in segments and "CAS*PR*3*25" in segments


def test_a_correction_of_a_secondary_is_still_sent_as_secondary(db: Database) -> None:
    from otbill.domain.lifecycle import Frequency

    ids = seed_medigap(db)
    *_, secondary = secondary_sent(db, ids)
    post_835(db, ids, secondary_pays(secondary.number, "18"), "18", "GAP22", "EFT2")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        fixed = claims.create_correction(uow, secondary.id, Frequency.CORRECTED, scrub_run(), RULES)
        (claim,) = load_claims(uow, [uow.claims.get(fixed)])
    assert claim.responsibility == "S" and claim.frequency_code == "7"
    assert [o.responsibility for o in claim.other_coverages] == ["P"]
    assert pyx12_errors(write_837p([writable(claim)], SUBMISSION)) == []
