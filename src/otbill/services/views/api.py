"""Read models for the JSON API: visits and remittances, filtered and a page at a time (claims:
:mod:`.claim_search`, the search the web page uses too).

Every list reads one page plus one row (to know whether another page follows), ordered on indexed
columns (``ix_claim_queue``, ``ix_visit_clinic_patient_date``), never the whole table; the queries
are ``uow.reports``'.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from otbill.domain.money import from_cents
from otbill.storage import UnitOfWork

__all__ = ["Page", "remittances_page", "visits_page"]


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict[str, object]]
    limit: int
    offset: int
    next_offset: int | None = None
    filters: dict[str, object] = field(default_factory=dict)


def _page(rows: list[dict[str, object]], limit: int, offset: int) -> Page:
    more = len(rows) > limit
    return Page(rows[:limit], limit, offset, offset + limit if more else None)


def visits_page(
    uow: UnitOfWork,
    *,
    provider_id: int | None = None,
    patient_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Visits newest first, each with its service lines and whether its note is signed."""
    visits = uow.reports.visit_briefs(
        provider_id=provider_id, patient_id=patient_id, on=(date_from, date_to),
        limit=limit + 1, offset=offset,
    )  # fmt: skip
    rows: list[dict[str, object]] = [
        {
            "id": v.id, "date": v.date, "patient_id": v.patient_id, "provider_id": v.provider_id,
            "coverage_id": v.coverage_id, "place_of_service": v.place_of_service,
            "telehealth": v.telehealth,
            "services": [
                {"code": code, "minutes": minutes, "units": units, "modifiers": list(modifiers)}
                for code, minutes, units, modifiers in v.services
            ],
            "note_type": v.note_type, "note_signed": v.note_signed,
        }
        for v in visits
    ]  # fmt: skip
    return _page(rows, limit, offset)


def remittances_page(uow: UnitOfWork, *, limit: int = 50, offset: int = 0) -> Page:
    """Remittances received, newest payment date first."""
    rows: list[dict[str, object]] = [
        {
            "id": r.id, "payer_id": r.payer_id,
            "payer": (r.payer or "?") if r.payer_id is not None else None,
            "trace_number": r.trace_number, "paid_on": r.paid_on,
            "total": from_cents(r.total_cents),
        }
        for r in uow.reports.remittance_lines(limit=limit + 1, offset=offset)
    ]  # fmt: skip
    return _page(rows, limit, offset)
