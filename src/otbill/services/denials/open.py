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

from otbill.domain.appeals import Denial
from otbill.domain.money import from_cents, to_cents
from otbill.domain.remittance import ClaimPayment
from otbill.services.denials.prevention import propose_checks
from otbill.services.remittances.plan import DeniedAmount
from otbill.storage import UnitOfWork

__all__ = ["MEDICARE_APPEAL_DAYS", "OTHER_APPEAL_DAYS", "appeal_deadline", "open_denial"]

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


def open_denial(
    uow: UnitOfWork,
    claim_id: int,
    payment: ClaimPayment,
    denied: Sequence[DeniedAmount],
    line_ids: Mapping[int, int],
    *,
    remittance_id: int,
    decided_on: dt.date,
    profile: str,
) -> bool:
    """One denial per claim and remittance (none if it exists already); returns whether new."""
    if uow.denials.exists_for(claim_id, remittance_id):
        return False
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
    deadline = appeal_deadline(profile, decided_on)
    one_line = len(lines) == 1 and all(d.position is not None for d in denied)
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
    denial_id = uow.denials.add(denial)
    after = {"claim_id": claim_id, "amount": amount, "codes": codes, "remarks": remarks,
             "appeal_deadline": deadline}  # fmt: skip
    uow.audit.record(uow.actor_id, "denial.open", "denial", denial_id, None, after)
    propose_checks(uow, decided_on, uow.claims.get(claim_id).payer_id, denial.carc)
    return True
