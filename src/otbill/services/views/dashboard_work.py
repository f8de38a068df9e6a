"""The dashboard's work in progress: money not yet billed, and denied money under appeal.

Why a figure of its own: charges enter the ledger (and so the A/R aging) only when a claim is
approved, so a clinic whose claims wait for approval saw "$0 owed" while thousands of dollars of
services sat in the queues; and a denial's write-off is an adjustment, so a claim being appealed
vanished from the receivables. This figure counts both, from the claims' own charges and, for
visits no claim bills yet, from the fee schedule's charge for the units recorded on the visit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from otbill.domain.charges import Fee
from otbill.services.views.figures import Figure
from otbill.storage import UnitOfWork

__all__ = ["CHART_LABELS", "STAGES", "work_in_progress"]

#: (row label, claim statuses counted in it), in the order the work moves.
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Claims being prepared (draft, held, ready)", ("draft", "held", "ready")),
    ("Claims approved, not yet sent", ("approved",)),
    ("Claims rejected, to correct and resend", ("rejected",)),
    ("Claims under appeal", ("appealed",)),
)
_SIGNED = "Visits signed, not yet on a claim"
_UNSIGNED = "Visits not yet signed (no claim yet)"
#: Each row in a word, for the chart's axis (the table under it names the rows in full).
CHART_LABELS = dict(
    zip(
        (_SIGNED, _UNSIGNED, *(label for label, _ in STAGES)),
        ("Signed", "Unsigned", "Preparing", "Approved", "Rejected", "Appealed"),
        strict=True,
    )
)


class _FeeBook:
    """The fee in force for a payer, code and day: the payer's own beats the clinic default,
    the latest effective date wins (as the claim builder prices a line)."""

    def __init__(self, fees: Iterable[Fee]) -> None:
        self._by_key: dict[tuple[int | None, str], list[Fee]] = defaultdict(list)
        for fee in fees:  # oldest effective date first
            self._by_key[(fee.payer_id, fee.code)].append(fee)

    def charge_cents(self, payer_id: int, code: str, on: dt.date) -> int:
        for key in ((payer_id, code), (None, code)):
            in_force = [f for f in self._by_key.get(key, []) if f.effective_from <= on]
            if in_force:
                return in_force[-1].charge_cents
        return 0


def _unbilled_visits(uow: UnitOfWork) -> dict[bool, tuple[int, int]]:
    """Signed or not -> (visits, charge cents) of the visits no claim bills yet."""
    book = _FeeBook(uow.payers.fee_schedule())
    cents: dict[bool, int] = defaultdict(int)
    for signed, day, payer_id, code, units in uow.reports.unbilled_units():
        cents[bool(signed)] += book.charge_cents(payer_id, code, day) * int(units or 0)
    counts = dict(uow.reports.unbilled_visits())
    return {s: (counts.get(s, 0), cents[s]) for s in (True, False)}


def _under_appeal_cents(uow: UnitOfWork) -> tuple[int, int]:
    rows = uow.reports.under_appeal()
    return sum(c for _, c, _ in rows), sum(n for _, _, n in rows)


def work_in_progress(uow: UnitOfWork) -> Figure:
    """Visits and claims not yet billed to a payer, and the denied amounts being appealed."""
    visits = _unbilled_visits(uow)
    by_status = {s: (n, c) for s, n, c in uow.reports.claims_by_status()}
    rows: list[tuple[str, int, int]] = [
        (_SIGNED, *visits[True]),
        (_UNSIGNED, *visits[False]),
    ]
    for label, statuses in STAGES[:-1]:
        n = sum(by_status.get(s, (0, 0))[0] for s in statuses)
        rows.append((label, n, sum(by_status.get(s, (0, 0))[1] for s in statuses)))
    appealed_cents, appealed = _under_appeal_cents(uow)
    rows.append((STAGES[-1][0], appealed, appealed_cents))
    nothing = not any(n for _, n, _ in rows)
    return Figure(
        "work_in_progress",
        "Unbilled work and appeals",
        "Services not yet billed to a payer (visits no claim bills yet, at the fee schedule's "
        "charge; claims not yet sent, at their charges) and the denied amounts of claims under "
        "appeal, which are owed until the payer decides the appeal, not written off.",
        "$",
        [label for label, _, _ in rows],
        [("Charges", [cents / 100 for _, _, cents in rows])],
        [("Count", [f"{n:,}" for _, n, _ in rows])],
        "Nothing waiting: every visit is billed and no appeal is pending." if nothing else None,
    )
