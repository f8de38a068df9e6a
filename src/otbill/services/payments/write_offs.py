"""Small-balance and hardship write-offs: one person asks, with a reason; another decides.

Why a second person: writing off what a patient owes is money the clinic gives up, and a clerk
who could both ask and approve could clear any account (and a friend's). The one who asked is
barred from deciding, whatever their roles; approving needs the approver role (or admin).
An approved write-off is applied oldest first, like a payment, and is one ``write-off`` entry on
the account (negative); its parts on claim lines are kept beside the ledger (the line's patient
share less the write-off is what the patient still owes on it), never as a payer adjustment.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from otbill import clock
from otbill.domain.lifecycle import Role
from otbill.domain.patient_account import PatientEntry
from otbill.domain.payments import (
    SMALL_BALANCE_LIMIT,
    Application,
    WriteOff,
    WriteOffKind,
    allocate,
    parse_amount,
    write_off_refusal,
)
from otbill.domain.record_errors import PermissionDenied, RecordError
from otbill.services.clinic.setup import require_actor_role
from otbill.services.payments.standing import standing
from otbill.storage import UnitOfWork

__all__ = ["ask_write_off", "decide_write_off", "pending_write_offs"]


def _kind(value: str | WriteOffKind) -> WriteOffKind:
    try:
        return WriteOffKind(str(value).strip().lower())
    except ValueError:
        raise RecordError(f"kind: {value!r}: small-balance or hardship") from None


def ask_write_off(
    uow: UnitOfWork, *, patient_id: int, kind: str | WriteOffKind, amount: Decimal | str,
    reason: str, limit: Decimal = SMALL_BALANCE_LIMIT,
) -> int:  # fmt: skip
    """Ask for a write-off of ``amount`` (all the patient owes, for a small balance under the
    clinic's ``limit``); returns its id, pending a second person's decision."""
    require_actor_role(uow, Role.FRONT_DESK, Role.BILLER)
    which, money = _kind(kind), parse_amount(amount)
    uow.patients.get(patient_id)
    state = standing(uow, patient_id)
    refusal = write_off_refusal(which, money, state.owed_total, reason, limit)
    if refusal:
        raise RecordError(refusal)
    made = uow.payments.add_write_off(WriteOff(0, patient_id, which, money, reason.strip()[:300],
                                               "pending", uow.actor_id, clock.today()))  # fmt: skip
    uow.audit.record(uow.actor_id, "write_off.ask", "write_off", made, None,
                     {"patient_id": patient_id, "kind": which.value, "amount": money,
                      "reason": reason, "owed": state.owed_total})  # fmt: skip
    return made


def decide_write_off(
    uow: UnitOfWork, write_off_id: int, *, approve: bool, note: str = "",
    on: dt.date | None = None,
) -> WriteOff:  # fmt: skip
    """Approve (apply) or refuse a pending write-off, as someone other than who asked."""
    require_actor_role(uow, Role.APPROVER)
    asked = uow.payments.write_off(write_off_id, for_update=True)
    if asked.status != "pending":
        raise RecordError(f"write-off {write_off_id}: already {asked.status}")
    if uow.actor_id is not None and uow.actor_id == asked.asked_by:
        who = uow.users.get(uow.actor_id).full_name
        raise PermissionDenied(
            f"write-off {write_off_id}: you ({who}) asked for it, so someone else must decide "
            "it (separation of duties)"
        )
    on = on or clock.today()
    if approve:
        uow.payments.lock_patient(asked.patient_id)
        state = standing(uow, asked.patient_id)
        if asked.amount > state.owed_total:
            raise RecordError(
                f"write-off {write_off_id}: ${asked.amount} is more than the ${state.owed_total} "
                "the patient owes now (a payment came in since); refuse it and ask again"
            )
        pieces, _ = allocate(asked.amount, state.owed)
        for piece in pieces:
            line = piece.target_id if piece.target == "line" else None
            entry = piece.target_id if piece.target == "entry" else None
            uow.payments.add_application(Application(0, asked.patient_id, None, write_off_id,
                                                     line, entry, False, piece.amount, on))  # fmt: skip
        uow.patient_account.add(
            PatientEntry(0, asked.patient_id, "write-off", -asked.amount, on,
                         f"{asked.kind.value} write-off {write_off_id}: {asked.reason[:200]}",
                         f"pwo:{write_off_id}"),
            by_user=uow.actor_id,
        )  # fmt: skip
    status = "approved" if approve else "refused"
    uow.payments.decide_write_off(write_off_id, status=status, by=uow.actor_id, on=on,
                                  note=note.strip()[:300] or None)  # fmt: skip
    uow.audit.record(uow.actor_id, f"write_off.{status[:-1] if approve else 'refuse'}",
                     "write_off", write_off_id, {"status": "pending"},
                     {"status": status, "note": note})  # fmt: skip
    return uow.payments.write_off(write_off_id)


def pending_write_offs(uow: UnitOfWork) -> list[WriteOff]:
    """Write-offs waiting for a decision, oldest first."""
    return uow.payments.write_offs(status="pending")
