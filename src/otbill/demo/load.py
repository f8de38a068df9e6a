"""``otbill demo``: a realistic, deterministic clinic with defects the scrubber must catch.

Three therapists (one COTA), about 60 patients on the four packaged payer profiles, three months
of visits with signed notes, plans of care and authorizations; then claims are built and scrubbed.
Planted defects: unsigned notes, exhausted authorizations, overdue progress reports, an NCCI pair
(97150 with 97530 the same day), a duplicate (a late charge for a day already billed) and a
removed GO modifier. Loading twice does nothing the second time (the clinic code is the key).
The front office (:mod:`otbill.demo.frontoffice`: locations, physicians and referrals, plans of
care, registrations, authorizations and their channel, the week after the demo's day on the
schedule) is made through the same services a clerk uses, dated as of the demo's day.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from otbill import clock
from otbill.codes import npi
from otbill.demo import frontoffice
from otbill.demo.data import (
    CLINIC,
    CLINIC_ADDRESS,
    DIAGNOSES,
    FEE_DECIMALS,
    FIRST_NAMES,
    LAST_NAMES,
    PAYERS,
    THERAPISTS,
    TIMED,
)
from otbill.domain.credentials import is_assistant
from otbill.domain.record_errors import RecordError
from otbill.payers import PayerProfile
from otbill.rules.context import ScrubContext
from otbill.rules.registry import Rule
from otbill.services.claims import lifecycle as claims
from otbill.services.claims.build import build_claims
from otbill.services.clinic import setup as clinic
from otbill.services.frontdesk import patients
from otbill.services.visits import record as visits
from otbill.storage import Database

__all__ = ["DemoReport", "load_demo"]

START = dt.date(2025, 1, 6)
WEEKS = 12
NOTE = {
    "current_status": "Moderate assist with upper-body dressing; grip 12 kg",
    "goals": "Independent upper-body dressing within 8 weeks",
    "response_to_treatment": "Tolerated well; improved reach by 10 degrees",
    "medical_necessity": "Skilled task grading and cueing required for safe ADLs",
}


@dataclass(frozen=True)
class DemoReport:
    clinic_id: int
    created: bool
    claims_by_status: dict[str, int]


def _npi(serial: int) -> str:
    first9 = f"15{serial:07d}"
    return first9 + npi.calc_check_digit(first9)


def _staff(db: Database, cid: int) -> tuple[int, int, int, list[tuple[int, int]]]:
    with db.unit_of_work(cid) as uow:
        admin = clinic.add_user(
            uow, username="admin", full_name="Clinic Admin", password="demo-admin", roles=["admin"]
        )
    with db.unit_of_work(cid, admin) as uow:
        biller = clinic.add_user(
            uow, username="biller", full_name="Bea Biller", password="demo-biller", roles=["biller"]
        )
        approver = clinic.add_user(
            uow,
            username="approver",
            full_name="Al Approver",
            password="demo-approver",
            roles=["approver", "auditor"],
        )
        therapists: list[tuple[int, int]] = []
        for username, first, last, credential, serial in THERAPISTS:
            user = clinic.add_user(
                uow,
                username=username,
                full_name=f"{first} {last}",
                password=f"demo-{username}",
                roles=["therapist"],
            )
            provider = clinic.add_provider(
                uow,
                npi_number=_npi(serial),
                first_name=first,
                last_name=last,
                credential=credential,
                taxonomy="224Z00000X" if is_assistant(credential) else "225X00000X",
                supervisor_id=therapists[0][1] if is_assistant(credential) else None,
                user_id=user,
            )
            therapists.append((user, provider))
    return admin, biller, approver, therapists


def _payers_and_fees(
    db: Database, cid: int, admin: int, profiles: dict[str, PayerProfile]
) -> list[tuple[int, float]]:
    with db.unit_of_work(cid, admin) as uow:
        payer_ids = [
            (
                clinic.add_payer(
                    uow, payer_code=code, name=name, profile=profile, known_profiles=profiles
                ),
                share,
            )
            for code, name, profile, share in PAYERS
        ]
        for code, (charge, allowed) in FEE_DECIMALS.items():
            clinic.set_fee(
                uow, code=code, charge=charge, allowed=allowed, effective_from=dt.date(2025, 1, 1)
            )
        for month in (1, 2, 3):
            clinic.add_overhead(
                uow,
                month=dt.date(2025, month, 1),
                category="rent",
                amount=FEE_DECIMALS["97165"][0] * 50,
            )
    return payer_ids


@dataclass
class _Plan:
    """One planned visit: who, when, what, and which defects it carries."""

    patient: int
    coverage: int
    provider_index: int
    date: dt.date
    services: list[visits.Service]
    note_type: str
    signed: bool


def _patient(
    db: Database,
    cid: int,
    admin: int,
    rngs: tuple[random.Random, random.Random],
    i: int,
    payers: list[tuple[int, float]],
    physicians: list[int],
) -> frontoffice.DemoPatient:
    rng, front = rngs  # ``front``: the front office's own draws, apart from the counted records
    payer_id = rng.choices([p for p, _ in payers], [w for _, w in payers])[0]
    profile = PAYERS[[p for p, _ in payers].index(payer_id)][2]
    old = profile == "medicare"
    dob = dt.date(
        rng.randint(1938, 1959) if old else rng.randint(1962, 2012),
        rng.randint(1, 12),
        rng.randint(1, 28),
    )
    start = START + dt.timedelta(days=rng.randint(0, 14))
    with db.unit_of_work(cid, admin) as uow:
        pid = patients.add_patient(
            uow,
            mrn=f"DEMO{i:04d}",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            dob=dob,
            sex=rng.choice("FM"),
            address=(f"{rng.randint(1, 999)} Elm St", "Austin", "TX", "78704"),
        )
        coverage = patients.add_coverage(
            uow,
            patient_id=pid,
            payer_id=payer_id,
            member_id=f"M{rng.randint(10**8, 10**9)}",
            effective_from=dt.date(2024, 1, 1),
            network="out" if "out" in profile else "in",
            eligibility_verified_on=START - dt.timedelta(days=3),
            eligibility_active=True,
        )
        frontoffice.register(uow, front, pid, start)
        diagnoses = rng.sample(DIAGNOSES, 2)
        frontoffice.write_certified_plan(
            uow,
            front,
            patient_id=pid,
            physician_id=physicians[i % len(physicians)],
            start=start,
            diagnoses=diagnoses,
            goals=NOTE["goals"],
            certified_on=start + dt.timedelta(days=rng.randint(1, 10)),
        )
        auth = None
        if profile != "medicare":
            visits_allowed = 6 if i % 12 == 5 else 30
            auth = frontoffice.open_authorization(
                uow, coverage_id=coverage, number=f"PA{i:05d}", start=start, visits=visits_allowed
            )
    return frontoffice.DemoPatient(i, pid, coverage, profile, start, auth)


def _plan_visits(rng: random.Random, i: int, pid: int, coverage: int, day: dt.date) -> list[_Plan]:
    primary = i % 2
    end = START + dt.timedelta(weeks=WEEKS)
    plans: list[_Plan] = []
    n = 0
    while day < end:
        n += 1
        if n == 1:
            services = [visits.Service(rng.choice(["97165", "97166", "97167"]), 45)]
            kind = "evaluation"
        else:
            codes = rng.sample(TIMED, 2)
            services = [visits.Service(c, rng.randint(12, 30)) for c in codes]
            if i % 15 == 7 and n == 4:  # NCCI pair: group therapy with 97530 the same day
                services = [visits.Service("97530", 25), visits.Service("97150", 30)]
            kind = "progress" if n % 10 == 1 and i % 10 != 3 else "daily"
        provider = (
            2 if primary == 0 and n > 1 and day.weekday() == 3 and kind == "daily" else primary
        )
        plans.append(_Plan(pid, coverage, provider, day, services, kind, rng.random() > 0.02))
        day += dt.timedelta(days=3 if day.weekday() == 0 else 4)
    return plans


def _record(
    db: Database,
    cid: int,
    therapists: list[tuple[int, int]],
    plans: list[_Plan],
    profiles: dict[str, PayerProfile],
) -> None:
    for index, (user, provider) in enumerate(therapists):
        with db.unit_of_work(cid, user) as uow:
            for p in (p for p in plans if p.provider_index == index):
                visit = visits.record_visit(
                    uow,
                    patient_id=p.patient,
                    coverage_id=p.coverage,
                    provider_id=provider,
                    date=p.date,
                    services=p.services,
                    note_type=p.note_type,
                    note={
                        **NOTE,
                        "total_treatment_minutes": sum(s.minutes for s in p.services) + 5,
                    },
                    profiles=profiles,
                )
                if p.signed:
                    note = uow.visits.note_of_visit(visit)
                    assert note is not None
                    visits.sign_note(uow, note.id)


def _plant_defects(
    db: Database,
    cid: int,
    biller: int,
    therapists: list[tuple[int, int]],
    plans: list[_Plan],
    run: ScrubContext,
    rules: list[Rule],
) -> None:
    """A late duplicate charge for a billed day, and GO removed from a few ready claims."""
    late = [p for p in plans if p.note_type == "daily" and p.provider_index == 1][:2]
    user, provider = therapists[1]
    with db.unit_of_work(cid, user) as uow:
        for p in late:
            visits.record_visit(
                uow,
                patient_id=p.patient,
                coverage_id=p.coverage,
                provider_id=provider,
                date=p.date,
                services=p.services[:1],
                note_type="daily",
                note={**NOTE, "total_treatment_minutes": 30},
                profiles=run.profiles,
            )
    with db.unit_of_work(cid, biller) as uow:
        build_claims(uow, run, rules)
        ready = uow.claims.by_status("ready")
        for claim in ready[5:8]:
            claims.edit_line(uow, claim.id, 1, modifiers=[], run=run, rules=rules)


_LOADED = "demo.loaded"


def _completed(db: Database, clinic_id: int) -> bool:
    """Whether the demo's load reached its end (its last step writes a ``demo.loaded`` event)."""
    with db.unit_of_work(clinic_id) as uow:
        return uow.audit_reads.has_action(_LOADED, "clinic")


def load_demo(db: Database, run: ScrubContext, rules: list[Rule], seed: int = 2025) -> DemoReport:
    """Load the demo clinic once (seeded, deterministic); a second call only reports it.

    The load runs as of the run's day (``run.today``): its signatures, history and audit trail
    are dated that day, not on the machine's clock."""
    with clock.as_of(run.today):
        return _load(db, run, rules, seed)


def _load(db: Database, run: ScrubContext, rules: list[Rule], seed: int) -> DemoReport:
    existing = clinic.clinic_by_code(db, CLINIC["code"])
    if existing is None:
        rng = random.Random(seed)
        cid = clinic.create_clinic(
            db,
            code=CLINIC["code"],
            name=CLINIC["name"],
            npi_number=_npi(9),  # the organisation NPI: no therapist has it
            tax_id=CLINIC["tax_id"],
            address=CLINIC_ADDRESS,
        )
        front = random.Random(seed + 1)
        admin, biller, _, therapists = _staff(db, cid)
        payers = _payers_and_fees(db, cid, admin, dict(run.profiles))
        with db.unit_of_work(cid, admin) as uow:
            locations = frontoffice.add_locations(uow)
            taken = {p.npi for p in uow.providers.all()} | {uow.providers.billing().npi}
            physicians = frontoffice.add_physicians(uow, front, taken)
        plans: list[_Plan] = []
        people: list[frontoffice.DemoPatient] = []
        for i in range(60):
            person = _patient(db, cid, admin, (rng, front), i, payers, physicians)
            people.append(person)
            plans.extend(_plan_visits(rng, i, person.patient_id, person.coverage_id, person.start))
        _record(db, cid, therapists, plans, dict(run.profiles))
        with db.unit_of_work(cid, biller) as uow:
            build_claims(uow, run, rules, through=plans[0].date + dt.timedelta(weeks=WEEKS))
        _plant_defects(db, cid, biller, therapists, plans, run, rules)
        with db.unit_of_work(cid, biller) as uow:  # the front desk's day, as of the demo's
            frontoffice.front_desk_today(uow, front, therapists, people, locations, run.profiles)
        with db.unit_of_work(cid, admin) as uow:  # the last step: the load is complete
            uow.audit.record(admin, _LOADED, "clinic", cid, None, {"seed": seed})
    elif not _completed(db, existing):
        raise RecordError(
            f"clinic {CLINIC['code']}: an earlier demo load stopped part-way; "
            "load the demo into an empty database"
        )
    found = existing or clinic.clinic_by_code(db, CLINIC["code"])
    assert found is not None
    with db.unit_of_work(found) as uow:
        counts = uow.queues.status_counts()
    return DemoReport(found, existing is None, dict(sorted(counts.items())))
