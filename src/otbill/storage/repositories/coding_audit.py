"""What the coding audit and the year's code-change report read, and the chart-audit results.

``visits_between``: every visit of the clinic in a date window with its therapist and its service
lines; a line's modifiers are those entered on the visit plus those the claim line billed (GO,
KX, CO ...). Two bounded queries (visits by ``ix_visit_clinic_provider_date``'s clinic prefix,
then their lines and claim lines by visit), no query per visit. Named queries return plain
records; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.tables import (
    ChartAuditRow,
    ClaimLineRow,
    NoteRow,
    ProviderRow,
    ServiceLineRow,
    VisitRow,
)

__all__ = ["AuditedVisit", "ChartAuditRecord", "CodingAuditReads", "VisitLine", "VisitNoteFacts"]

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class VisitLine:
    code: str
    minutes: int
    units: int
    modifiers: frozenset[str]


@dataclass(frozen=True, slots=True)
class AuditedVisit:
    visit_id: int
    date: dt.date
    provider_id: int
    provider: str  # "First Last, OTR/L"
    telehealth: bool
    lines: tuple[VisitLine, ...]


@dataclass(frozen=True, slots=True)
class VisitNoteFacts:
    visit_id: int
    note_type: str | None
    content: dict[str, Any]
    total_treatment_minutes: int | None
    signed: bool
    signature: str  # name and credential as signed, "" when unsigned


@dataclass(frozen=True, slots=True)
class ChartAuditRecord:
    visit_id: int
    quarter: str
    seed: int
    results: dict[str, str]
    comment: str
    audited_by: int
    audited_at: dt.datetime


def _mods(text: str | None) -> set[str]:
    return {m.strip().upper() for m in (text or "").replace(";", ",").split(",") if m.strip()}


class CodingAuditReads(ClinicScoped):
    """Visits with their lines for a window; notes of chosen visits; chart-audit results."""

    def visits_between(self, first: dt.date, end: dt.date) -> list[AuditedVisit]:
        """The clinic's visits with ``first <= date < end``, by date then visit."""
        cid = self.clinic_id
        rows = self.session.execute(
            select(VisitRow.id, VisitRow.date, VisitRow.provider_id, VisitRow.telehealth,
                   ProviderRow.first_name, ProviderRow.last_name, ProviderRow.credential)
            .join(ProviderRow, ProviderRow.id == VisitRow.provider_id)
            .where(VisitRow.clinic_id == cid, VisitRow.date >= first, VisitRow.date < end)
            .order_by(VisitRow.date, VisitRow.id)
        ).all()  # fmt: skip
        ids = [r[0] for r in rows]
        lines: dict[int, dict[int, VisitLine]] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            query = (
                select(ServiceLineRow.visit_id, ServiceLineRow.id, ServiceLineRow.code,
                       ServiceLineRow.minutes, ServiceLineRow.units, ServiceLineRow.modifiers,
                       ClaimLineRow.modifiers)
                .outerjoin(ClaimLineRow, ClaimLineRow.service_line_id == ServiceLineRow.id)
                .where(ServiceLineRow.clinic_id == cid, ServiceLineRow.visit_id.in_(chunk))
                .order_by(ServiceLineRow.visit_id, ServiceLineRow.position)
            )  # fmt: skip
            for vid, sid, code, minutes, units, entered, billed in self.session.execute(query):
                mods = _mods(entered) | _mods(billed)
                of_visit = lines.setdefault(vid, {})
                if sid in of_visit:  # billed on two claims (a correction): one line, both sets
                    mods |= of_visit[sid].modifiers
                of_visit[sid] = VisitLine(code, minutes, units, frozenset(mods))
        return [
            AuditedVisit(vid, on, pid, f"{first_name} {last_name}, {cred}", bool(tele),
                         tuple(lines.get(vid, {}).values()))
            for vid, on, pid, tele, first_name, last_name, cred in rows
        ]  # fmt: skip

    def notes_of(self, visit_ids: Sequence[int]) -> dict[int, VisitNoteFacts]:
        """The note of each visit (visits without a note are absent)."""
        if not visit_ids:
            return {}
        query = select(NoteRow).where(
            NoteRow.clinic_id == self.clinic_id, NoteRow.visit_id.in_(list(visit_ids))
        )
        out = {}
        for note in self.session.scalars(query):
            signature = " ".join(p for p in (note.signature_name, note.signature_credential) if p)
            out[note.visit_id] = VisitNoteFacts(
                note.visit_id,
                note.note_type,
                dict(note.content or {}),
                note.total_treatment_minutes,
                note.signed_at is not None,
                signature,
            )
        return out

    def visit_in_clinic(self, visit_id: int) -> bool:
        query = select(VisitRow.id).where(
            VisitRow.clinic_id == self.clinic_id, VisitRow.id == visit_id
        )
        return self.session.scalar(query) is not None

    def chart_audits(self, quarter: str) -> dict[int, ChartAuditRecord]:
        """The quarter's recorded chart audits, by visit."""
        query = select(ChartAuditRow).where(
            ChartAuditRow.clinic_id == self.clinic_id, ChartAuditRow.quarter == quarter
        )
        return {
            row.visit_id: ChartAuditRecord(
                row.visit_id, row.quarter, row.seed, dict(row.results), row.comment,
                row.audited_by, row.audited_at,
            )
            for row in self.session.scalars(query)
        }  # fmt: skip

    def save_chart_audit(self, record: ChartAuditRecord) -> bool:
        """Insert or replace the visit's result for the quarter; True when it replaced one."""
        row = self.session.scalar(
            select(ChartAuditRow).where(
                ChartAuditRow.clinic_id == self.clinic_id,
                ChartAuditRow.quarter == record.quarter,
                ChartAuditRow.visit_id == record.visit_id,
            )
        )
        replaced = row is not None
        if row is None:
            row = ChartAuditRow(
                clinic_id=self.clinic_id, quarter=record.quarter, visit_id=record.visit_id
            )
            self.session.add(row)
        row.seed = record.seed
        row.results = dict(record.results)
        row.comment = record.comment
        row.audited_by = record.audited_by
        row.audited_at = record.audited_at
        self.session.flush()
        return replaced
