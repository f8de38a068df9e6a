"""The company pages' read models: the cross-clinic work queue and the per-clinic dashboard of a
company user, over their granted clinics only (one query per figure, grouped by clinic)."""

from __future__ import annotations

from dataclasses import dataclass

from otbill.domain.money import from_cents
from otbill.services.clinic.companies import CompanyAccess
from otbill.storage import Database
from otbill.storage.repositories.company_reads import CompanyReads, CrossClinicClaim

__all__ = [
    "COMPANY_TABS",
    "CompanyQueuePage",
    "DashboardLine",
    "company_dashboard",
    "company_queue",
]

PAGE_SIZE = 50
#: The cross-clinic queue's tabs: (label, claim statuses).
COMPANY_TABS: dict[str, tuple[str, tuple[str, ...]]] = {
    "held": ("Held by the scrubber", ("held",)),
    "ready": ("Ready to approve", ("ready",)),
    "denied": ("Denied", ("denied",)),
    "follow-up": ("Awaiting the payer (follow up)", ("submitted", "accepted")),
}


@dataclass(frozen=True, slots=True)
class CompanyQueuePage:
    tab: str
    rows: list[CrossClinicClaim]
    total: int
    page: int
    pages: int


@dataclass(frozen=True, slots=True)
class DashboardLine:
    clinic_id: int
    code: str
    name: str
    receivable: str
    held: int
    ready: int
    submitted: int
    denied: int
    denied_amount: str
    unbilled_visits: int


def company_queue(
    db: Database,
    access: CompanyAccess,
    tab: str,
    *,
    clinic_id: int | None = None,
    search: str = "",
    page: int = 1,
) -> CompanyQueuePage:
    """One page of the tab's claims across the granted clinics (an unknown tab: held)."""
    tab = tab if tab in COMPANY_TABS else "held"
    reads = CompanyReads(db, [c.clinic_id for c in access.clinics])
    page = max(1, page)
    total, rows = reads.queue(
        COMPANY_TABS[tab][1], clinic_id=clinic_id, search=search.strip()[:60],
        offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE,
    )  # fmt: skip
    return CompanyQueuePage(tab, rows, total, page, max(1, -(-total // PAGE_SIZE)))


def company_dashboard(db: Database, access: CompanyAccess) -> list[DashboardLine]:
    """Per granted clinic: receivables, claims by state, denials, unbilled visits."""
    figures = CompanyReads(db, [c.clinic_id for c in access.clinics]).figures()
    lines = []
    for clinic in access.clinics:
        f = figures[clinic.clinic_id]
        status = f.by_status or {}
        lines.append(
            DashboardLine(
                clinic.clinic_id,
                clinic.clinic_code,
                clinic.clinic_name,
                f"${from_cents(f.receivable_cents):,.2f}",
                status.get("held", 0),
                status.get("ready", 0),
                status.get("submitted", 0) + status.get("accepted", 0),
                f.denied,
                f"${from_cents(f.denied_cents):,.2f}",
                f.unbilled_visits,
            )
        )
    return lines
