"""Prevention proposing a payer-profile change on the demo clinic: Medicare denies the same code
for units (CARC 152) three times; the check proposed is the payer's way of counting units (per
code, not pooled), not a hold; accepted, Medicare's claims are counted and scrubbed with the
changed profile (the denials named as its source, the decision in the audit trail), and the
other payers keep theirs."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from otbill import clock
from otbill.services.denials import prevention
from otbill.services.visits.record import profile_of
from otbill.storage.tables import AuditEventRow
from support.demoflow import clinic_and_users
from support.denialkit import deny_three_times
from support.passwords import fast_password_hashing  # noqa: F401
from support.webkit import DEMO_TODAY, app_on_copy


@pytest.fixture
def app(demo_template, tmp_path):  # type: ignore[no-untyped-def]
    app = app_on_copy(demo_template, tmp_path)
    yield app
    app.state.db.dispose()


def test_units_denials_propose_a_profile_change_applied_once_accepted(app) -> None:  # type: ignore[no-untyped-def]
    db, (clinic_id, users) = app.state.db, clinic_and_users(app)
    with clock.as_of(DEMO_TODAY), db.unit_of_work(clinic_id, users["biller"]) as uow:
        payers = uow.payers.all()
        medicare = next(p for p in payers if p.profile == "medicare")
        code = deny_three_times(uow, medicare.id, "152")
        new = prevention.propose_checks(uow, DEMO_TODAY, medicare.id, "152")
        check = uow.appeals.check_for(medicare.id, code, "152")
        assert check is not None and [c.id for c in new] == [check.id]
        assert check.cause == "profile:per-code" and check.profile_change == "profile:per-code"
        assert check.denials == 3 and check.status == "proposed"

        before = prevention.with_clinic_rules(uow, app.state.wiring.scrub_context(DEMO_TODAY))
        assert before.profile_for("medicare", medicare.payer_code).units_method == "cms"

        accepted = prevention.decide(uow, check.id, accept=True)
        assert accepted.status == "accepted"
        run = prevention.with_clinic_rules(uow, app.state.wiring.scrub_context(DEMO_TODAY))
        assert check.id not in [c.id for c in run.clinic_rules]  # not a CLN001 hold
        own = run.profile_for("medicare", medicare.payer_code.lower())
        assert own is not None and own.units_method == "per-code"
        assert own.sources["units"].startswith(f"prevention check {check.id}: 3 denials of {code}")
        assert "reason code 152" in own.sources["units"]
        assert own.mue and own.kx_thresholds  # the rest of Medicare's profile as it was
        for other in payers:
            if other.id != medicare.id:
                theirs = run.profile_for(other.profile, other.payer_code)
                assert theirs is run.profiles[other.profile]
        # a visit on a Medicare coverage counts its units the same way (the therapist's preview)
        coverage = next(c.coverage_id for c in uow.claims.by_status(None)
                        if c.payer_id == medicare.id)  # fmt: skip
        assert profile_of(uow, coverage, run.profiles).units_method == "per-code"
    with db.session() as session:
        event = session.scalars(
            select(AuditEventRow).where(AuditEventRow.action == "prevention.accept")
        ).one()
    assert event.entity_id == str(check.id) and event.actor_id == users["biller"]
    assert event.after["status"] == "accepted"
    assert event.after["payer_profile_change"].startswith("count units per code")
    assert event.after["source"].startswith(f"prevention check {check.id}")


def test_a_clinic_rule_still_held_by_cln001(app) -> None:  # type: ignore[no-untyped-def]
    """The same units denials of a payer already counting per code (and without MUE for a
    CARC 152) are the clinic's to prevent: a hold, as before."""
    db, (clinic_id, users) = app.state.db, clinic_and_users(app)
    with clock.as_of(DEMO_TODAY), db.unit_of_work(clinic_id, users["biller"]) as uow:
        acme = next(p for p in uow.payers.all() if p.profile == "commercial-in-network")
        code = deny_three_times(uow, acme.id, "152")
        prevention.propose_checks(uow, DEMO_TODAY, acme.id, "152")
        check = uow.appeals.check_for(acme.id, code, "152")
        assert check is not None and check.cause == "units" and check.profile_change is None
        prevention.decide(uow, check.id, accept=True)
        run = prevention.with_clinic_rules(uow, app.state.wiring.scrub_context(DEMO_TODAY))
        assert [c.id for c in run.clinic_rules] == [check.id] and not run.payer_profiles
