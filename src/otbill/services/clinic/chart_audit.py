"""Record a chart audit of one sampled visit: the checklist's answer per item, audited.

The visit must be in the quarter's sample for the seed given (the sample is re-drawn here, so a
result can only be recorded for a visit the draw chose); each checklist item
(``domain.coding_audit.CHECKLIST``: current status, goals, interventions, medical necessity,
minutes, signature) is ``pass``, ``fail`` or ``n/a``. Recording again replaces the visit's result
for the quarter; both are in the audit trail. Auditors, billers and admins record results.
"""

from __future__ import annotations

from collections.abc import Mapping

from otbill import clock
from otbill.domain.coding_audit import CHECKLIST
from otbill.domain.lifecycle import Role
from otbill.errors import OtbillError
from otbill.services.clinic.setup import require_actor_role
from otbill.services.views.coding_audit import DEFAULT_SAMPLE, coding_audit
from otbill.storage import UnitOfWork
from otbill.storage.repositories.coding_audit import ChartAuditRecord

__all__ = ["ANSWERS", "ChartAuditRefused", "record_chart_audit"]

ANSWERS = ("pass", "fail", "n/a")


class ChartAuditRefused(OtbillError):
    """A chart-audit result that cannot be recorded (not in the sample, an unknown answer)."""


def record_chart_audit(
    uow: UnitOfWork,
    quarter: str,
    visit_id: int,
    answers: Mapping[str, str],
    *,
    seed: int | None = None,
    sample_size: int = DEFAULT_SAMPLE,
    comment: str = "",
) -> ChartAuditRecord:
    """Record the checklist for ``visit_id`` in ``quarter``'s sample; returns what was kept."""
    require_actor_role(uow, Role.AUDITOR, Role.BILLER)
    if uow.actor_id is None:
        raise ChartAuditRefused("a chart audit is recorded by a signed-in user")
    items = dict(CHECKLIST)
    unknown = sorted(set(answers) - set(items))
    if unknown:
        raise ChartAuditRefused(
            f"unknown checklist item(s) {', '.join(unknown)}; the items are {', '.join(items)}"
        )
    missing = [label for key, label in CHECKLIST if key not in answers]
    if missing:
        raise ChartAuditRefused(f"answer every checklist item; missing: {', '.join(missing)}")
    results = {}
    for key, value in answers.items():
        answer = value.strip().lower()
        if answer not in ANSWERS:
            raise ChartAuditRefused(f"{items[key]}: {value!r} is not one of {', '.join(ANSWERS)}")
        results[key] = answer
    view = coding_audit(uow, quarter, seed=seed, sample_size=sample_size)
    if visit_id not in {s.visit_id for s in view.sample}:
        raise ChartAuditRefused(
            f"visit {visit_id} is not in the {view.quarter} chart-audit sample drawn with seed "
            f"{view.seed}"
        )
    record = ChartAuditRecord(
        visit_id, view.quarter, view.seed, results, comment.strip(), uow.actor_id, clock.utcnow()
    )
    before = uow.coding_audit.chart_audits(view.quarter).get(visit_id)
    uow.coding_audit.save_chart_audit(record)
    uow.audit.record(
        uow.actor_id,
        "chart_audit.record",
        "visit",
        visit_id,
        None if before is None else {"results": before.results, "comment": before.comment},
        {"quarter": view.quarter, "seed": view.seed, "results": results,
         "comment": record.comment},
    )  # fmt: skip
    return record
