"""The demo clinic's front office, made through the services a clerk uses.

Locations, referring/certifying physicians, referrals, plans of care and their signatures, each
patient's registration, authorizations and their one channel (calls, a fax, a pending request)
and the week after the demo's day on the schedule (series, check-ins, a no-show, a cancellation).

Why a random generator of its own (``front``): the loader's generator draws the patients, visits
and defects the tests count; drawing front-office details from it would change them all.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from otbill import clock
from otbill.codes import npi
from otbill.demo.data import LANGUAGES, LOCATIONS, PHYSICIANS
from otbill.domain.authorizations import AuthStatus
from otbill.domain.clinic_setup import Address, Location
from otbill.domain.registration import EmergencyContact, Guarantor, Registration
from otbill.domain.schedule import Appointment
from otbill.payers import PayerProfile
from otbill.services.clinic.locations import add_location
from otbill.services.frontdesk import authorizations, checkin, plans_of_care, referrals, schedule
from otbill.services.frontdesk.registration import PatientDetails, edit_patient
from otbill.storage import UnitOfWork

__all__ = [
    "DemoPatient",
    "add_locations",
    "add_physicians",
    "authorization_channel",
    "book_the_week",
    "front_desk_today",
    "open_authorization",
    "register",
    "write_certified_plan",
]


@dataclass(frozen=True, slots=True)
class DemoPatient:
    """What the front office needs to know of a demo patient after the load drew it."""

    index: int
    patient_id: int
    coverage_id: int
    profile: str
    start: dt.date
    authorization_id: int | None


def _npi(front: random.Random, taken: set[str]) -> str:
    """A valid individual NPI (Luhn over 80840 + the first nine digits) not already taken."""
    while True:
        first9 = "1" + "".join(str(front.randint(0, 9)) for _ in range(8))
        number = first9 + npi.calc_check_digit(first9)
        if number not in taken:
            taken.add(number)
            return number


def add_locations(uow: UnitOfWork) -> list[int]:
    """The clinic (office, POS 11) and its home visits (home, POS 12)."""
    return [
        add_location(uow, Location(0, name, Address(*address), pos), on=dt.date(2025, 1, 1))
        for name, address, pos in LOCATIONS
    ]


def add_physicians(uow: UnitOfWork, front: random.Random, taken: set[str]) -> list[int]:
    """The physicians who refer patients and certify their plans; ``taken``: NPIs in use."""
    return [
        referrals.add_physician(
            uow, first_name=first, last_name=last, npi_number=_npi(front, taken), fax=fax
        )
        for first, last, fax in PHYSICIANS
    ]


def write_certified_plan(
    uow: UnitOfWork,
    front: random.Random,
    *,
    patient_id: int,
    physician_id: int,
    start: dt.date,
    diagnoses: Sequence[str],
    goals: str,
    certified_on: dt.date,
) -> int:
    """The physician's referral (days before the evaluation), the therapist's plan of care from
    the evaluation day and the date the signed plan came back."""
    referral = referrals.record_referral(
        uow,
        patient_id=patient_id,
        physician_id=physician_id,
        referred_on=start - dt.timedelta(days=front.randint(3, 14)),
        diagnoses=diagnoses,
        note="Evaluate and treat",
        today=clock.today(),
    )
    plan = plans_of_care.write_plan(
        uow,
        plans_of_care.PlanInput(patient_id, physician_id, start, diagnoses, goals, 2, 12, referral),
    )
    plans_of_care.record_signature(uow, plan, received_on=certified_on, today=clock.today())
    return plan


def _age(dob: dt.date, on: dt.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def register(uow: UnitOfWork, front: random.Random, patient_id: int, start: dt.date) -> None:
    """The registration a clerk completes at intake: preferred name, phone, email, language,
    emergency contact, a parent as guarantor for a child, consent and assignment of benefits."""
    p = uow.patients.get(patient_id)
    phone = f"512-555-{front.randint(1000, 9999)}"
    relative = f"{front.choice(['Alex', 'Chris', 'Jordan', 'Robin'])} {p.last_name}"
    guarantor = None
    if _age(p.dob, clock.today()) < 18:  # a minor: a parent is responsible for the bill
        first = relative.split()[0]
        guarantor = Guarantor(first, p.last_name, "parent", p.address_line1 or "", p.city or "",
                              p.state or "", p.zip or "", phone)  # fmt: skip
    intake = start - dt.timedelta(days=front.randint(0, 2))
    registration = Registration(
        preferred_name=p.first_name[:3] if front.random() < 0.15 else None,
        phone=phone,
        email=f"{p.first_name}.{p.last_name}{patient_id}@example.com".lower(),
        preferred_language=front.choice(LANGUAGES),
        emergency_contact=EmergencyContact(
            relative, "family", f"512-555-{front.randint(1000, 9999)}"
        ),
        guarantor=guarantor,
        consent_on=intake,
        benefits_assigned_on=intake,
    )
    address = (p.address_line1 or "", p.city or "", p.state or "", p.zip or "")
    details = PatientDetails(p.first_name, p.last_name, p.dob, p.sex, address, registration)
    edit_patient(uow, patient_id, details, today=clock.today())


def open_authorization(
    uow: UnitOfWork, *, coverage_id: int, number: str, start: dt.date, visits: int
) -> int:
    """An authorization the payer approved at the start of care (its first channel entry)."""
    return authorizations.open_authorization(
        uow,
        coverage_id=coverage_id,
        number=number,
        start=start,
        end=start + dt.timedelta(days=120),
        status=AuthStatus.APPROVED,
        visits_authorized=visits,
        note=f"Approved by the payer for {visits} visits from {start:%d %b %Y}",
    )


def authorization_channel(
    uow: UnitOfWork, patients: Sequence[DemoPatient], *, owner_id: int
) -> None:
    """Two commercial authorizations worked by phone and fax: one exhausted (more visits asked
    for), and a renewal for another patient sent by fax and now pending at the payer."""
    today = clock.today()
    commercial = [p for p in patients if p.profile.startswith("commercial") and p.authorization_id]
    if len(commercial) < 2:  # another seed may draw too few commercial patients
        return
    # the demo's 6-visit authorization, used up, when a commercial payer holds it
    short = next((p for p in commercial if p.index % 12 == 5), commercial[0])
    assert short.authorization_id is not None
    authorizations.log_entry(
        uow, short.authorization_id, kind="call", reference=f"CR-{short.index:03d}-0328",
        contact="Tamara (utilization review)", owner_id=owner_id,
        due_on=today + dt.timedelta(days=3),
        text="Asked for 12 more visits; the payer wants the latest progress note.",
    )  # fmt: skip
    authorizations.log_entry(
        uow, short.authorization_id, kind="fax", reference=f"FX-{short.index:03d}-0331",
        owner_id=owner_id, due_on=today + dt.timedelta(days=5),
        text="Faxed the progress report and the signed plan of care to utilization review.",
    )  # fmt: skip
    renewal = next(p for p in commercial if p is not short)
    request = authorizations.open_authorization(
        uow, coverage_id=renewal.coverage_id, number=f"REQ-{renewal.index:05d}",
        start=renewal.start + dt.timedelta(days=121), end=renewal.start + dt.timedelta(days=210),
        visits_authorized=24, owner_id=owner_id, due_on=today + dt.timedelta(days=7),
        note="Renewal requested: 24 visits for the next three months",
    )  # fmt: skip
    authorizations.log_entry(
        uow, request, kind="fax", reference=f"FX-{renewal.index:03d}-0327", owner_id=owner_id,
        due_on=today + dt.timedelta(days=7),
        text="Faxed the request with the re-evaluation and the recertified plan.",
    )  # fmt: skip
    authorizations.log_entry(
        uow, request, kind="call", reference=f"CR-{renewal.index:03d}-0401",
        contact="Marcus (prior authorization desk)", owner_id=owner_id,
        due_on=today + dt.timedelta(days=7), text="Received; in clinical review, 5 to 7 days.",
    )  # fmt: skip
    authorizations.change_status(
        uow, request, status=AuthStatus.PENDING, owner_id=owner_id,
        due_on=today + dt.timedelta(days=7), note="Under clinical review at the payer",
    )  # fmt: skip


# (weekdays of the series, start "HH:MM" as minutes, minutes, visit type); all in the afternoon,
# on the first days of the week after the demo's day (the mornings are left free to book).
_SLOTS = [
    ((1, 3), 13 * 60, 45, "daily"),
    ((1, 3), 14 * 60, 45, "daily"),
    ((2, 4), 13 * 60, 45, "daily"),
    ((2, 4), 15 * 60, 30, "progress"),
]


def book_the_week(
    uow: UnitOfWork,
    front: random.Random,
    caseloads: Sequence[tuple[int, Sequence[DemoPatient]]],
    locations: Sequence[int],
    profiles: Mapping[str, PayerProfile],
) -> None:
    """Each therapist's patients (``caseloads``: provider id and patients) in weekly series over
    the days after the demo's day, some at home. Today, the first therapist's first patient did
    not come (a no-show) and her next one is due later; the other therapists' patients of the
    day arrived (checked in: a visit each to document). One later appointment was cancelled."""
    today = clock.today()
    todays: list[list[int]] = []
    later: list[int] = []
    for provider_id, caseload in caseloads:
        todays.append([])
        for (weekdays, start, minutes, kind), patient in zip(_SLOTS, caseload, strict=False):
            first = min(today + dt.timedelta(days=(w - today.weekday()) % 7) for w in weekdays)
            home = front.random() < 0.25
            slot = Appointment(0, provider_id, locations[1 if home else 0], patient.patient_id,
                               None, first, start, minutes, kind)  # fmt: skip
            ids = schedule.book(uow, slot, profiles=profiles, weekdays=weekdays).appointment_ids
            (todays[-1] if first == today else later).append(ids[0])
            later.extend(ids[1:])
    if todays and todays[0]:
        schedule.mark_no_show(uow, todays[0][0])
    for appointment in [a for day in todays[1:] for a in day][:3]:
        checkin.check_in(uow, appointment, profiles=profiles)
    if later:
        schedule.cancel(uow, later[0])


def front_desk_today(
    uow: UnitOfWork,
    front: random.Random,
    therapists: Sequence[tuple[int, int]],
    people: Sequence[DemoPatient],
    locations: Sequence[int],
    profiles: Mapping[str, PayerProfile],
) -> None:
    """The biller's authorization calls and faxes, and the week after the demo's day booked
    (``therapists``: user and provider ids, the COTA last).

    Each therapist's caseload on the schedule is taken from the last patients (the first ones
    are those the pages' examples open); the COTA sees patients of the first OTR/L."""
    owner = uow.actor_id
    assert owner is not None
    later = people[36:]
    caseloads = [
        (therapists[0][1], [p for p in later if p.index % 2 == 0][:4]),
        (therapists[1][1], [p for p in later if p.index % 2 == 1][:4]),
        (therapists[2][1], [p for p in later if p.index % 2 == 0][4:8]),
    ]
    authorization_channel(uow, people, owner_id=owner)
    book_the_week(uow, front, caseloads, locations, profiles)
