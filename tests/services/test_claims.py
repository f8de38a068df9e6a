"""Claim lifecycle: building from visits, modifiers, scrubbing, transitions, separation of duties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from otbill.domain.lifecycle import ClaimStatus, Frequency
from otbill.domain.record_errors import IllegalTransition, PermissionDenied
from otbill.services import ledger
from otbill.services.claims import lifecycle as claims
from otbill.services.visits import record as visits
from otbill.storage import Database
from otbill.storage.tables import ClaimRow, ClaimStatusRow
from support.claimflow import RULES, TODAY
from support.claimflow import build_all as _build
from support.claimflow import claim_with_lines as _claim
from support.claimflow import ready_claim as _ready_claim
from support.claimflow import record_visit as _visit
from support.claimflow import scrub_run as _run
from support.clinickit import seed_clinic


def test_visits_become_claims_with_units_and_modifiers(db: Database) -> None:
    ids = seed_clinic(db)
    _visit(db, ids, dt.date(2025, 2, 3), [visits.Service("97165", 45)], note_type="evaluation")
    _visit(db, ids, dt.date(2025, 2, 5), [visits.Service("97530", 24), visits.Service("97110", 23)])
    _visit(db, ids, dt.date(2025, 2, 5), [visits.Service("97535", 10)], provider=ids.cota)
    _visit(db, ids, dt.date(2025, 2, 7), [visits.Service("97530", 30)], telehealth=True)
    built = _build(db, ids)
    assert len(built) == 3  # two visits on 2-5 are one claim
    assert _build(db, ids) == []  # nothing left to bill
    eval_claim, eval_lines = _claim(db, ids, built[0])
    assert [(x.code, x.units, x.modifiers) for x in eval_lines] == [("97165", 1, "GO")]
    day, lines = _claim(db, ids, built[1])
    assert [(x.code, x.units, x.modifiers, x.furnished_by_assistant) for x in lines] == [
        ("97530", 2, "GO", False),
        ("97110", 1, "GO", False),
        ("97535", 1, "GO,CO", True),
    ]
    assert lines[2].rendering_provider_id == ids.otr  # the supervising OTR/L renders
    assert day.total_charge_cents == 2 * 6000 + 5500 + 6000
    tele, tele_lines = _claim(db, ids, built[2])
    assert (tele.place_of_service, tele.telehealth, tele_lines[0].modifiers) == (
        "10",
        True,
        "GO,95",
    )
    assert eval_claim.status in ("ready", "held")


def test_kx_added_when_threshold_crossed_and_necessity_documented(db: Database) -> None:
    ids = seed_clinic(db)
    for week in range(0, 20):
        _visit(
            db,
            ids,
            dt.date(2025, 2, 3) + dt.timedelta(days=7 * week),
            [visits.Service("97530", 60)],
            note_type="progress" if week % 9 == 0 else "daily",
        )
    built = _build(db, ids)
    mods = [_claim(db, ids, c)[1][0].modifiers for c in built]
    # 4 units x $45 allowed = $180 a visit; $2,410 (2025) is crossed on visit 14
    assert mods[:13] == ["GO"] * 13 and mods[13:] == ["GO,KX"] * 7


def test_unsigned_note_holds_the_claim_and_lifecycle(db: Database) -> None:
    ids = seed_clinic(db)
    _visit(db, ids, dt.date(2025, 2, 3), [visits.Service("97165", 45)], note_type="evaluation")
    _visit(db, ids, dt.date(2025, 2, 5), [visits.Service("97530", 30)], sign=False)
    _, unsigned = _build(db, ids)
    claim, _ = _claim(db, ids, unsigned)
    assert claim.status == "held"
    assert "DOC001" in {f["rule"] for f in claim.findings}
    with (
        pytest.raises(IllegalTransition, match="cannot go from held to approved"),
        db.unit_of_work(ids.clinic, ids.approver) as uow,
    ):
        claims.approve(uow, unsigned, TODAY)


def test_separation_of_duties(db: Database) -> None:
    ids = seed_clinic(db)
    claim_id = _ready_claim(db, ids)
    with (
        pytest.raises(PermissionDenied, match="approval needs the approver role"),
        db.unit_of_work(ids.clinic, ids.biller) as uow,
    ):
        claims.approve(uow, claim_id, TODAY)
    with db.unit_of_work(ids.clinic, ids.approver2) as uow:  # approver2 edits as a biller
        claims.edit_line(uow, claim_id, 1, modifiers=["GO"], run=_run(), rules=RULES)
    with (
        pytest.raises(PermissionDenied, match="separation of duties"),
        db.unit_of_work(ids.clinic, ids.approver2) as uow,
    ):
        claims.approve(uow, claim_id, TODAY)
    with db.unit_of_work(ids.clinic, ids.approver) as uow:
        claims.approve(uow, claim_id, TODAY)
    with db.unit_of_work(ids.clinic) as uow:
        b = ledger.balances(uow, claim_id=claim_id).by_claim[claim_id]
        assert b.charges == Decimal("150.00")


def test_full_lifecycle_and_corrections(db: Database) -> None:
    ids = seed_clinic(db)
    claim_id = _ready_claim(db, ids)
    with db.unit_of_work(ids.clinic, ids.approver) as uow:
        claims.approve(uow, claim_id, TODAY)
        claims.submit(uow, [claim_id])
        claims.respond(uow, claim_id, True, "PCN-1")
        claims.transition(uow, claim_id, ClaimStatus.DENIED, "CARC 50")
        claims.transition(uow, claim_id, ClaimStatus.APPEALED, "redetermination")
        with pytest.raises(IllegalTransition, match="appealed to submitted"):
            claims.transition(uow, claim_id, ClaimStatus.SUBMITTED)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        void = claims.create_correction(uow, claim_id, Frequency.VOID, _run(), RULES)
        fixed = claims.create_correction(uow, claim_id, Frequency.CORRECTED, _run(), RULES)
    with db.unit_of_work(ids.clinic) as uow:
        rows = {c.id: c for c in uow.records.find(ClaimRow)}
        assert (rows[void].frequency_code, rows[void].original_claim_id) == ("8", claim_id)
        assert (rows[fixed].frequency_code, rows[fixed].original_claim_id) == ("7", claim_id)
        history = [
            (h.from_status, h.to_status)
            for h in uow.records.find(ClaimStatusRow, ClaimStatusRow.claim_id == claim_id)
        ]
        assert history == [
            ("draft", "ready"),
            ("ready", "approved"),
            ("approved", "submitted"),
            ("submitted", "accepted"),
            ("accepted", "denied"),
            ("denied", "appealed"),
        ]
