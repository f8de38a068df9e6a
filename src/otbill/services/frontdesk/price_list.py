"""The clinic's price list: the charge master's price per unit of each code, in force on a day.

One price per code for everyone: the charge master (fee rows without a payer) is what the clinic
charges every payer and a patient paying for themselves, so the public list at ``/prices``, its
PDF, the superbill's unbilled lines and the Good Faith Estimate all read it here. Each price
carries the date it took effect, and a change already entered for a later date is shown beside it.

A clinic may hide the list (``publish_prices`` off on the admin setup page): the public page then
answers "not published", and nothing else of the clinic is shown either way.
"""

from __future__ import annotations

import datetime as dt

from otbill.codes import cpt
from otbill.domain.charges import Fee
from otbill.domain.lifecycle import Role
from otbill.domain.money import from_cents
from otbill.domain.record_errors import RecordError
from otbill.errors import CodeError
from otbill.pdf.price_list import PriceLine, PriceList
from otbill.services.clinic.clinics import clinic_by_code
from otbill.services.clinic.setup import require_actor_role
from otbill.storage import Database, UnitOfWork

__all__ = [
    "PriceLine",
    "PriceList",
    "address_line",
    "charge_master_on",
    "price_list",
    "public_price_list",
    "set_publish_prices",
]


def address_line(line1: str, city: str, state: str, zip_code: str) -> str:
    """One printed line, a nine-digit ZIP with its dash: '9 Oak Ave, Austin, TX 78701-1234'."""
    shown = f"{zip_code[:5]}-{zip_code[5:]}" if len(zip_code) == 9 else zip_code
    return f"{line1}, {city}, {state} {shown}"


def _unit(code: str) -> str:
    try:
        info = cpt.lookup(code)
    except CodeError:  # a code the catalog no longer knows still has its price
        return "per unit"
    return f"each {info.unit_minutes or 15} minutes" if info.timed else "per session"


def _description(code: str) -> str:
    try:
        return cpt.describe(code)
    except CodeError:
        return "(not in the code catalog)"


def charge_master_on(fees: list[Fee], on: dt.date) -> dict[str, Fee]:
    """The charge-master row in force on ``on`` for each code (fees oldest first, as stored)."""
    in_force: dict[str, Fee] = {}
    for fee in fees:
        if fee.payer_id is None and fee.effective_from <= on:
            in_force[fee.code] = fee  # a later effective date (or a later row) replaces it
    return in_force


def _lines(fees: list[Fee], on: dt.date) -> tuple[PriceLine, ...]:
    current = charge_master_on(fees, on)
    later: dict[str, Fee] = {}
    for fee in fees:
        if fee.payer_id is None and fee.effective_from > on and fee.code not in later:
            later[fee.code] = fee  # the first change after ``on``
    lines = []
    for code in sorted(current):
        fee, upcoming = current[code], later.get(code)
        lines.append(
            PriceLine(
                code,
                _description(code),
                _unit(code),
                from_cents(fee.charge_cents),
                fee.effective_from,
                from_cents(upcoming.charge_cents) if upcoming else None,
                upcoming.effective_from if upcoming else None,
            )
        )
    return tuple(lines)


def price_list(uow: UnitOfWork, on: dt.date) -> PriceList:
    """The clinic's prices in force on ``on`` (shown whether or not the clinic publishes them)."""
    clinic = uow.clinics.identity()
    return PriceList(
        clinic.name,
        address_line(*clinic.address),
        on,
        _lines(uow.payers.fee_schedule(), on),
        uow.clinics.publishes_prices(),
    )


def public_price_list(db: Database, clinic_code: str, on: dt.date) -> PriceList | None:
    """The list anyone may read: None when no clinic has this code or the clinic hides it.

    Reads only the clinic's name and address and its charge master, acting for no user.
    """
    clinic_id = clinic_by_code(db, clinic_code)
    if clinic_id is None:
        return None
    with db.unit_of_work(clinic_id) as uow:
        if not uow.clinics.publishes_prices():
            return None
        return price_list(uow, on)


def set_publish_prices(uow: UnitOfWork, publish: bool) -> None:
    """Publish the price list at /prices or hide it (an admin's choice; audited)."""
    require_actor_role(uow, Role.ADMIN)
    if not isinstance(publish, bool):
        raise RecordError("publish price list: yes or no")
    before = uow.clinics.set_publishes_prices(publish)
    if before != publish:
        uow.audit.record(
            uow.actor_id,
            "clinic.publish_prices",
            "clinic",
            uow.clinic_id,
            {"publish_prices": before},
            {"publish_prices": publish},
        )
