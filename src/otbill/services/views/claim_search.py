"""Claim search: every claim of the clinic, in every status, found by what a biller knows of it.

The work queues show only the claims that need work, so after "Appeal" or "Close" a claim used to
vanish from every list. Here a claim is found by its patient (name or MRN), our claim number, the
payer's claim number, dates of service, charge amount and status, 50 a page, with a tab (and its
count) for every status. The web page, the JSON API (``GET /api/claims``) and the CLI read the same
search; typed input is checked here, and a bad value is refused in one line naming the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from otbill.domain.lifecycle import ClaimStatus
from otbill.domain.money import from_cents
from otbill.errors import OtbillError
from otbill.services.views.queue_cache import QueueCache
from otbill.storage import UnitOfWork
from otbill.storage.repositories.report_claim_search import ClaimFilter, ClaimFound

__all__ = [
    "MAX_PAGE",
    "PER_PAGE",
    "STATUS_LABELS",
    "ClaimFilter",
    "ClaimFound",
    "SearchError",
    "SearchPage",
    "amount_cents",
    "api_page",
    "parse_search",
    "search_claims",
]

PER_PAGE = 50
MAX_PAGE = 100_000  # far past any clinic's claims; bounds the offset a typed page number asks for
_MAX_AMOUNT_CENTS = 100_000_000_00  # a claim of a hundred million dollars is a typing error
_MAX_TEXT = 80
_AMOUNT = re.compile(r"\$?\s*([0-9][0-9,]{0,12})(\.[0-9]{1,2})?")
_DIGITS = re.compile(r"[0-9]{1,9}")

#: Every status in plain words, in the order a claim moves through them.
STATUS_LABELS: dict[str, str] = {
    ClaimStatus.DRAFT: "Draft",
    ClaimStatus.HELD: "Held (scrubber errors)",
    ClaimStatus.READY: "Ready for approval",
    ClaimStatus.APPROVED: "Approved, to send",
    ClaimStatus.SUBMITTED: "Submitted",
    ClaimStatus.ACCEPTED: "Accepted by the payer",
    ClaimStatus.REJECTED: "Rejected",
    ClaimStatus.PAID: "Paid",
    ClaimStatus.PARTIALLY_PAID: "Partially paid",
    ClaimStatus.DENIED: "Denied",
    ClaimStatus.APPEALED: "Appealed",
    ClaimStatus.CLOSED: "Closed",
}


class SearchError(OtbillError):
    """A search field could not be read; the message names the field and what was typed."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of found claims, the counts per status for the same search, the page number."""

    claims: list[ClaimFound]
    counts: dict[str, int]
    page: int
    has_next: bool
    filters: ClaimFilter
    per_page: int = PER_PAGE
    statuses: list[tuple[str, str, int]] = field(default_factory=list)  # value, label, count

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _text(params: Mapping[str, str], name: str, label: str) -> str | None:
    value = (params.get(name) or "").strip()
    if len(value) > _MAX_TEXT:
        raise SearchError(name, f"{label}: at most {_MAX_TEXT} characters, please")
    return value or None


def _date(params: Mapping[str, str], name: str, label: str) -> dt.date | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SearchError(name, f"{label} {value[:20]!r} is not a date (YYYY-MM-DD)") from None


def amount_cents(value: str, name: str, label: str) -> int | None:
    """Dollars as typed ("180", "$1,234.50") in cents; None when blank."""
    value = value.strip()
    if not value:
        return None
    match = _AMOUNT.fullmatch(value)
    if not match:
        raise SearchError(name, f"{label} {value[:20]!r} is not an amount in dollars (e.g. 180.00)")
    cents = int(Decimal(match.group(1).replace(",", "") + (match.group(2) or "")) * 100)
    if cents > _MAX_AMOUNT_CENTS:
        raise SearchError(name, f"{label} {value[:20]!r} is larger than any claim")
    return cents


def _number(params: Mapping[str, str], name: str, label: str, top: int) -> int | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    if not _DIGITS.fullmatch(value) or not 1 <= int(value) <= top:
        raise SearchError(name, f"{label} {value[:20]!r} must be a whole number from 1 to {top:,}")
    return int(value)


def _status(params: Mapping[str, str]) -> str | None:
    value = (params.get("status") or "").strip().lower()
    if value in ("", "all"):
        return None
    if value not in STATUS_LABELS:
        raise SearchError("status", f"status {value[:20]!r} is not a claim status")
    return value


def parse_search(params: Mapping[str, str]) -> tuple[ClaimFilter, int]:
    """The filter and page number of a search form or query string (:class:`SearchError`)."""
    low = amount_cents(params.get("amount_min") or "", "amount_min", "Charge from")
    high = amount_cents(params.get("amount_max") or "", "amount_max", "Charge up to")
    exact = amount_cents(params.get("amount") or "", "amount", "Charge")
    if exact is not None:
        low = high = exact
    if low is not None and high is not None and low > high:
        raise SearchError("amount_min", "Charge from is more than Charge up to")
    start = _date(params, "date_from", "Date of service from")
    end = _date(params, "date_to", "Date of service to")
    if start and end and start > end:
        raise SearchError("date_from", f"Date of service from {start} is after the date to {end}")
    found = ClaimFilter(
        patient=_text(params, "patient", "Patient"),
        number=_text(params, "number", "Claim number"),
        payer_claim_number=_text(params, "payer_claim_number", "Payer claim number"),
        status=_status(params),
        payer_id=_number(params, "payer", "Payer", 10**9),
        date_from=start,
        date_to=end,
        charge_min_cents=low,
        charge_max_cents=high,
    )
    return found, _number(params, "page", "Page", MAX_PAGE) or 1


def search_claims(
    uow: UnitOfWork,
    filters: ClaimFilter,
    page: int = 1,
    per_page: int = PER_PAGE,
    cache: QueueCache | None = None,
    head: int | None = None,
) -> SearchPage:
    """One page of the claims matching ``filters``, newest date of service first, with the
    count of matching claims in each status (the status tabs).

    The counts do not depend on the page or the status tab: with ``cache`` they are kept per
    search until the clinic's audit head moves (every change to a claim is audited), so paging
    through a search or changing its tab counts once (as the queue counts are kept).
    """
    offset = (page - 1) * per_page
    rows = uow.reports.search_claims(filters, limit=per_page + 1, offset=offset)
    if cache is None:
        counts = uow.reports.claim_status_counts(filters)
    else:
        key = ("search-counts", uow.clinic_id, replace(filters, status=None))
        stamp = uow.audit_reads.head_seq() if head is None else head
        counts = dict(cache.get(key, stamp, lambda: uow.reports.claim_status_counts(filters)))
    statuses = [(s, label, counts.get(s, 0)) for s, label in STATUS_LABELS.items()]
    return SearchPage(
        rows[:per_page], counts, page, len(rows) > per_page, filters, per_page, statuses
    )


def api_page(
    uow: UnitOfWork, filters: ClaimFilter, *, limit: int, offset: int
) -> dict[str, object]:
    """``GET /api/claims``: one page of the matching claims, oldest date of service first (the
    work-queue order integrators page through), with the offset of the next page."""
    rows = uow.reports.search_claims(filters, limit=limit + 1, offset=offset, newest_first=False)
    items: list[dict[str, object]] = [
        {
            "id": c.id, "number": c.number, "status": c.status,
            "date_of_service": c.date_of_service, "payer_id": c.payer_id, "payer": c.payer,
            "total_charge": from_cents(c.total_charge_cents), "errors": c.errors,
            "patient_id": c.patient_id, "patient": c.patient,
            "payer_claim_number": c.payer_claim_number,
        }
        for c in rows[:limit]
    ]  # fmt: skip
    more = len(rows) > limit
    return {"items": items, "limit": limit, "offset": offset,
            "next_offset": offset + limit if more else None}  # fmt: skip
