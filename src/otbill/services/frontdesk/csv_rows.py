"""One row of an import file -> one call of the front desk's own service.

Why call the services and not write rows here: a patient imported from the old system must pass
the same checks as one registered at the desk (birth date, address, member ID format, NPI check
digit, supervising therapist), so each function below only reads the row's text into the
service's input and calls it. A problem is a :class:`RowProblem` naming the column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from otbill.domain.clinic_setup import ProviderDetails
from otbill.domain.record_errors import ConstraintViolation, RecordError
from otbill.domain.registration import Registration
from otbill.errors import CodeError
from otbill.payers import PayerProfile
from otbill.services.clinic.providers import add_provider_details
from otbill.services.frontdesk.coverage import CoverageDetails, Subscriber, enrol
from otbill.services.frontdesk.registration import PatientDetails, register_patient
from otbill.services.patient_account import MAX_OPENING_BALANCE, post_opening_balance
from otbill.storage import UnitOfWork

__all__ = ["COLUMNS", "ImportContext", "RowProblem", "import_row"]

Row = Mapping[str, str]

#: Each kind's columns: the required ones first, then the optional ones (docs/import.md).
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "patients": (
        ("old_id", "first_name", "last_name", "dob", "sex"),
        ("address_line1", "city", "state", "zip", "phone", "email", "preferred_name",
         "preferred_language", "consent_on", "benefits_assigned_on", "self_pay"),
    ),
    "coverages": (
        ("old_id", "old_patient_id", "payer_code", "member_id", "effective_from"),
        ("effective_to", "priority", "relationship", "group_number", "network", "plan_name",
         "copay", "coinsurance_percent", "deductible", "subscriber_first_name",
         "subscriber_last_name", "subscriber_dob", "subscriber_sex", "subscriber_address_line1",
         "subscriber_city", "subscriber_state", "subscriber_zip"),
    ),
    "providers": (
        ("old_id", "npi", "first_name", "last_name", "credential", "taxonomy"),
        ("supervisor_old_id", "license_state", "license_number", "hired_on", "terminated_on"),
    ),
    "balances": (("old_id", "old_patient_id", "amount", "as_of"), ("old_provider_id",)),
    "appointments": (
        ("old_id", "old_patient_id", "date", "start", "minutes"),
        ("old_provider_id", "provider_npi", "visit_type", "location", "old_coverage_id", "note"),
    ),
}  # fmt: skip

#: Which column a service's message is about, by the message's first words.
_BLAME = (
    ("legal name", "first_name"), ("first name", "first_name"), ("last name", "last_name"),
    ("date of birth", "dob"), ("sex", "sex"),
    ("address", "address_line1"), ("email", "email"), ("phone", "phone"),
    ("preferred name", "preferred_name"), ("preferred language", "preferred_language"),
    ("consent on", "consent_on"), ("benefits assigned on", "benefits_assigned_on"),
    ("member id", "member_id"), ("priority", "priority"), ("termination date", "effective_to"),
    ("network", "network"), ("subscriber relationship", "relationship"),
    ("subscriber address", "subscriber_address_line1"), ("subscriber date", "subscriber_dob"),
    ("subscriber", "subscriber_first_name"), ("coinsurance", "coinsurance_percent"),
    ("copay", "copay"), ("deductible", "deductible"), ("plan name", "plan_name"),
    ("provider npi", "npi"), ("provider first name", "first_name"),
    ("provider last name", "last_name"), ("provider taxonomy", "taxonomy"),
)  # fmt: skip
_PROVIDER_BLAME = (
    ("credential", "credential"), ("supervis", "supervisor_old_id"),
    ("licence state", "license_state"), ("termination date", "terminated_on"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why one row was refused: the row as a spreadsheet numbers it (the header is row 1)."""

    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class _Refused(RecordError):
    def __init__(self, column: str | None, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(slots=True)
class ImportContext:
    """What every row of one import shares: the unit of work, the IDs already mapped."""

    uow: UnitOfWork
    digest: str
    today: dt.date
    profiles: Mapping[str, PayerProfile]
    old_system: str = "the old system"
    mapped: dict[str, dict[str, int]] = field(default_factory=dict)


def _text(row: Row, column: str) -> str:
    return (row.get(column) or "").strip()


def _date(row: Row, column: str) -> dt.date | None:
    value = _text(row, column)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Refused(column, f"{value!r} is not a date; write it as YYYY-MM-DD") from None


def _needed(row: Row, column: str) -> str:
    value = _text(row, column)
    if not value:
        raise _Refused(column, "is empty; it is required")
    return value


def _needed_date(row: Row, column: str) -> dt.date:
    _needed(row, column)
    found = _date(row, column)
    assert found is not None
    return found


def _decimal(row: Row, column: str) -> Decimal | None:
    value = _text(row, column).replace("$", "").replace(",", "")
    if not value:
        return None
    try:
        amount = Decimal(value)
        whole_cents = amount.is_finite() and amount == amount.quantize(Decimal("0.01"))
    except InvalidOperation:  # not a number, or too large to hold in cents
        whole_cents = False
    if not whole_cents:
        raise _Refused(column, f"{value!r} is not an amount in dollars and cents, such as 25.00")
    return amount


def _int(row: Row, column: str, default: int | None = None) -> int | None:
    value = _text(row, column)
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > 6:  # "²" passes isdigit alone
        raise _Refused(column, f"{value!r} is not a whole number")
    return int(value)


def _address(row: Row, prefix: str = "") -> tuple[str, str, str, str] | None:
    parts = tuple(_text(row, prefix + c) for c in ("address_line1", "city", "state", "zip"))
    return parts if any(parts) else None  # type: ignore[return-value]


def _old(ctx: ImportContext, kind: str, row: Row, column: str) -> int:
    old_id = _needed(row, column)
    found = ctx.mapped.get(kind, {}).get(old_id)
    if found is None:
        raise _Refused(column, f"no {kind[:-1]} with old ID {old_id!r} was imported; import "
                       f"the {kind} file first")  # fmt: skip
    return found


def _old_if_given(ctx: ImportContext, kind: str, row: Row, column: str) -> int | None:
    return _old(ctx, kind, row, column) if _text(row, column) else None


def _patient(ctx: ImportContext, row: Row, number: int) -> int:
    registration = Registration(
        preferred_name=_text(row, "preferred_name") or None,
        phone=_text(row, "phone") or None,
        email=_text(row, "email") or None,
        preferred_language=_text(row, "preferred_language") or None,
        consent_on=_date(row, "consent_on"),
        benefits_assigned_on=_date(row, "benefits_assigned_on"),
        self_pay=_text(row, "self_pay").lower() in ("y", "yes", "true", "1"),
    )
    details = PatientDetails(
        _text(row, "first_name"), _text(row, "last_name"), _needed_date(row, "dob"),
        _text(row, "sex").upper(), _address(row), registration,
    )  # fmt: skip
    # the old system kept them apart: namesakes born the same day are two patients there too
    return register_patient(ctx.uow, details, today=ctx.today, duplicate_acknowledged=True)


def _coverage(ctx: ImportContext, row: Row, number: int) -> int:
    patient_id = _old(ctx, "patients", row, "old_patient_id")
    payer = ctx.uow.payers.by_code(_needed(row, "payer_code"))
    if payer is None:
        raise _Refused("payer_code", f"no payer with payer ID {_text(row, 'payer_code')!r} "
                       "here; add the payer first")  # fmt: skip
    subscriber = None
    if _text(row, "subscriber_last_name"):
        subscriber = Subscriber(
            _text(row, "subscriber_first_name"), _text(row, "subscriber_last_name"),
            _needed_date(row, "subscriber_dob"), _text(row, "subscriber_sex").upper() or "U",
            _address(row, "subscriber_"),
        )  # fmt: skip
    details = CoverageDetails(
        payer_id=payer.id, member_id=_needed(row, "member_id"),
        effective_from=_needed_date(row, "effective_from"),
        effective_to=_date(row, "effective_to"), priority=_int(row, "priority", 1) or 0,
        relationship=_text(row, "relationship").lower() or "self", subscriber=subscriber,
        group_number=_text(row, "group_number") or None,
        network=_text(row, "network").lower() or "in", plan_name=_text(row, "plan_name") or None,
        copay=_decimal(row, "copay"), coinsurance_percent=_int(row, "coinsurance_percent"),
        deductible=_decimal(row, "deductible"),
    )  # fmt: skip
    return enrol(ctx.uow, patient_id, details, ctx.profiles)


def _provider(ctx: ImportContext, row: Row, number: int) -> int:
    details = ProviderDetails(
        0, _needed(row, "npi"), _text(row, "first_name"), _text(row, "last_name"),
        _text(row, "credential").upper(), _text(row, "taxonomy"),
        _old_if_given(ctx, "providers", row, "supervisor_old_id"), None,
        _text(row, "license_state") or None, _text(row, "license_number") or None,
        _date(row, "hired_on"), _date(row, "terminated_on"),
    )  # fmt: skip
    return add_provider_details(ctx.uow, details)


def _balance(ctx: ImportContext, row: Row, number: int) -> int:
    """An opening balance: an entry on the patient's account with its source, no claim."""
    patient_id = _old(ctx, "patients", row, "old_patient_id")
    amount, as_of = _decimal(row, "amount"), _needed_date(row, "as_of")
    if amount is None or amount == 0 or not -MAX_OPENING_BALANCE <= amount <= MAX_OPENING_BALANCE:
        raise _Refused("amount", "needs the amount owed (negative for a credit), not 0, "
                       f"at most {MAX_OPENING_BALANCE} either way")  # fmt: skip
    if as_of > ctx.today:
        raise _Refused("as_of", f"{as_of} is after today ({ctx.today})")
    source = (f"opening balance from {ctx.old_system}: import file {ctx.digest[:12]}, row "
              f"{number}, old ID {_text(row, 'old_id')}")  # fmt: skip
    entry_id, _ = post_opening_balance(
        ctx.uow, patient_id=patient_id, amount=amount, on=as_of, source=source,
        source_key=f"import:{ctx.digest}:{number}",
        provider_id=_old_if_given(ctx, "providers", row, "old_provider_id"),
    )  # fmt: skip
    return entry_id


_HANDLERS: dict[str, Callable[[ImportContext, Row, int], int]] = {
    "patients": _patient, "coverages": _coverage, "providers": _provider, "balances": _balance,
}  # fmt: skip


def _blamed(kind: str, message: str) -> str | None:
    lowered = message.lower()
    if kind == "providers":  # "provider Rita Cole: credential 'XX' must be ..." names it inside
        for word, column in _PROVIDER_BLAME:
            if word in lowered:
                return column
    for start, column in _BLAME:
        if lowered.startswith(start):
            return column
    return None


def _handler(kind: str) -> Callable[[ImportContext, Row, int], int]:
    if kind == "appointments":  # imported here: that module builds on this one's cell readers
        from otbill.services.frontdesk.csv_appointments import import_appointment

        return import_appointment
    return _HANDLERS[kind]


def import_row(ctx: ImportContext, kind: str, row: Row, number: int) -> int | RowProblem:
    """Import one row through its service: the new record's id, or why the row was refused."""
    try:
        return _handler(kind)(ctx, row, number)
    except _Refused as exc:
        return RowProblem(number, exc.column, str(exc))
    except ConstraintViolation:
        raise  # the database refused a write: the transaction is gone, the import stops
    except (RecordError, CodeError) as exc:  # a refused record, or a malformed code (NPI)
        return RowProblem(number, _blamed(kind, str(exc)), str(exc))
