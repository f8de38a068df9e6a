"""The demo clinic's front office (issue 10): locations, physicians and referrals, registrations,
authorizations worked through their one channel, and the week after the demo's day booked."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from otbill.codes import npi
from otbill.demo.data import DEMO_AS_OF, THERAPISTS
from otbill.rules.registry import load_rules
from otbill.services.claims.scrub import build_scrub_context
from otbill.services.frontdesk.schedule_views import schedule_view
from otbill.settings import load_settings
from otbill.storage import Database, UnitOfWork
from otbill.storage.tables import AuthorizationRow, CoverageRow, PatientRow, PayerRow, PlanOfCareRow
from support.democlinic import load_demo_copy


@pytest.fixture
def demo(db: Database) -> tuple[Database, int]:
    run = build_scrub_context(load_settings(), DEMO_AS_OF)
    return db, load_demo_copy(db, run, load_rules()).clinic_id


def test_the_week_after_the_demo_day_is_on_the_schedule(demo: tuple[Database, int]) -> None:
    db, clinic = demo
    with db.unit_of_work(clinic) as uow:
        week = schedule_view(uow, DEMO_AS_OF, DEMO_AS_OF + dt.timedelta(days=6))
        places = {loc.id: loc.place_of_service for loc in uow.clinics.locations()}
        therapists = {p.id for p in uow.providers.all()}
        booked = [a for _, day in week.days for a in day]
        shown_visits = [uow.visits.get(a.visit_id) for a in booked if a.visit_id]
    assert sorted(places.values()) == ["11", "12"]
    assert {a.provider_id for a in booked} == therapists and len(therapists) == len(THERAPISTS)
    assert {a.date for a in booked} <= {DEMO_AS_OF + dt.timedelta(days=d) for d in range(4)}
    series = Counter(a.series_id for a in booked if a.series_id)
    assert len(series) >= 6 and all(n == 2 for n in series.values())
    status = Counter((a.status, a.date == DEMO_AS_OF) for a in booked)
    assert status[("checked-in", True)] == 3 and status[("checked-in", False)] == 0
    assert status[("no-show", True)] == 1 and sum(n for (s, _), n in status.items()
                                                   if s == "cancelled") == 1  # fmt: skip
    assert [v.date for v in shown_visits] == [DEMO_AS_OF] * 3  # check-in made the visits
    assert {a.location for a in booked} == {loc.name for loc in _locations(db, clinic)}


def _locations(db: Database, clinic: int):  # type: ignore[no-untyped-def]
    with db.unit_of_work(clinic) as uow:
        return uow.clinics.locations()


def test_physicians_have_valid_npis_and_every_plan_its_referral(
    demo: tuple[Database, int],
) -> None:
    db, clinic = demo
    with db.unit_of_work(clinic) as uow:
        physicians = uow.plans.physicians(limit=100)
        organisation = uow.providers.billing().npi
        therapists = {p.npi for p in uow.providers.all()}
        plans = [uow.plans.get(row.id) for row in uow.records.find(PlanOfCareRow)]
        referrals = {d.referral_id: uow.plans.referral(d.referral_id)
                     for _, d in plans if d.referral_id}  # fmt: skip
    numbers = [p.npi for p in physicians]
    assert len(physicians) >= 5 and len(set(numbers)) == len(numbers)
    assert all(npi.is_valid(n) for n in numbers)
    assert organisation not in numbers and not therapists & set(numbers)
    assert len(plans) == 60 and all(p.certified_on for p, _ in plans)
    for plan, detail in plans:
        referral = referrals[detail.referral_id]
        assert detail.physician_id in {p.id for p in physicians}
        assert plan.certifying_npi in numbers
        assert referral.referred_on < plan.start and referral.diagnoses == plan.diagnoses


def test_every_patient_is_registered(demo: tuple[Database, int]) -> None:
    db, clinic = demo
    with db.unit_of_work(clinic) as uow:
        rows = uow.records.find(PatientRow)
        registered = [(row, uow.patients.registration(row.id)) for row in rows]
    assert len(registered) == 60
    for patient, reg in registered:
        assert reg.account_number and reg.phone and reg.email and reg.preferred_language
        assert reg.consent_on and reg.benefits_assigned_on and reg.emergency_contact
        assert reg.consent_on <= DEMO_AS_OF
        minor = patient.dob > DEMO_AS_OF.replace(year=DEMO_AS_OF.year - 18)
        assert (reg.guarantor is not None) == minor, patient.id
    assert any(reg.preferred_name for _, reg in registered)
    assert any(reg.guarantor for _, reg in registered)


def _profile(uow: UnitOfWork, row: AuthorizationRow) -> str:
    coverage = uow.records.get(CoverageRow, row.coverage_id)
    return str(uow.records.get(PayerRow, coverage.payer_id).profile)


def test_every_authorization_has_its_channel_and_two_were_worked(
    demo: tuple[Database, int],
) -> None:
    db, clinic = demo
    with db.unit_of_work(clinic) as uow:
        rows = uow.records.find(AuthorizationRow)
        entries = uow.authorizations.entries([r.id for r in rows])
        profiles = {r.id: _profile(uow, r) for r in rows}
        statuses = Counter(r.status for r in rows)
    logged = Counter(e.authorization_id for e in entries)
    assert rows and all(logged[r.id] for r in rows)
    assert statuses["pending"] == 1
    worked = {e.authorization_id for e in entries if e.kind == "call"}
    assert len(worked) == 2 and all(profiles[a].startswith("commercial") for a in worked)
    for auth in worked:
        mine = [e for e in entries if e.authorization_id == auth]
        call = next(e for e in mine if e.kind == "call")
        fax = next(e for e in mine if e.kind == "fax")
        assert call.reference and call.contact and fax.reference
        assert call.owner_id and call.due_on and call.due_on > DEMO_AS_OF
        assert fax.owner_id and fax.due_on
