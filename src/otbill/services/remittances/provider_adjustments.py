"""Provider-level adjustments (835 PLB): queued with their amount, posted when the biller says so.

A PLB is money between the payer and the clinic that belongs to no claim: interest for a late
payment (L6) adds to the deposit; an overpayment taken back (WO) takes from it. The X12 835
(005010X221A1) balances each payment as BPR02 = the claim payments (CLP04) − the PLB amounts
(PLB04, 06, ... 14, one per PLB03, 05, ... 13 reason:reference pair).

Posting an 835 queues each PLB as a work item of kind ``PLB`` whose amount is its effect on the
payment (PLB04 negated), so the queue and the remittance page show what it is worth. The biller
checks it (is the recovery for a claim we know? is the interest right?) and posts it: a
provider-level posting (``uow.ledger.add_provider_posting``), audited, and the item resolved.
Then claim payments + provider-level postings = the check or EFT amount.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from otbill.domain.money import from_cents, to_cents
from otbill.domain.record_errors import RecordError
from otbill.domain.remittance import ProviderAdjustment
from otbill.services.exchange.files import add_work_item
from otbill.storage import UnitOfWork

__all__ = ["PLB_KIND", "post_provider_adjustment", "queue_provider_adjustment"]

PLB_KIND = "PLB"
_CENT = Decimal("0.01")

#: PLB03-1 adjustment reason codes (X12 835 005010X221A1, PLB03-1 code list), in plain words.
REASONS = {
    "50": "late charge",
    "51": "interest penalty charge",
    "72": "authorized return",
    "90": "early payment allowance",
    "B2": "rebate",
    "CS": "adjustment",
    "FB": "forwarding balance",
    "IR": "IRS withholding",
    "J1": "nonreimbursable",
    "L3": "penalty",
    "L6": "interest owed",
    "WO": "overpayment recovery",
    "WU": "unspecified recovery",
}


def _words(plb: ProviderAdjustment) -> str:
    what = REASONS.get(plb.reason, "provider-level adjustment")
    return f"{plb.reason} ({what})" + (f", reference {plb.reference}" if plb.reference else "")


def queue_provider_adjustment(
    uow: UnitOfWork, source_key: str, plb: ProviderAdjustment, remittance_id: int
) -> bool:
    """Queue one PLB with its effect on the payment (once per key); returns whether it was new."""
    effect = -plb.amount.quantize(_CENT)
    sense = "adds" if effect >= 0 else "takes"
    reason = (
        f"provider-level adjustment {_words(plb)}: {sense} {abs(effect)} "
        f"{'to' if effect >= 0 else 'from'} the payment; post it to the ledger once checked"
    )
    return add_work_item(
        uow,
        source_key,
        kind=PLB_KIND,
        reference=f"PLB {plb.reason} {plb.reference}".strip(),
        reason=reason,
        remittance_id=remittance_id,
        paid_cents=to_cents(effect),
    )


def post_provider_adjustment(uow: UnitOfWork, item_id: int, on: dt.date) -> Decimal:
    """Post a queued PLB to the ledger and resolve its work item; returns its effect on the
    payment. :class:`RecordError` when the item is not an open PLB of this clinic."""
    item = uow.exchange.open_work_item(item_id)  # NotFound: not this clinic's
    if item is None:
        raise RecordError(f"work item {item_id} is resolved already; nothing posted")
    if item.kind != PLB_KIND:
        raise RecordError(f"work item {item_id} is not a provider-level adjustment (PLB)")
    posted = uow.ledger.add_provider_posting(
        source_key=f"{item.source_key}:post"[-200:],
        remittance_id=item.remittance_id,
        work_item_id=item.id,
        reference=item.reference,
        amount_cents=item.paid_cents,
        on=on,
        by_user=uow.actor_id,
    )
    uow.exchange.resolve_work_item(item.id)
    amount = from_cents(item.paid_cents)
    after = {"reference": item.reference, "amount": amount, "remittance_id": item.remittance_id,
             "work_item_id": item.id, "source_key": posted.source_key}  # fmt: skip
    uow.audit.record(uow.actor_id, "posting.provider", "provider_posting", posted.id, None, after)
    uow.audit.record(uow.actor_id, "edi.work_item.resolve", "edi_work_item", item.id,
                     {"resolved": False}, {"resolved": True, "by": "posted to the ledger"})  # fmt: skip
    return amount
