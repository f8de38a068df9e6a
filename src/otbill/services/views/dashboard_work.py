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
from collections.abc import Iterable, Sequence
from typing import Any

from otbill.domain.charges import Fee
from otbill.services.views.figures import Figure
from otbill.storage import UnitOfWork

__all__ = [
    "CHART_LABELS",
    "STAGES",
    "Appealed",
    "VisitLine",
    "billable_visit_lines",
    "work_in_progress",
]

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


#: A visit line as :meth:`WorkReports.unbilled_visit_lines` reads it.
VisitLine = tuple[Any, ...]
#: (day of service, denied cents, claims) as :meth:`WorkReports.under_appeal` reads it.
Appealed = list[tuple[dt.date, int, int]]


def _unbilled_visits(uow: UnitOfWork, lines: Sequence[VisitLine]) -> dict[bool, tuple[int, int]]:
    """Signed or not -> (visits, charge cents) of the visits no claim bills yet (a visit with no
    coverage is counted, not priced)."""
    book = _FeeBook(uow.payers.fee_schedule())
    cents: dict[bool, int] = defaultdict(int)
    visits: dict[bool, set[int]] = defaultdict(set)
    for visit, payer_id, _, _, day, code, units, signed, _ in lines:
        visits[bool(signed)].add(visit)
        if payer_id is not None:
            cents[bool(signed)] += book.charge_cents(payer_id, code, day) * int(units or 0)
    return {s: (len(visits[s]), cents[s]) for s in (True, False)}


def billable_visit_lines(lines: Sequence[VisitLine]) -> list[VisitLine]:
    """The lines the owner's agings count as unbilled work: a payer, and not a self-pay
    patient's (those are on the patient's account)."""
    return [line for line in lines if line[1] is not None and not line[8]]


def work_in_progress(
    uow: UnitOfWork,
    visit_lines: Sequence[VisitLine] | None = None,
    appealed: Appealed | None = None,
) -> Figure:
    """Visits and claims not yet billed to a payer, and the denied amounts being appealed
    (``visit_lines``, ``appealed``: the reads the caller already has, as the dashboard shares
    them with the A/R aging)."""
    if visit_lines is None:
        visit_lines = uow.reports.unbilled_visit_lines()
    if appealed is None:
        appealed = uow.reports.under_appeal()
    visits = _unbilled_visits(uow, visit_lines)
    by_status = {s: (n, c) for s, n, c in uow.reports.claims_by_status()}
    rows: list[tuple[str, int, int]] = [
        (_SIGNED, *visits[True]),
        (_UNSIGNED, *visits[False]),
    ]
    for label, statuses in STAGES[:-1]:
        n = sum(by_status.get(s, (0, 0))[0] for s in statuses)
        rows.append((label, n, sum(by_status.get(s, (0, 0))[1] for s in statuses)))
    rows.append((STAGES[-1][0], sum(n for _, _, n in appealed), sum(c for _, c, _ in appealed)))
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
