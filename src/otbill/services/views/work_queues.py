"""The billers' work queues: counts, filtered and paginated listings, held findings by rule.

Why these shapes: with 100,000 claims a queue page must never load the queue. Counts are one
``GROUP BY status`` over ``ix_claim_queue`` (clinic_id, status, date_of_service, id); a listing is
one page (LIMIT/OFFSET in that index's order) plus small lookups for that page's 50 claims only;
findings are grouped by rule inside the database (SQLite ``json_each``, PostgreSQL
``json_array_elements``), never parsed claim by claim in Python.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, inspect, select, true, union_all

from otbill.domain.money import from_cents
from otbill.storage import UnitOfWork
from otbill.storage.tables import (
    AuditHeadRow,
    ClaimLineRow,
    ClaimRow,
    ClaimStatusRow,
    DenialRow,
    PatientRow,
    PayerRow,
    ProviderRow,
)

try:  # the EDI exchange tables (migration 0002) may not be installed yet
    from otbill.storage.tables import WorkItemRow
except ImportError:  # pragma: no cover - depends on the schema version in the tree
    WorkItemRow = None  # type: ignore[assignment,misc]

__all__ = [
    "PAGE_SIZE",
    "TABS",
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
_HAS_TABLE: dict[str, bool] = {}
_GROUPS: dict[tuple[Any, ...], tuple[tuple[int, int | None], list[RuleGroup]]] = {}
_COUNTS: dict[tuple[str, int], tuple[int, dict[str, int]]] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class QueueFilter:
    payer_id: int | None = None
    provider_id: int | None = None  # the rendering provider (therapist) of any line
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    rule: str | None = None  # held queue only: claims with an error finding of this rule

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.payer_id, self.provider_id, self.date_from,
                                            self.date_to, self.rule))  # fmt: skip


@dataclass(frozen=True, slots=True)
class RuleGroup:
    code: str
    name: str
    claims: int


@dataclass
class QueuePage:
    tab: str
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, -(-self.total // PAGE_SIZE))


def _dialect(uow: UnitOfWork) -> str:
    return uow.session.get_bind().dialect.name


def _database(uow: UnitOfWork) -> str:
    return str(uow.session.get_bind().engine.url)


def has_work_items(uow: UnitOfWork) -> bool:
    """Whether the unmatched-remittance work queue exists in this database."""
    if WorkItemRow is None:
        return False
    key = _database(uow)
    if key not in _HAS_TABLE:  # on this session's connection: never a second one from the pool
        _HAS_TABLE[key] = inspect(uow.session.connection()).has_table(WorkItemRow.__tablename__)
    return _HAS_TABLE[key]


def queue_counts(uow: UnitOfWork) -> dict[str, int]:
    """Claims in each queue (one GROUP BY over the queue index), plus open unmatched items.

    The claim counts are kept until the clinic's audit chain moves (every claim status change is
    audited, so the audit head's sequence number says when they may have changed).
    """
    key, stamp = (_database(uow), uow.clinic_id), _audit_seq(uow)
    with _LOCK:
        hit = _COUNTS.get(key)
    if hit is not None and hit[0] == stamp:
        counts = dict(hit[1])
    else:
        query = (
            select(ClaimRow.status, func.count())
            .where(ClaimRow.clinic_id == uow.clinic_id)
            .group_by(ClaimRow.status)
        )
        by_status = dict(uow.session.execute(query).tuples().all())
        counts = {t: sum(by_status.get(s, 0) for s in statuses) for t, statuses in TABS.items()}
        with _LOCK:
            _COUNTS[key] = (stamp, dict(counts))
    if has_work_items(uow):  # work items are not audited: counted each time (indexed)
        counts[UNMATCHED] = uow.records.count(WorkItemRow, WorkItemRow.resolved_at.is_(None))
    return counts


def _finding_elements(uow: UnitOfWork) -> tuple[Any, ColumnElement[Any], ColumnElement[Any]]:
    """The findings JSON array as rows: (table, rule expression, severity expression)."""
    if _dialect(uow) == "postgresql":
        items = func.json_array_elements(ClaimRow.findings).table_valued("value")
        return items, items.c.value.op("->>")("rule"), items.c.value.op("->>")("severity")
    items = func.json_each(ClaimRow.findings).table_valued("value")
    return (
        items,
        func.json_extract(items.c.value, "$.rule"),
        func.json_extract(items.c.value, "$.severity"),
    )


def _where(uow: UnitOfWork, statuses: tuple[str, ...], f: QueueFilter) -> list[Any]:
    where: list[Any] = [ClaimRow.clinic_id == uow.clinic_id, ClaimRow.status.in_(statuses)]
    if f.payer_id is not None:
        where.append(ClaimRow.payer_id == f.payer_id)
    if f.date_from is not None:
        where.append(ClaimRow.date_of_service >= f.date_from)
    if f.date_to is not None:
        where.append(ClaimRow.date_of_service <= f.date_to)
    if f.provider_id is not None:
        where.append(
            exists().where(
                ClaimLineRow.claim_id == ClaimRow.id,
                ClaimLineRow.rendering_provider_id == f.provider_id,
            )
        )
    if f.rule and statuses == TABS["held"]:
        items, rule, severity = _finding_elements(uow)
        where.append(
            exists(select(1).select_from(items).where(rule == f.rule, severity == "error"))
        )
    return where


def _audit_seq(uow: UnitOfWork) -> int:
    query = select(AuditHeadRow.seq).where(AuditHeadRow.clinic_id == uow.clinic_id)
    return int(uow.session.scalar(query) or 0)


def held_rule_groups(
    uow: UnitOfWork, f: QueueFilter = QueueFilter(), held: int | None = None
) -> list[RuleGroup]:
    """Held claims by the rule of their error findings (a claim counts once per rule).

    Grouping reads every held claim's findings, so the result is kept until the clinic's records
    change: every change to a claim writes an audit row, which moves the audit chain's head;
    ``held`` (the held count, when the caller has it) also catches rows written without one.
    """
    other = (f.payer_id, f.provider_id, f.date_from, f.date_to)
    key = (_database(uow), uow.clinic_id, other)
    stamp = (_audit_seq(uow), held)
    with _LOCK:
        hit = _GROUPS.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    groups = _group_findings(uow, QueueFilter(*other))
    with _LOCK:
        if len(_GROUPS) >= 256:
            _GROUPS.pop(next(iter(_GROUPS)))
        _GROUPS[key] = (stamp, groups)
    return groups


def _group_findings(uow: UnitOfWork, f: QueueFilter) -> list[RuleGroup]:
    items, rule, severity = _finding_elements(uow)
    name = func.max(func.json_extract(items.c.value, "$.name"))
    if _dialect(uow) == "postgresql":
        name = func.max(items.c.value.op("->>")("name"))
    claims = func.count(func.distinct(ClaimRow.id))
    query = (
        select(rule, name, claims)
        .select_from(ClaimRow)
        .join(items, true())
        .where(*_where(uow, TABS["held"], f), severity == "error")
        .group_by(rule)
        .order_by(claims.desc(), rule)
    )
    return [RuleGroup(str(c), str(n or ""), int(k)) for c, n, k in uow.session.execute(query)]


def _page_ids(uow: UnitOfWork, tab: str, f: QueueFilter, page: int) -> list[int]:
    """The page's claim ids in queue-index order; one index range per status, merged by SQL."""
    parts = [
        select(ClaimRow.date_of_service.label("dos"), ClaimRow.id.label("cid")).where(
            *_where(uow, (status,), f)
        )
        for status in TABS[tab]
    ]
    merged = parts[0] if len(parts) == 1 else union_all(*parts)
    query = (
        select(merged.subquery().c.cid)
        if len(parts) > 1
        else parts[0].with_only_columns(ClaimRow.id)
    )
    order = ("dos", "cid") if len(parts) > 1 else (ClaimRow.date_of_service, ClaimRow.id)
    query = query.order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    return list(uow.session.scalars(query))


def _page_query(uow: UnitOfWork, ids: list[int]) -> Select[Any]:
    return (
        select(
            ClaimRow.id,
            ClaimRow.number,
            ClaimRow.status,
            ClaimRow.date_of_service,
            ClaimRow.total_charge_cents,
            ClaimRow.error_count,
            PayerRow.name,
            PatientRow.first_name,
            PatientRow.last_name,
        )
        .join(PayerRow, PayerRow.id == ClaimRow.payer_id)
        .join(PatientRow, PatientRow.id == ClaimRow.patient_id)
        .where(ClaimRow.clinic_id == uow.clinic_id, ClaimRow.id.in_(ids))
        .order_by(ClaimRow.date_of_service, ClaimRow.id)
    )


def list_queue(
    uow: UnitOfWork, tab: str, f: QueueFilter, page: int = 1, counts: dict[str, int] | None = None
) -> QueuePage:
    """One page of a queue, oldest date of service first, with each claim's therapists."""
    if tab == UNMATCHED:
        return _unmatched(uow, page)
    page = max(1, page)
    if counts is not None and not f.active:
        total = counts[tab]
    elif tab == "held" and f.rule:  # the grouped counts have it (kept until a change)
        groups = held_rule_groups(uow, f, counts.get("held") if counts else None)
        total = next((g.claims for g in groups if g.code == f.rule), 0)
    else:
        query = select(func.count()).select_from(ClaimRow).where(*_where(uow, TABS[tab], f))
        total = int(uow.session.scalar(query) or 0)
    rows = [
        {
            "id": cid,
            "number": number,
            "status": status,
            "date_of_service": on,
            "total_charge": from_cents(cents),
            "errors": errors,
            "payer": payer,
            "patient": f"{first} {last}",
        }
        for cid, number, status, on, cents, errors, payer, first, last in uow.session.execute(
            _page_query(uow, _page_ids(uow, tab, f, page))
        )
    ]
    _add_therapists(uow, rows)
    if tab == "rejected":
        _add_reasons(uow, rows)
    if tab == "denied":
        _add_denials(uow, rows)
    return QueuePage(tab, rows, total, page)


def _add_therapists(uow: UnitOfWork, rows: list[dict[str, Any]]) -> None:
    ids = [r["id"] for r in rows]
    query = (
        select(ClaimLineRow.claim_id, ProviderRow.first_name, ProviderRow.last_name)
        .join(ProviderRow, ProviderRow.id == ClaimLineRow.rendering_provider_id)
        .where(ClaimLineRow.clinic_id == uow.clinic_id, ClaimLineRow.claim_id.in_(ids))
        .order_by(ClaimLineRow.claim_id, ClaimLineRow.position)
    )
    names: dict[int, list[str]] = {}
    for claim_id, first, last in uow.session.execute(query):
        seen = names.setdefault(claim_id, [])
        if f"{first} {last}" not in seen:
            seen.append(f"{first} {last}")
    for row in rows:
        row["therapists"] = ", ".join(names.get(row["id"], []))


def _add_reasons(uow: UnitOfWork, rows: list[dict[str, Any]]) -> None:
    """The 999/277CA reason: the reason recorded with the claim's latest move to rejected."""
    history = uow.records.find(
        ClaimStatusRow,
        ClaimStatusRow.claim_id.in_([r["id"] for r in rows]),
        ClaimStatusRow.to_status == "rejected",
    )
    reasons = {h.claim_id: h.reason for h in history}  # ordered by id: the latest wins
    for row in rows:
        row["reason"] = reasons.get(row["id"], "")


def _add_denials(uow: UnitOfWork, rows: list[dict[str, Any]]) -> None:
    denials = uow.records.find(DenialRow, DenialRow.claim_id.in_([r["id"] for r in rows]))
    latest = {d.claim_id: d for d in denials}
    for row in rows:
        d = latest.get(row["id"])
        row["denial"] = None
        if d is not None:
            row["denial"] = {
                "codes": f"{d.group_code}-{d.carc}" + (f" / {d.rarc}" if d.rarc else ""),
                "appeal_by": getattr(d, "appeal_deadline", None),
            }


def _unmatched(uow: UnitOfWork, page: int) -> QueuePage:
    if not has_work_items(uow):
        return QueuePage(UNMATCHED, [], 0, 1)
    page = max(1, page)
    open_ = WorkItemRow.resolved_at.is_(None)
    total = uow.records.count(WorkItemRow, open_)
    query = (
        uow.records.select(WorkItemRow)
        .where(open_)
        .order_by(WorkItemRow.created_at, WorkItemRow.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    rows = [
        {
            "id": w.id,
            "kind": w.kind,
            "reference": w.reference,
            "payer_claim_number": w.payer_claim_number,
            "charge": from_cents(w.charge_cents),
            "paid": from_cents(w.paid_cents),
            "reason": w.reason,
            "received": w.created_at,
        }
        for w in uow.session.scalars(query)
    ]
    return QueuePage(UNMATCHED, rows, total, page)


def filter_options(uow: UnitOfWork) -> dict[str, list[tuple[int, str]]]:
    """The choices of the queue filters: payers and therapists (rendering providers)."""
    payers = uow.records.find(PayerRow, order=PayerRow.name)
    providers = uow.records.find(ProviderRow, order=ProviderRow.last_name)
    return {
        "payers": [(p.id, p.name) for p in payers],
        "therapists": [
            (p.id, f"{p.first_name} {p.last_name}" + (f", {p.credential}" if p.credential else ""))
            for p in providers
        ],
    }
