"""What a self-pay visit puts on the patient's account, packages sold, the household, prompt pay.

A self-pay patient's visits make no claim (claim building hands them here). For each visit:

- with a package that has visits left on the visit date (the one that runs out first): one
  ``package-use`` entry of $0 naming the package and the visits it has left; nothing charged;
- otherwise one ``self-pay-charge`` per billed line at the charge master's price on the visit date
  (:func:`otbill.services.frontdesk.price_list.charge_master_on`), and, when the clinic's sliding
  scale holds the patient's household on that date, one ``discount`` entry for the visit.

Prompt pay is a ``discount`` posted when the patient pays at the visit (:func:`prompt_pay`), its
percent from the rule in force on the visit date. Every entry has a source key: doing it twice
changes nothing. Entry kinds: :mod:`otbill.domain.patient_account`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from otbill.domain.care import Visit
from otbill.domain.lifecycle import Role
from otbill.domain.money import from_cents
from otbill.domain.patient_account import (
    DISCOUNT,
    PACKAGE_SALE,
    PACKAGE_USE,
    SELF_PAY_CHARGE,
    PatientEntry,
)
from otbill.domain.record_errors import NotFound, RecordError
from otbill.domain.self_pay import (
    PROMPT_PAY,
    Household,
    SoldPackage,
    in_force,
    package_for_visit,
    percent_of,
    poverty_percent,
    sliding_rule,
)
from otbill.services.clinic.setup import require_actor_role
from otbill.services.frontdesk.price_list import charge_master_on
from otbill.storage import UnitOfWork

__all__ = [
    "SelfPayReport",
    "charge_visits",
    "prompt_pay",
    "self_pay_account",
    "sell_package",
    "set_household",
]

MAX_INCOME_CENTS = 100_000_000_00  # a hundred million dollars a year: beyond it, a typing slip


@dataclass
class SelfPayReport:
    """What :func:`charge_visits` did: visits charged, paid by a package, or left (no price)."""

    charged: list[int] = field(default_factory=list)
    by_package: list[int] = field(default_factory=list)
    unpriced: dict[int, str] = field(default_factory=dict)  # visit id → why


def _post(uow: UnitOfWork, entry: PatientEntry) -> int:
    found = uow.patient_account.by_source_key(entry.source_key)
    if found is not None:
        return found.id
    entry_id = uow.patient_account.add(entry, by_user=uow.actor_id)
    uow.audit.record(uow.actor_id, f"patient_posting.{entry.kind}", "patient_posting", entry_id,
                     None, {"patient_id": entry.patient_id, "amount": entry.amount,
                            "on": entry.on.isoformat(), "source": entry.source,
                            "visit_id": entry.visit_id, "package_id": entry.package_id})  # fmt: skip
    return entry_id


def _money(cents: int) -> str:
    return f"${from_cents(cents):,.2f}"


def charge_visits(uow: UnitOfWork, visits: Sequence[Visit]) -> SelfPayReport:
    """Put these self-pay visits on their patients' accounts (see the module doc); visits already
    there are left as they are. A line with no price on the charge master on its date leaves its
    visit uncharged, named in the report (the price list is the clinic's to complete)."""
    report = SelfPayReport()
    done = uow.self_pay.charged_visits(v.id for v in visits)
    todo = [v for v in visits if v.id not in done]
    if not todo:
        return report
    fees = uow.payers.fee_schedule()
    lines = uow.visits.lines_by_visit([v.id for v in todo])
    rules = uow.self_pay.rules()
    packages: dict[int, list[SoldPackage]] = {}
    for p in uow.self_pay.sold({v.patient_id for v in todo}):
        packages.setdefault(p.patient_id, []).append(p)
    for visit in sorted(todo, key=lambda v: (v.date, v.id)):
        billed = [x for x in lines.get(visit.id, []) if x.units > 0]
        if not billed:
            continue
        mine = packages.get(visit.patient_id, [])
        package = package_for_visit(mine, visit.date)
        if package is not None:
            _use_package(uow, visit, package)
            mine[mine.index(package)] = replace(package, used=package.used + 1)
            report.by_package.append(visit.id)
            continue
        prices = charge_master_on(fees, visit.date)
        missing = [x.code for x in billed if x.code not in prices]
        if missing:
            report.unpriced[visit.id] = (
                f"visit {visit.date}: no price on the clinic's price list for "
                f"{', '.join(missing)} on that date"
            )
            continue
        total = 0
        for x in billed:
            price = prices[x.code].charge_cents
            total += price * x.units
            _post(uow, PatientEntry(0, visit.patient_id, SELF_PAY_CHARGE,
                                    from_cents(price * x.units), visit.date,
                                    f"visit {visit.date}: {x.code} × {x.units} at "
                                    f"{_money(price)} (price list)",
                                    f"self-pay:{visit.id}:{x.position}", visit.provider_id,
                                    visit.id))  # fmt: skip
        household = uow.self_pay.household(visit.patient_id, visit.date)
        tier = sliding_rule(rules, household, visit.date)
        if tier is not None and household is not None:
            off = percent_of(total, tier.percent_off)
            words = (f"sliding scale {tier.percent_off}% off (household of {household.size}, "
                     f"income {poverty_percent(household, tier)}% of the poverty guideline; "
                     f"rules from {tier.effective_from})")  # fmt: skip
            _post(uow, PatientEntry(0, visit.patient_id, DISCOUNT, -from_cents(off), visit.date,
                                    words, f"sliding:{visit.id}", visit.provider_id,
                                    visit.id))  # fmt: skip
        report.charged.append(visit.id)
    return report


def _use_package(uow: UnitOfWork, visit: Visit, package: SoldPackage) -> None:
    left = package.left - 1
    words = (f"visit {visit.date}: one visit of package {package.name!r} "
             f"({left} of {package.visits} left, good to {package.expires_on})")  # fmt: skip
    _post(uow, PatientEntry(0, visit.patient_id, PACKAGE_USE, Decimal("0.00"), visit.date, words,
                            f"package-use:{visit.id}", visit.provider_id, visit.id,
                            package.id))  # fmt: skip


def sell_package(uow: UnitOfWork, patient_id: int, offer_id: int, on: dt.date) -> int:
    """Sell a package the clinic offers to a self-pay patient on ``on``: its price is a
    ``package-sale`` charge; returns the sold package's id."""
    require_actor_role(uow, Role.FRONT_DESK, Role.BILLER)
    patient = uow.patients.get(patient_id)
    if patient_id not in uow.self_pay.self_pay_patients([patient_id]):
        raise RecordError(
            f"patient {patient.mrn}: not registered as self-pay; a package pays self-pay visits"
        )
    offer = uow.self_pay.offer(offer_id)
    if not offer.active:
        raise RecordError(f"package {offer.name!r}: no longer offered")
    sold_id = uow.self_pay.sell(patient_id, offer, on, by_user=uow.actor_id)
    sold = next(p for p in uow.self_pay.sold([patient_id]) if p.id == sold_id)
    words = (f"package {offer.name!r}: {offer.visits} visits for {_money(offer.price_cents)}, "
             f"good from {sold.sold_on} to {sold.expires_on}")  # fmt: skip
    _post(uow, PatientEntry(0, patient_id, PACKAGE_SALE, from_cents(offer.price_cents), on, words,
                            f"package-sale:{sold_id}", None, None, sold_id))  # fmt: skip
    return sold_id


def set_household(
    uow: UnitOfWork, patient_id: int, size: int, income_cents: int, on: dt.date
) -> Household:
    """The household's size and yearly income as told on ``on`` (for the sliding scale of visits
    from that day)."""
    require_actor_role(uow, Role.FRONT_DESK, Role.BILLER)
    uow.patients.get(patient_id)
    if not 1 <= size <= 30:
        raise RecordError(f"household size {size}: the people in the household, 1 to 30")
    if not 0 <= income_cents <= MAX_INCOME_CENTS:
        raise RecordError("household income: the household's yearly income in dollars, 0 or more")
    household = Household(size, income_cents, on)
    uow.self_pay.set_household(patient_id, household, by_user=uow.actor_id)
    uow.audit.record(uow.actor_id, "self-pay.household", "patient", patient_id, None,
                     {"size": size, "income": str(from_cents(income_cents)),
                      "on": on.isoformat()})  # fmt: skip
    return household


def prompt_pay(
    uow: UnitOfWork, visit_id: int, paid_on: dt.date, *, patient_id: int | None = None
) -> int | None:
    """The patient paid at the visit: the prompt-pay discount of the rule in force on the visit
    date, on what the visit's charges come to after any sliding scale; returns the entry's id
    (None when no prompt-pay rule is in force). Refused when not paid on the visit's day."""
    require_actor_role(uow, Role.FRONT_DESK, Role.BILLER)
    visit = uow.visits.get(visit_id)
    if patient_id is not None and visit.patient_id != patient_id:
        raise NotFound("visit", visit_id)
    if paid_on != visit.date:
        raise RecordError(
            f"visit {visit.date}: prompt pay is for paying at the visit, not on {paid_on}"
        )
    mine = [
        e for e in uow.patient_account.of_patients([visit.patient_id]) if e.visit_id == visit_id
    ]
    owed = sum((e.amount for e in mine if e.kind in (SELF_PAY_CHARGE, DISCOUNT)), Decimal("0"))
    if not any(e.kind == SELF_PAY_CHARGE for e in mine):
        raise RecordError(f"visit {visit.date}: no self-pay charges on it to discount")
    rule = in_force(uow.self_pay.rules(), PROMPT_PAY, visit.date)
    if not rule or not rule[0].percent_off:
        return None
    key = f"prompt-pay:{visit_id}"
    found = uow.patient_account.by_source_key(key)
    if found is not None:
        return found.id
    off = from_cents(percent_of(int(owed * 100), rule[0].percent_off))
    words = (f"prompt pay {rule[0].percent_off}% off (paid at the visit; rule from "
             f"{rule[0].effective_from})")  # fmt: skip
    return _post(uow, PatientEntry(0, visit.patient_id, DISCOUNT, -off, visit.date, words, key,
                                   visit.provider_id, visit_id))  # fmt: skip


def self_pay_account(uow: UnitOfWork, patient_id: int, on: dt.date) -> dict[str, object]:
    """What the patient page shows: self-pay entries (charges, discounts, packages) newest first,
    their total, the packages with visits left, the household on file."""
    kinds = (SELF_PAY_CHARGE, DISCOUNT, PACKAGE_SALE, PACKAGE_USE)
    patient = uow.patients.get(patient_id)
    entries = [e for e in uow.patient_account.of_patients([patient_id]) if e.kind in kinds]
    packages = uow.self_pay.sold([patient_id])
    discounted = {e.visit_id for e in entries if e.source_key.startswith("prompt-pay:")}
    charged: dict[int, dt.date] = {}
    for e in entries:
        if e.kind == SELF_PAY_CHARGE and e.visit_id is not None:
            charged[e.visit_id] = e.on
    return {
        "patient": {
            "id": patient.id,
            "mrn": patient.mrn,
            "name": f"{patient.first_name} {patient.last_name}",
        },
        "prompt_pay_visits": [(v, on) for v, on in charged.items() if v not in discounted],
        "self_pay": patient_id in uow.self_pay.self_pay_patients([patient_id]),
        "entries": list(reversed(entries)),
        "total": sum((e.amount for e in entries), Decimal("0.00")),
        "packages": packages,
        "usable": [p for p in packages if p.left and p.expires_on >= on],
        "household": uow.self_pay.household(patient_id, on),
        "offers": [o for o in uow.self_pay.offers() if o.active],
    }
