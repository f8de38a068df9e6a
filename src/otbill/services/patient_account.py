"""A patient's account: entries that belong to no claim, and what the patient owes in all.

Why apart from the claim ledger (:mod:`otbill.services.ledger`): an opening balance brought over
from the old system was billed and adjudicated there; it has no claim, no payer and no line here.
Its entry carries its source (file, row, old ID) and, like a ledger posting, a source key that
makes posting it again change nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from otbill.domain.patient_account import OPENING_BALANCE, PatientAccount, PatientEntry
from otbill.domain.record_errors import RecordError
from otbill.services.ledger import balances
from otbill.storage import UnitOfWork

__all__ = ["MAX_OPENING_BALANCE", "account_of", "post_opening_balance"]

# an account balance above a million dollars is a typing slip in an old system's export
MAX_OPENING_BALANCE = Decimal("1000000")


def post_opening_balance(
    uow: UnitOfWork,
    *,
    patient_id: int,
    amount: Decimal,
    on: dt.date,
    source: str,
    source_key: str,
    provider_id: int | None = None,
) -> tuple[int, bool]:
    """What the patient owed (or, negative, was owed) in the old system on ``on``; returns
    (entry id, created). A source key already posted is a no-op."""
    if amount == 0 or not -MAX_OPENING_BALANCE <= amount <= MAX_OPENING_BALANCE:
        raise RecordError(
            f"amount {amount}: an amount owed (or, negative, a credit), not 0, at most "
            f"{MAX_OPENING_BALANCE} either way"
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise RecordError(f"amount {amount}: dollars and cents, at most two decimals")
    found = uow.patient_account.by_source_key(source_key)
    if found is not None:
        return found.id, False
    uow.patients.get(patient_id)
    if provider_id is not None:
        uow.providers.get(provider_id)
    entry = PatientEntry(0, patient_id, OPENING_BALANCE, amount, on, source[:300], source_key,
                         provider_id)  # fmt: skip
    entry_id = uow.patient_account.add(entry, by_user=uow.actor_id)
    uow.audit.record(uow.actor_id, "patient_posting.opening-balance", "patient_posting",
                     entry_id, None,
                     {"patient_id": patient_id, "amount": amount, "on": on.isoformat(),
                      "source": entry.source, "source_key": source_key})  # fmt: skip
    return entry_id, True


def account_of(uow: UnitOfWork, patient_id: int) -> PatientAccount:
    """The patient's entries and the patient responsibility left on their claims."""
    entries = tuple(uow.patient_account.of_patients([patient_id]))
    owed = balances(uow, patient_id=patient_id).by_patient.get(patient_id)
    claims = owed.patient_balance if owed is not None else Decimal("0.00")
    return PatientAccount(patient_id, entries, claims)
