"""Payers with the clinic's contract terms, their fee schedules, and the monthly overhead.

Why checked here: a payer profile that does not exist would leave claims without billing rules;
a fee for a code that is no CPT/HCPCS code never matches a service line; days and amounts are
bounded where they enter so a typo (36500 days, a negative rate) never reaches the reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from decimal import Decimal

from otbill.codes import cpt
from otbill.domain.clinic_setup import PayerTerms
from otbill.domain.money import from_cents, to_cents
from otbill.domain.record_errors import RecordError
from otbill.errors import CodeError
from otbill.services.clinic.fields import bounded_days, required
from otbill.storage import UnitOfWork

__all__ = [
    "FeeComparison",
    "add_overhead",
    "add_payer_terms",
    "change_payer",
    "fee_comparison",
    "list_payer_terms",
    "set_fee",
]

_MOST_MONEY = Decimal("100000")  # per unit or per month: anything larger is a typo


def _checked(terms: PayerTerms, known_profiles: Iterable[str] | None) -> PayerTerms:
    name = required(terms.name, "payer name")
    if known_profiles is not None and terms.profile not in set(known_profiles):
        raise RecordError(f"payer {name}: payer profile {terms.profile!r} is not loaded")
    if terms.network not in ("in", "out"):
        raise RecordError(f"payer {name}: network status {terms.network!r} must be in or out")
    return replace(
        terms,
        name=name,
        payer_code=required(terms.payer_code, "payer ID", longest=80),
        timely_filing_days=bounded_days(terms.timely_filing_days, "timely-filing days"),
        appeal_days=bounded_days(terms.appeal_days, "appeal days"),
        contract_notes=(terms.contract_notes or "").strip()[:4000] or None,
    )


def _audit(terms: PayerTerms) -> dict[str, object]:
    values = asdict(terms)
    if terms.claim_address is not None:
        values["claim_address"] = terms.claim_address.one_line()
    return values


def add_payer_terms(
    uow: UnitOfWork, terms: PayerTerms, *, known_profiles: Iterable[str] | None = None
) -> int:
    """A new payer; the profile must be one of ``known_profiles`` when they are given."""
    checked = _checked(terms, known_profiles)
    payer_id = uow.payers.add(checked)
    uow.audit.record(uow.actor_id, "payer.create", "payer", payer_id, None, _audit(checked))
    return payer_id


def change_payer(
    uow: UnitOfWork, terms: PayerTerms, *, known_profiles: Iterable[str] | None = None
) -> None:
    before = uow.payers.terms_of(terms.id)
    checked = _checked(terms, known_profiles)
    uow.payers.change(checked)
    uow.audit.record(
        uow.actor_id, "payer.change", "payer", terms.id, _audit(before), _audit(checked)
    )


def list_payer_terms(uow: UnitOfWork) -> list[PayerTerms]:
    return uow.payers.terms()


def _amount(value: Decimal, field: str) -> int:
    if not value.is_finite() or not Decimal(0) <= value <= _MOST_MONEY:
        raise RecordError(f"{field} {value}: an amount from 0 to {_MOST_MONEY:,}")
    return to_cents(value)


def set_fee(
    uow: UnitOfWork,
    *,
    code: str,
    charge: Decimal,
    allowed: Decimal,
    effective_from: dt.date,
    payer_id: int | None = None,
) -> int:
    """The charge and the contracted (expected allowed) rate per unit of ``code``, from
    ``effective_from``, for one payer or (``payer_id`` None) the clinic's own charge master."""
    if payer_id is not None:
        uow.payers.get(payer_id)
    try:
        checked = cpt.validate(code.strip().upper())
    except CodeError as exc:
        raise RecordError(f"fee code {code!r}: {exc.reason}") from exc
    values = {
        "payer_id": payer_id,
        "code": checked,
        "effective_from": effective_from,
        "charge_cents": _amount(charge, "charge"),
        "allowed_cents": _amount(allowed, "contracted rate"),
    }
    fee_id = uow.clinics.add_fee(values)
    after = {**values, "effective_from": effective_from.isoformat()}
    uow.audit.record(uow.actor_id, "fee.create", "fee_schedule", fee_id, None, after)
    return fee_id


def add_overhead(uow: UnitOfWork, *, month: dt.date, category: str, amount: Decimal) -> int:
    """One month's cost of one category (rent, salaries...): for the cost-per-visit reports."""
    values = {
        "month": month.replace(day=1),
        "category": required(category, "overhead category", longest=80),
        "amount_cents": _amount(amount, "overhead amount"),
    }
    entry_id = uow.clinics.add_overhead(values)
    after = {**values, "month": values["month"].isoformat()}  # type: ignore[attr-defined]
    uow.audit.record(uow.actor_id, "overhead.create", "overhead_cost", entry_id, None, after)
    return entry_id


@dataclass(frozen=True, slots=True)
class FeeComparison:
    """One payer's contracted rate for a code in a year, beside the clinic's own charge."""

    code: str
    year: int
    payer: str
    contracted: Decimal  # per unit
    charge: Decimal | None  # the charge master's, in force at the start of the payer's row


def fee_comparison(uow: UnitOfWork) -> list[FeeComparison]:
    """Every payer fee row, by code, year and payer, with the charge master beside it."""
    payers = {p.id: p.name for p in uow.payers.all()}
    fees = uow.payers.fee_schedule()  # oldest effective date first
    rows = []
    for fee in fees:
        if fee.payer_id is None:
            continue
        own = [
            f for f in fees
            if f.payer_id is None and f.code == fee.code and f.effective_from <= fee.effective_from
        ]  # fmt: skip
        rows.append(
            FeeComparison(
                fee.code,
                fee.effective_from.year,
                payers.get(fee.payer_id, "?"),
                from_cents(fee.allowed_cents),
                from_cents(own[-1].charge_cents) if own else None,
            )
        )
    return sorted(rows, key=lambda r: (r.code, -r.year, r.payer))
