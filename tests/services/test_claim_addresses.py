"""The claim's 837P carries what the clinic entered at setup (both backends): the pay-to address
(loop 2010AB) and, for a visit checked in at another location, that service facility (2310C)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from otbill.domain.clinic_setup import Address, Location
from otbill.domain.schedule import Appointment
from otbill.services.claims.submit import load_claims
from otbill.services.visits import record as visits
from otbill.storage import Database
from otbill.x12.write_837p import Submission, write_837p
from support.claimflow import build_all, record_visit
from support.clinickit import Ids, seed_clinic
from support.x12kit import pyx12_errors

SUBMISSION = Submission(created=dt.datetime(2025, 3, 20, 9, 0), control_number=3)
DAY = dt.date(2025, 2, 3)


def _visit_checked_in_at(db: Database, ids: Ids, location_id: int) -> None:
    """An evaluation visit made by checking in an appointment at the location."""
    visit = record_visit(db, ids, DAY, [visits.Service("97165", 45)], note_type="evaluation")
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        uow.schedule.add(
            Appointment(0, ids.otr, location_id, ids.patient, ids.coverage, DAY, 540, 45,
                        "evaluation", "checked-in", visit_id=visit)
        )  # fmt: skip


def _claim_text(db: Database, ids: Ids) -> str:
    (claim_id,) = build_all(db, ids)
    with db.unit_of_work(ids.clinic) as uow:
        return write_837p(load_claims(uow, [uow.claims.get(claim_id)]), SUBMISSION)


def test_pay_to_and_the_visits_location_reach_the_837p(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        clinic = uow.clinics.identity()
        pay_to = ("PO Box 4410", "Dallas", "TX", "75265")
        address = (*clinic.address[:3], "787011234")  # 2010AA and 2310C need ZIP+4
        uow.clinics.change_identity(dataclasses.replace(clinic, address=address, pay_to=pay_to))
        annex = uow.clinics.add_location(
            Location(0, "River Annex", Address("500 River Rd", "Austin", "TX", "787052201"), "11")
        )
    _visit_checked_in_at(db, ids, annex)
    text = _claim_text(db, ids)
    assert pyx12_errors(text) == []
    lines = text.splitlines()
    at = lines.index("NM1*87*2~")
    assert lines[at + 1 : at + 3] == ["N3*PO Box 4410~", "N4*Dallas*TX*75265~"]
    at = lines.index("NM1*77*2*River Annex~")
    assert lines[at + 1 : at + 3] == ["N3*500 River Rd~", "N4*Austin*TX*787052201~"]


def test_a_visit_at_the_billing_address_and_no_pay_to_add_nothing(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        c = uow.clinics.identity()
        c = dataclasses.replace(c, address=(*c.address[:3], "787011234"))
        uow.clinics.change_identity(c)
        main = uow.clinics.add_location(Location(0, "Main", Address(*c.address), "11"))
    _visit_checked_in_at(db, ids, main)
    text = _claim_text(db, ids)
    assert pyx12_errors(text) == []
    assert not any(line.startswith(("NM1*87*", "NM1*77*")) for line in text.splitlines())
