"""The demo clinic's whole EDI cycle, offline: approve → submit → simulator → 999/277CA → 835."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from otbill.clearinghouse import FolderTransport
from otbill.clearinghouse.simulator.folder import simulate
from otbill.rules.registry import load_rules
from otbill.services.claims import lifecycle as claims
from otbill.services.claims.scrub import build_scrub_context
from otbill.services.claims.submit import submit_batch
from otbill.services.exchange.acknowledgements import apply_acknowledgement
from otbill.services.ledger import balances
from otbill.services.remittances.post import post_remittance
from otbill.settings import load_settings
from otbill.storage import Database
from otbill.storage.tables import ClaimRow, CoverageRow, DenialRow, PayerRow, UserRow
from otbill.x12.read_835 import read_835
from otbill.x12.write_837p import Submission
from support.democlinic import load_demo_copy as load_demo

ORDER = {".999": 0, ".277": 1, ".835": 2}
RULES = load_rules()


def _setup(db: Database, tmp_path: Path) -> tuple[int, dict[str, int], FolderTransport]:
    run = build_scrub_context(load_settings(), dt.date(2025, 4, 1))
    cid = load_demo(db, run, RULES).clinic_id
    with db.unit_of_work(cid) as uow:
        users = {u.username: u.id for u in uow.records.find(UserRow)}
    with db.unit_of_work(cid, users["approver"]) as uow:
        ready = uow.claims.by_status("ready")[:80]
        for claim in ready:
            claims.approve(uow, claim.id, dt.date(2025, 4, 1))
        # one member ID the payer will not recognise (a 277CA rejection)
        coverage = uow.records.get(CoverageRow, ready[0].coverage_id)
        coverage.member_id = "M-0001"
    transport = FolderTransport(tmp_path / "ch")
    with db.unit_of_work(cid, users["biller"]) as uow:
        sub = Submission(created=dt.datetime(2025, 4, 2, 9, 0))
        report = submit_batch(uow, transport, run, RULES, sub)
    assert report.submitted and report.files
    return cid, users, transport


def test_full_cycle_on_the_demo_clinic(db: Database, tmp_path: Path) -> None:
    cid, users, transport = _setup(db, tmp_path)
    sim = simulate(transport.root)
    assert sim.rejected >= 1 and sim.paid > 0
    files = sorted(transport.fetch(), key=lambda f: (ORDER[Path(f.name).suffix], f.name))
    posted = []
    for f in files:
        if f.name.endswith(".835"):
            posted.append(post_remittance(db, cid, users["biller"], f.data, name=f.name))
        else:
            apply_acknowledgement(db, cid, users["biller"], f.data, name=f.name)
    assert sum(r.partially_paid + r.denied for r in posted) >= 1
    assert sum(r.unmatched for r in posted) == 0
    with db.unit_of_work(cid) as uow:
        statuses = {c.number: c.status for c in uow.records.find(ClaimRow)}
        rejected = [c for c in uow.records.find(ClaimRow) if c.status == "rejected"]
        assert len(rejected) >= 1
        denials = uow.records.find(DenialRow)
        assert denials and all(d.carc == "50" and d.rarc == "N115" for d in denials)
        for d in denials:
            payer = uow.records.get(PayerRow, uow.records.get(ClaimRow, d.claim_id).payer_id)
            days = 120 if payer.profile == "medicare" else 180
            assert d.appeal_deadline == d.denied_on + dt.timedelta(days=days)
            assert d.amount_cents > 0 and d.codes
        for f in files:
            if not f.name.endswith(".835"):
                continue
            for payment in read_835(f.data).remittances[0].claims:
                claim = uow.records.first(
                    ClaimRow, ClaimRow.number == payment.patient_control_number
                )
                assert claim is not None
                assert statuses[claim.number] in ("paid", "partially_paid", "denied")
                b = balances(uow, claim_id=claim.id).by_claim[claim.id]
                assert b.payer_payments == payment.paid
                assert b.transferred == (payment.patient_responsibility or Decimal(0))
                assert b.payer_balance == 0
    # everything again: nothing changes
    for f in files:
        if f.name.endswith(".835"):
            assert post_remittance(db, cid, users["biller"], f.data, name=f.name).already_posted
        else:
            assert apply_acknowledgement(
                db, cid, users["biller"], f.data, name=f.name
            ).already_applied
