"""The clinic's service locations: where visits happen, and the place of service they carry.

Why the place-of-service check: a POS code that does not exist (or not yet, such as 10 before
2022) is rejected by the clearinghouse; checking it once here keeps every visit's default sound.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, replace

from otbill.codes import pos
from otbill.domain.clinic_setup import Location
from otbill.domain.record_errors import RecordError
from otbill.errors import CodeError
from otbill.services.clinic.fields import address_of, required
from otbill.storage import UnitOfWork

__all__ = ["add_location", "list_locations", "set_location_active"]


def add_location(uow: UnitOfWork, location: Location, *, on: dt.date) -> int:
    """A new service location; its place-of-service code must be in force ``on`` that day."""
    name = required(location.name, "location name")
    try:
        place = pos.validate(location.place_of_service.strip(), on)
    except CodeError as exc:
        raise RecordError(f"location {name}: place of service: {exc}") from exc
    a = location.address
    address = address_of(a.line1, a.city, a.state, a.zip, field="location address")
    checked = replace(location, name=name, address=address, place_of_service=place)
    location_id = uow.clinics.add_location(checked)
    after = asdict(checked) | {"id": location_id, "address": checked.address.one_line()}
    uow.audit.record(uow.actor_id, "location.create", "location", location_id, None, after)
    return location_id


def set_location_active(uow: UnitOfWork, location_id: int, active: bool) -> str:
    """Stop booking at a location (a move, a closed satellite) or use it again; returns its name.

    Why never deleted: appointments and visits furnished there keep their service facility
    (837P loop 2310C); an inactive location is only left out of the schedule's choices and
    refused for new appointments."""
    before = uow.clinics.set_location_active(location_id, active)
    if before.active != active:
        uow.audit.record(uow.actor_id, "location.update", "location", location_id,
                         {"active": before.active}, {"active": active})  # fmt: skip
    return before.name


def list_locations(uow: UnitOfWork) -> list[Location]:
    return uow.clinics.locations()
