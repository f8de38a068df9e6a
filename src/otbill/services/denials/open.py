"""Opening a denial from an 835: its codes, the amount denied, and the appeal deadline.

Appeal deadlines: Medicare's first level (redetermination) must be filed within **120 days** of
receiving the initial determination (42 CFR 405.942(a)); we count from the remittance's payment date
(BPR16), the day the 835 says the decision was issued. Other payers' limits are contract-specific
and the payer profile has no field for them yet, so otbill uses **180 days**, a common commercial
limit, and the denial shows the date so a biller can correct it for a stricter contract.

Each new denial looks again at the payer's recent denials: one that recurred is proposed as a
prevention check (:mod:`otbill.services.denials.prevention`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from otbill.domain.appeals import Denial
from otbill.domain.money import from_cents, to_cents
from otbill.domain.remittance import ClaimPayment
from otbill.services.denials.prevention import propose_checks, propose_for_denials
from otbill.services.remittances.plan import DeniedAmount
from otbill.storage import UnitOfWork

__all__ = [
    "MEDICARE_APPEAL_DAYS",
    "OTHER_APPEAL_DAYS",
    "NewDenial",
    "appeal_deadline",
    "denial_of",
    "open_denial",
    "open_denials",
]  # fmt: skip

MEDICARE_APPEAL_DAYS = 120
OTHER_APPEAL_DAYS = 180


def appeal_deadline(profile: str, decided_on: dt.date) -> dt.date:
    days = MEDICARE_APPEAL_DAYS if profile.lower().startswith("medicare") else OTHER_APPEAL_DAYS
    return decided_on + dt.timedelta(days=days)


def _remarks(payment: ClaimPayment) -> list[str]:
    seen: dict[str, None] = dict.fromkeys(payment.remarks)
    for svc in payment.services:
        seen.update(dict.fromkeys(svc.remarks))
    return list(seen)


def denial_of(
    claim_id: int,
    payment: ClaimPayment,
    denied: Sequence[DeniedAmount],
    line_ids: Mapping[int, int],
    *,
    remittance_id: int,
    decided_on: dt.date,
    profile: str,
) -> tuple[Denial, dict[str, Any]]:
    """The denial a claim payment opens (not yet stored: its ``id`` is 0), and its audit
    row's after-image."""
    main = max(denied, key=lambda d: d.amount, default=None)
    amount = sum((d.amount for d in denied), from_cents(0))
    if not denied:  # CLP02 4 with only contractual or patient adjustments: the unpaid charge
        amount = payment.charge - payment.paid
    lines = {d.position for d in denied if d.position is not None}
    remarks = _remarks(payment)
    codes = [
        {"group": d.group, "carc": d.carc, "amount": str(d.amount), "line": d.position}
        for d in denied
    ]
    one_line = len(lines) == 1 and all(d.position is not None for d in denied)
    deadline = appeal_deadline(profile, decided_on)
    after = {"claim_id": claim_id, "amount": amount, "codes": codes, "remarks": remarks,
             "appeal_deadline": deadline}  # fmt: skip
    denial = Denial(
        id=0,
        claim_id=claim_id,
        claim_line_id=line_ids.get(lines.pop()) if one_line else None,
        group_code=main.group if main else "CO",
        carc=main.carc[:5] if main else "",
        rarc=remarks[0][:8] if remarks else None,
        denied_on=decided_on,
        remittance_id=remittance_id,
        amount_cents=to_cents(amount),
        codes=tuple(codes),
        remarks=tuple(remarks),
        appeal_deadline=deadline,
    )
    return denial, after


def _audit(uow: UnitOfWork, after: Mapping[str, Any], denial_id: int) -> None:
    uow.audit.record(uow.actor_id, "denial.open", "denial", denial_id, None, after)


def open_denial(uow: UnitOfWork, denial: Denial, after: Mapping[str, Any]) -> bool:
    """Store ``denial`` (from :func:`denial_of`) unless its remittance opened one on the claim
    already, with its audit row, and propose prevention checks; returns whether new."""
    remittance_id = denial.remittance_id
    if remittance_id is not None and uow.denials.exists_for(denial.claim_id, remittance_id):
        return False
    denial_id = uow.denials.add(denial)
    _audit(uow, after, denial_id)
    propose_checks(uow, denial.denied_on, uow.claims.get(denial.claim_id).payer_id, denial.carc)
    return True


#: A denial to open: (the denial, its audit after-image from :func:`denial_of`, its payer id).
NewDenial = tuple[Denial, dict[str, Any], int]


def open_denials(uow: UnitOfWork, denials: Sequence[NewDenial], decided_on: dt.date) -> None:
    """Store these new denials (one per claim and remittance, checked by the caller) with their
    audit rows, then propose prevention checks as :func:`open_denial` one after another would
    (one read per payer and CARC)."""
    if not denials:
        return
    ids = uow.denials.add_many([d for d, _, _ in denials])
    for (_, after, _), denial_id in zip(denials, ids, strict=True):
        _audit(uow, after, denial_id)
    opened = [(i, payer, d.carc) for (d, _, payer), i in zip(denials, ids, strict=True)]
    propose_for_denials(uow, decided_on, opened)
