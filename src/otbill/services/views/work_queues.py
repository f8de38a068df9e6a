"""The billers' work queues: counts per queue and one filtered page of a queue.

The queries are ``uow.queues``' (indexed, one page at a time); this module shapes them for the
queue page. Held claims grouped by rule are in ``held_findings``; what is kept between requests is
in ``queue_cache``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from otbill.domain.money import from_cents
from otbill.services.views.choices import payer_choices, therapist_choices
from otbill.services.views.held_findings import RuleGroup, held_rule_groups
from otbill.services.views.queue_cache import QueueCache
from otbill.storage import UnitOfWork
from otbill.storage.repositories.queues import QueueClaim, QueueFilter

__all__ = [
    "PAGE_SIZE",
    "TABS",
    "UNMATCHED",
    "QueueFilter",
    "QueuePage",
    "RuleGroup",
    "filter_options",
    "held_rule_groups",
    "list_queue",
    "queue_counts",
]

PAGE_SIZE = 50
#: Each claim queue and the claim statuses it lists.
TABS: dict[str, tuple[str, ...]] = {
    "held": ("held",),
    "ready": ("ready",),
    "approved": ("approved",),
    "submitted": ("submitted", "accepted"),
    "rejected": ("rejected",),
    "denied": ("denied",),
}
UNMATCHED = "unmatched"


@dataclass
class QueuePage:
    tab: str
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, -(-self.total // PAGE_SIZE))


def queue_counts(uow: UnitOfWork, cache: QueueCache) -> tuple[int, dict[str, int]]:
    """The clinic's audit head, and the claims in each queue plus the open unmatched items.

    The head (its sequence number) and the open unmatched items are read in one statement; the
    head is the page's stamp for ``cache`` (the counts here, the held groups and the filter
    choices): every claim status change is audited, so the claim counts (one GROUP BY over the
    queue index) are kept until it moves. Work items are not audited: counted each time (indexed).
    """

    def count() -> dict[str, int]:
        by_status = uow.queues.status_counts()
        return {t: sum(by_status.get(s, 0) for s in statuses) for t, statuses in TABS.items()}

    head, unmatched = uow.queues.head_and_open_items()
    counts = dict(cache.get(("counts", uow.clinic_id), head, count))
    if unmatched is not None:
        counts[UNMATCHED] = unmatched
    return head, counts


def _total(
    uow: UnitOfWork, tab: str, f: QueueFilter, counts: dict[str, int] | None, groups: Any
) -> int:
    if counts is not None and not f.active:
        return counts[tab]
    if tab == "held" and f.rule and groups is not None:  # the grouped counts have it
        return next((g.claims for g in groups if g.code == f.rule), 0)
    return uow.queues.count(TABS[tab], f)


def list_queue(
    uow: UnitOfWork,
    tab: str,
    f: QueueFilter,
    page: int = 1,
    counts: dict[str, int] | None = None,
    groups: list[RuleGroup] | None = None,
) -> QueuePage:
    """One page of a queue, oldest date of service first, with each claim's therapists.

    ``counts`` (:func:`queue_counts`) and ``groups`` (:func:`held_rule_groups`), when the caller
    has them, spare counting the queue again.
    """
    if tab == UNMATCHED:
        return _unmatched(uow, page)
    page = max(1, page)
    if tab != "held":
        f = dataclasses.replace(f, rule=None)  # findings by rule: the held queue only
    total = _total(uow, tab, f, counts, groups)
    ids = uow.queues.page_ids(TABS[tab], f, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    rows = [_row(claim) for claim in uow.queues.claims(ids, for_approval=tab == "ready")]
    if tab == "rejected":
        reasons = uow.queues.rejection_reasons(ids)
        for row in rows:
            row["reason"] = reasons.get(row["id"], "")
    if tab == "denied":
        denials = uow.queues.latest_denials(ids)
        for row in rows:
            d = denials.get(row["id"])
            row["denial"] = d and {
                "codes": f"{d.group_code}-{d.carc}" + (f" / {d.rarc}" if d.rarc else ""),
                "appeal_by": d.appeal_deadline,
            }
    return QueuePage(tab, rows, total, page)


def _row(claim: QueueClaim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "number": claim.number,
        "status": claim.status,
        "date_of_service": claim.date_of_service,
        "total_charge": from_cents(claim.total_charge_cents),
        "errors": claim.errors,
        "payer": claim.payer,
        "patient": claim.patient,
        "therapists": ", ".join(claim.therapists),
        # the ready queue's approval checks read these (services.views.approval)
        "stored_findings": claim.findings,
        "created": claim.created_by and (claim.created_by, claim.created_at),
    }


def _unmatched(uow: UnitOfWork, page: int) -> QueuePage:
    if not uow.queues.has_work_items():
        return QueuePage(UNMATCHED, [], 0, 1)
    page = max(1, page)
    items = uow.queues.unmatched(PAGE_SIZE, (page - 1) * PAGE_SIZE)
    rows = [
        {
            "id": w.id,
            "kind": w.kind,
            "reference": w.reference,
            "payer_claim_number": w.payer_claim_number,
            "charge": from_cents(w.charge_cents),
            "paid": from_cents(w.paid_cents),
            "reason": w.reason,
            "received": w.received,
        }
        for w in items
    ]
    return QueuePage(UNMATCHED, rows, uow.queues.open_work_items(), page)


def filter_options(
    uow: UnitOfWork, cache: QueueCache | None = None, head: int | None = None
) -> dict[str, list[tuple[int, str]]]:
    """The choices of the queue filters: payers and therapists (rendering providers).

    Kept in ``cache`` until the clinic's audit head moves (payers and providers are master
    records: every change to them is audited), so a queue page or a search does not load them.
    """

    def load() -> dict[str, list[tuple[int, str]]]:
        return {"payers": payer_choices(uow), "therapists": therapist_choices(uow)}

    if cache is None:
        return load()
    stamp = uow.audit_reads.head_seq() if head is None else head
    return dict(cache.get(("filter-options", uow.clinic_id), stamp, load))
