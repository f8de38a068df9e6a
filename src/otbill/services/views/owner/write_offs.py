"""Write-offs by reason: the ledger's adjustments by group code and CARC (posted in the window,
reversals netted), and the patient write-offs approved in the window (small balance, hardship)."""

from __future__ import annotations

from otbill.domain.denial_causes import root_cause
from otbill.services.views.figures import Window
from otbill.services.views.owner.report import Cell, Table
from otbill.storage import UnitOfWork

__all__ = ["GROUPS", "write_offs"]

#: The claim adjustment group codes in words (X12 005010X221A1, CAS01).
GROUPS = {
    "CO": "Contractual obligation",
    "PR": "Patient responsibility",
    "OA": "Other adjustment",
    "PI": "Payer-initiated reduction",
}


def write_offs(uow: UnitOfWork, window: Window) -> list[Table]:
    rows: list[tuple[str, list[Cell]]] = []
    for group, carc, cents, n in sorted(
        uow.owner_reports.adjustments_by_code(window.first, window.end), key=lambda r: -(r[2] or 0)
    ):
        if not cents:
            continue
        reason = GROUPS.get(group or "", group or "No group code")
        cause = root_cause(group or "", carc).title if carc else "—"
        code = f"{group}-{carc}" if carc else (group or "")
        rows.append((f"{reason} ({code})", ["Payer adjustment", cause, int(n), cents / 100]))
    for kind, cents, n in uow.owner_reports.patient_write_offs(window.first, window.end):
        label = {"small-balance": "Small balance", "hardship": "Hardship"}.get(kind, kind)
        rows.append(
            (f"{label} (patient write-off)", ["Patient write-off", "—", int(n), cents / 100])
        )
    if rows:
        rows.append(
            (
                "Total",
                [
                    "",
                    "",
                    sum(int(r[1][2] or 0) for r in rows),
                    round(sum(float(r[1][3] or 0) for r in rows), 2),
                ],
            )
        )
    return [
        Table(
            "write_offs",
            "Write-offs by reason",
            "Amounts written off in these months: payer adjustments by group code and claim "
            "adjustment reason code (CARC), with the root cause, and the patient write-offs "
            "approved (small balance, hardship).",
            "Reason",
            ["Kind", "Root cause", "Lines or write-offs", "Amount"],
            ["t", "t", "n", "$"],
            rows,
            empty=None if rows else "Nothing written off in these months.",
        )
    ]
