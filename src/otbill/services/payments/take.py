"""Taking a payment, giving a refund, applying credit held; ``payments_of`` for statements.

A payment is applied oldest first unless the clerk picks the items (or it is a copay taken at a
visit's check-in: then it waits, as credit, for that visit's own claim lines). Each part on a
claim line is a patient-side payment posting in the ledger (source key ``ppay:<payment>:<line>``);
what goes to account entries and what is left over as credit is one account entry of kind
``payment`` (negative, source key ``ppay:<payment>``). Applying credit later moves it: a ledger
payment on the line (``pcredit:<application>``) and a ``credit-applied`` entry that takes the
same sum back off the credit, so the account's total does not move. A refund gives back credit
only (``refund``, positive). Every step is audited.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from otbill import clock
from otbill.domain.ledger import Kind
from otbill.domain.lifecycle import Role
from otbill.domain.patient_account import PatientEntry
from otbill.domain.payments import (
    Application,
    Method,
    Owed,
    Payment,
    Piece,
    allocate,
    check_card_reference,
    parse_amount,
)
from otbill.domain.record_errors import RecordError
from otbill.services.clinic.setup import require_actor_role
from otbill.services.ledger import LedgerEntry, post
from otbill.services.payments.standing import Standing, standing
from otbill.storage import UnitOfWork

__all__ = [
    "Taken",
    "apply_credit",
    "copay_due",
    "payments_of",
    "refund",
    "take_payment",
]

ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Taken:
    """What a payment did: its id, the parts applied, the credit left from it, and the account
    afterwards."""

    payment_id: int
    pieces: tuple[Piece, ...]
    credit: Decimal
    after: Standing


def payments_of(uow: UnitOfWork, patient_id: int, since: dt.date | None = None) -> list[Payment]:
    """The patient's payments and refunds received on or after ``since`` (all when None),
    oldest first. ``Payment.kind`` is ``payment`` or ``refund``; ``amount`` is never negative;
    ``how`` says the method in words (``card ending 4242, reference A1``). What each payment was
    applied to: ``uow.payments.applications(payment_id=...)`` or :func:`receipts.receipt_of`."""
    return uow.payments.of_patient(patient_id, since)


def _method(value: str | Method) -> Method:
    try:
        return Method(str(value).strip().lower())
    except ValueError:
        raise RecordError(f"method: {value!r}: cash, check or card") from None


def _check_place(uow: UnitOfWork, patient_id: int, location_id: int | None,
                 visit_id: int | None) -> None:  # fmt: skip
    if location_id is not None and location_id not in {loc.id for loc in uow.clinics.locations()}:
        raise RecordError(f"location {location_id}: not one of the clinic's locations")
    if visit_id is not None and uow.visits.get(visit_id).patient_id != patient_id:
        raise RecordError(f"visit {visit_id}: a visit of another patient")


def _apply(uow: UnitOfWork, patient_id: int, pieces: Sequence[Piece], on: dt.date, *,
           payment_id: int | None, from_credit: bool) -> tuple[Decimal, int]:  # fmt: skip
    """Write the pieces; returns what went on claim lines (the ledger's part) and the last
    application's id."""
    on_lines, made = ZERO, 0
    for piece in pieces:
        line = piece.target_id if piece.target == "line" else None
        entry = piece.target_id if piece.target == "entry" else None
        made = uow.payments.add_application(Application(
            0, patient_id, payment_id, None, line, entry, from_credit, piece.amount, on))  # fmt: skip
        if line is not None:
            key = f"pcredit:{made}" if from_credit else f"ppay:{payment_id}:{line}"
            post(uow, LedgerEntry(key, Kind.PAYMENT, line, piece.amount, payer_side=False), on)
            on_lines += piece.amount
    return on_lines, made


def _visit_keys(state: Standing, visit_id: int) -> list[str]:
    return [o.key for o in state.owed if o.visit_id == visit_id]


def take_payment(
    uow: UnitOfWork,
    *,
    patient_id: int,
    amount: Decimal | str,
    method: Method | str,
    reference: str = "",
    last4: str = "",
    received_on: dt.date | None = None,
    location_id: int | None = None,
    visit_id: int | None = None,
    apply_to: Sequence[str] | None = None,
) -> Taken:
    """Take a payment from the patient and apply it (see the module's docstring).

    ``apply_to``: the owed items' keys (``line:<id>``, ``entry:<id>``) in the order to pay them;
    None pays oldest first, or, with ``visit_id`` (a copay at check-in), that visit's items only.
    """
    require_actor_role(uow, Role.FRONT_DESK, Role.BILLER)
    money = parse_amount(amount)
    how = _method(method)
    ref, last = check_card_reference(how, reference, last4)
    on = received_on or clock.today()
    uow.payments.lock_patient(patient_id)
    _check_place(uow, patient_id, location_id, visit_id)
    before = standing(uow, patient_id)
    chosen = list(apply_to) if apply_to is not None else None
    if chosen is None and visit_id is not None:
        chosen = _visit_keys(before, visit_id)
    pieces, credit = allocate(money, before.owed, chosen)
    payment = Payment(0, patient_id, "payment", how, money, on, ref, last, None, location_id,
                      visit_id, uow.actor_id)  # fmt: skip
    payment_id = uow.payments.add(payment)
    on_lines, _ = _apply(uow, patient_id, pieces, on, payment_id=payment_id, from_credit=False)
    if credit > 0:
        uow.payments.add_application(Application(
            0, patient_id, payment_id, None, None, None, False, credit, on))  # fmt: skip
    to_account = money - on_lines
    if to_account > 0:
        uow.patient_account.add(
            PatientEntry(0, patient_id, "payment", -to_account, on,
                         f"payment {payment_id}: {payment.how}", f"ppay:{payment_id}"),
            by_user=uow.actor_id,
        )  # fmt: skip
    uow.audit.record(uow.actor_id, "patient_payment.take", "patient_payment", payment_id, None,
                     {"patient_id": patient_id, "amount": money, "method": how.value,
                      "reference": ref, "card_last4": last, "received_on": on.isoformat(),
                      "location_id": location_id, "visit_id": visit_id,
                      "applied": {p.key: p.amount for p in pieces}, "credit": credit})  # fmt: skip
    return Taken(payment_id, tuple(pieces), credit, standing(uow, patient_id))


def _held(uow: UnitOfWork, patient_id: int) -> dict[int, Decimal]:
    """Credit still held from each payment (its credit part less what was applied from it)."""
    held: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for a in uow.payments.applications(patient_id=patient_id):
        if a.payment_id is None:
            continue
        if a.is_credit and not a.from_credit:
            held[a.payment_id] += a.amount
        elif a.from_credit:
            held[a.payment_id] -= a.amount
    return {k: v for k, v in held.items() if v > 0}


def apply_credit(
    uow: UnitOfWork, patient_id: int, *, on: dt.date | None = None,
    apply_to: Sequence[str] | None = None,
) -> list[Piece]:  # fmt: skip
    """Apply the patient's credit to what they owe now; returns the parts applied.

    A copay taken at check-in goes to its own visit's items first (once the visit is billed and
    its share is the patient's); other credit oldest first, or to ``apply_to`` in that order.
    A copay whose visit owes nothing yet stays held for it.
    """
    require_actor_role(uow, Role.FRONT_DESK, Role.BILLER)
    on = on or clock.today()
    uow.payments.lock_patient(patient_id)
    state = standing(uow, patient_id)
    if state.credit <= 0 or not state.owed:
        return []
    held = _held(uow, patient_id)
    payments = {p.id: p for p in uow.payments.of_patient(patient_id) if p.id in held}
    left = state.credit
    done: list[Piece] = []
    owed: dict[str, Owed] = {o.key: o for o in state.owed}
    waiting = ZERO  # copays held for visits not billed yet
    for pid, amount in sorted(held.items()):
        visit = payments[pid].visit_id
        if visit is None:
            continue
        keys = [k for k in _visit_keys(state, visit) if owed[k].amount > 0]
        budget = min(amount, left)
        if not keys:
            waiting += budget
            continue
        pieces, _ = allocate(budget, [owed[k] for k in keys], keys) if budget > 0 else ([], ZERO)
        _finish(uow, patient_id, pieces, on, pid, owed, done)
        left -= sum((p.amount for p in pieces), ZERO)
    left -= min(waiting, left)
    if left > 0:
        rest = [o for o in owed.values() if o.amount > 0]
        chosen = list(apply_to) if apply_to is not None else None
        pieces, _ = allocate(left, rest, chosen)
        _finish(uow, patient_id, pieces, on, None, owed, done)
    if done:
        uow.audit.record(uow.actor_id, "patient_payment.apply-credit", "patient", patient_id,
                         {"credit": state.credit},
                         {"applied": {p.key: p.amount for p in done}})  # fmt: skip
    return done


def _finish(uow: UnitOfWork, patient_id: int, pieces: list[Piece], on: dt.date,
            payment_id: int | None, owed: dict[str, Owed], done: list[Piece]) -> None:  # fmt: skip
    if not pieces:
        return
    on_lines, last = _apply(uow, patient_id, pieces, on, payment_id=payment_id, from_credit=True)
    if on_lines > 0:
        uow.patient_account.add(
            PatientEntry(0, patient_id, "credit-applied", on_lines, on,
                         "credit applied to claim lines", f"pcredit:{last}:account"),
            by_user=uow.actor_id,
        )  # fmt: skip
    for piece in pieces:
        owed[piece.key] = dataclasses.replace(owed[piece.key],
                                              amount=owed[piece.key].amount - piece.amount)  # fmt: skip
    done.extend(pieces)


def refund(
    uow: UnitOfWork,
    *,
    patient_id: int,
    amount: Decimal | str,
    method: Method | str,
    reason: str,
    reference: str = "",
    last4: str = "",
    on: dt.date | None = None,
    location_id: int | None = None,
) -> int:
    """Give back part or all of the patient's credit (a check, cash, or back to the card);
    returns the refund's id. Refused when the patient has less credit than asked."""
    require_actor_role(uow, Role.BILLER)
    money = parse_amount(amount)
    how = _method(method)
    ref, last = check_card_reference(how, reference, last4)
    if not reason.strip():
        raise RecordError("reason: a refund needs a reason in words")
    on = on or clock.today()
    uow.payments.lock_patient(patient_id)
    patient = uow.patients.get(patient_id)
    _check_place(uow, patient_id, location_id, None)
    state = standing(uow, patient_id)
    if money > state.credit:
        raise RecordError(
            f"amount {money}: {patient.first_name} {patient.last_name} has ${state.credit} of "
            "credit; a refund gives back credit only"
        )
    refund_id = uow.payments.add(Payment(0, patient_id, "refund", how, money, on, ref, last,
                                         reason.strip()[:300], location_id, None, uow.actor_id))  # fmt: skip
    uow.patient_account.add(
        PatientEntry(0, patient_id, "refund", money, on, f"refund {refund_id}: {reason[:200]}",
                     f"prefund:{refund_id}"),
        by_user=uow.actor_id,
    )  # fmt: skip
    uow.audit.record(uow.actor_id, "patient_payment.refund", "patient_payment", refund_id,
                     {"credit": state.credit},
                     {"patient_id": patient_id, "amount": money, "method": how.value,
                      "reference": ref, "card_last4": last, "reason": reason,
                      "on": on.isoformat()})  # fmt: skip
    return refund_id


def copay_due(uow: UnitOfWork, visit_id: int) -> Decimal | None:
    """The in-network copay of the visit's coverage from its last verified 271 (None when the
    answer on record says none): what the check-in screen offers to collect."""
    visit = uow.visits.get(visit_id)
    if visit.coverage_id is None:  # self-pay: no insurance, no copay (the charges are owed)
        return None
    coverage = uow.patients.coverage(visit.coverage_id)
    check = uow.eligibility.latest(coverage.id)
    if check is None or check.active is not True:
        return None
    if check.checked_on != coverage.eligibility_verified_on:
        return None
    summary = check.benefits.get("summary")
    copay = summary.get("copay") if isinstance(summary, dict) else None
    if not isinstance(copay, dict):
        return None
    value = copay.get("in_network") or copay.get("out_of_network")
    try:
        amount = Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None
    return amount.quantize(Decimal("0.01")) if amount and amount > 0 else None
