"""The quarter's coding audit: the figures of ``domain.coding_audit`` for the clinic's visits of
one quarter, each therapist against the clinic, the outliers with their visits, and the chart-
audit sample (drawn with a recorded seed) with the results recorded so far. A read.

The seed: the one already recorded with the quarter's chart-audit results, else the one asked
for, else the quarter's own number (2025Q1 -> 20251), so that the same quarter always draws the
same sample until someone asks for another seed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from otbill.domain.coding_audit import (
    CHECKLIST,
    MARGIN,
    MEASURES,
    MIN_VISITS,
    AuditLine,
    AuditVisit,
    CodingAudit,
    draw_sample,
    run_audit,
)
from otbill.errors import OtbillError
from otbill.storage import UnitOfWork
from otbill.storage.repositories.coding_audit import (
    AuditedVisit,
    ChartAuditRecord,
    VisitNoteFacts,
)

__all__ = [
    "DEFAULT_SAMPLE",
    "AuditView",
    "BadQuarter",
    "SampledVisit",
    "coding_audit",
    "coding_audit_csv",
    "default_seed",
    "measure_label",
    "parse_quarter",
]

DEFAULT_SAMPLE = 10
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)


class BadQuarter(OtbillError):
    """A quarter that is not written like 2025Q1."""


def parse_quarter(text: str) -> tuple[str, dt.date, dt.date]:
    """``"2025Q1"`` -> ("2025Q1", 2025-01-01, 2025-04-01): the first day and the day after."""
    match = _QUARTER.match((text or "").strip())
    if not match:
        raise BadQuarter(f"quarter {text!r} is not a year and quarter such as 2025Q1")
    year, q = int(match.group(1)), int(match.group(2))
    first = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return f"{year}Q{q}", first, end


def default_seed(quarter: str) -> int:
    """The quarter's own number: 2025Q1 -> 20251."""
    return int(quarter.replace("Q", ""))


def measure_label(key: str) -> str:
    if key == "out_of_scope":
        return "Codes outside OT scope"
    return MEASURES[key][0]


@dataclass(frozen=True, slots=True)
class SampledVisit:
    visit_id: int
    date: dt.date
    therapist: str
    codes: str  # "97530 x2, 97110 x1"
    timed_minutes: int
    result: ChartAuditRecord | None
    # what the note shows for each checklist item, for the auditor to check against the chart
    note: tuple[tuple[str, str], ...] = ()

    @property
    def failed(self) -> list[str]:
        if self.result is None:
            return []
        return [label for key, label in CHECKLIST if self.result.results.get(key) == "fail"]


@dataclass(frozen=True, slots=True)
class AuditView:
    quarter: str
    first: dt.date
    end: dt.date
    audit: CodingAudit
    seed: int
    seed_recorded: bool  # the seed came from recorded results
    sample: tuple[SampledVisit, ...]
    visits: int

    @property
    def audited(self) -> int:
        return sum(1 for s in self.sample if s.result is not None)


def _note_facts(note: VisitNoteFacts | None, visit: AuditedVisit) -> tuple[tuple[str, str], ...]:
    """Each checklist item with what the note says (or that it says nothing)."""
    if note is None:
        return tuple((key, "no note for this visit") for key, _ in CHECKLIST)

    def text(field: str) -> str:
        value = note.content.get(field)
        return str(value) if value not in (None, "") else "not written"

    minutes = sum(li.minutes for li in visit.lines)
    total = note.total_treatment_minutes or note.content.get("total_treatment_minutes")
    return (
        ("current_status", text("current_status")),
        ("goals", text("goals")),
        ("interventions", ", ".join(f"{li.code} {li.minutes} min" for li in visit.lines)),
        ("medical_necessity", text("medical_necessity")),
        ("minutes", f"lines {minutes} min; note total treatment {total or 'not written'}"),
        ("signature", f"signed by {note.signature}" if note.signed else "unsigned"),
    )


def _audit_visit(v: AuditedVisit) -> AuditVisit:
    lines = tuple(AuditLine(li.code, li.minutes, li.units, li.modifiers) for li in v.lines)
    return AuditVisit(v.visit_id, v.date.isoformat(), v.provider_id, v.provider, lines)


def coding_audit(
    uow: UnitOfWork,
    quarter: str,
    *,
    seed: int | None = None,
    sample_size: int = DEFAULT_SAMPLE,
    margin: float = MARGIN,
    min_visits: int = MIN_VISITS,
) -> AuditView:
    """The audit of ``quarter`` (``"2025Q1"``) for the unit of work's clinic."""
    name, first, end = parse_quarter(quarter)
    if not 0 <= sample_size <= 200:
        raise BadQuarter(f"sample size {sample_size} must be between 0 and 200 visits")
    if not 0 < margin < 1:
        raise BadQuarter(f"margin {margin} must be a share between 0 and 1 (0.15 = 15 points)")
    visits = uow.coding_audit.visits_between(first, end)
    audit = run_audit([_audit_visit(v) for v in visits], margin=margin, min_visits=min_visits)
    recorded = uow.coding_audit.chart_audits(name)
    recorded_seeds = {r.seed for r in recorded.values()}
    seed_recorded = seed is None and len(recorded_seeds) == 1
    if seed is None:
        seed = next(iter(recorded_seeds)) if seed_recorded else default_seed(name)
    chosen = draw_sample((v.visit_id for v in visits), sample_size, seed)
    by_id = {v.visit_id: v for v in visits}
    notes = uow.coding_audit.notes_of(chosen)
    sample = []
    for vid in chosen:
        v = by_id[vid]
        av = _audit_visit(v)
        codes = ", ".join(f"{li.code} x{li.units}" for li in v.lines)
        result = recorded.get(vid)
        if result is not None and result.seed != seed:
            result = None
        shown = _note_facts(notes.get(vid), v)
        sample.append(SampledVisit(vid, v.date, v.provider, codes, av.timed_minutes, result, shown))
    return AuditView(name, first, end, audit, seed, seed_recorded, tuple(sample), len(visits))


def coding_audit_csv(view: AuditView) -> str:
    """One row per therapist (and the clinic) and measure, then the outliers and the sample."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["section", "therapist", "measure", "count", "out_of", "share", "clinic_share",
                "visits"])  # fmt: skip
    clinic = view.audit.clinic
    for t in (clinic, *view.audit.therapists):
        for code, share in t.evaluations.items():
            w.writerow(["evaluation mix", t.therapist, code, share.count, share.total,
                        share.percent, clinic.evaluations[code].percent,
                        " ".join(map(str, share.visit_ids))])  # fmt: skip
        for units, count in t.units_per_visit.items():
            w.writerow(["units per visit", t.therapist, units, count, "", "", "", ""])
        for label, count in t.minutes_per_unit.items():
            w.writerow(["minutes per unit", t.therapist, label, count, "", "", "", ""])
        for key, share in t.measures.items():
            w.writerow([measure_label(key), t.therapist, key, share.count, share.total,
                        share.percent, clinic.measures[key].percent,
                        " ".join(map(str, share.visit_ids))])  # fmt: skip
    for o in view.audit.outliers:
        w.writerow(["outlier", o.therapist, o.measure, o.therapist_share.count,
                    o.therapist_share.total, o.therapist_share.percent, o.clinic_share.percent,
                    " ".join(map(str, o.visit_ids))])  # fmt: skip
    for s in view.sample:
        status = "not audited" if s.result is None else ("fail: " + "; ".join(s.failed)
                                                         if s.failed else "pass")  # fmt: skip
        w.writerow([f"chart audit sample (seed {view.seed})", s.therapist, s.codes, "", "",
                    status, "", s.visit_id])  # fmt: skip
    return out.getvalue()
