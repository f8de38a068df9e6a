"""The billers' work-queue reads: counts, filtered pages, findings grouped by rule.

Why these shapes: with 100,000 claims a queue page must never load the queue. Counts are one
``GROUP BY status`` over ``ix_claim_queue`` (clinic_id, status, date_of_service, id); a listing is
one page (LIMIT/OFFSET in that index's order) plus small lookups for that page's claims only;
findings are grouped by rule inside the database (SQLite ``json_each``, PostgreSQL
``json_array_elements``: the one database-specific query, kept here), never parsed claim by claim in
Python. Named queries return plain records; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, ColumnElement, exists, func, inspect, select, true, union_all

from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.tables import (
    AuditHeadRow,
    ClaimLineRow,
    ClaimRow,
    ClaimStatusRow,
    DenialRow,
    PatientRow,
    PayerRow,
    ProviderRow,
    WorkItemRow,
)

__all__ = ["DenialBrief", "QueueClaim", "QueueFilter", "QueueRepository", "UnmatchedItem"]

_WORK_ITEMS = "otbill.has_work_items"  # key of the connection-info entry


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
class QueueClaim:
    id: int
    number: str
    status: str
    date_of_service: dt.date
    total_charge_cents: int
    errors: int
    payer: str
    patient: str  # "First Last"
    therapists: tuple[str, ...]  # the rendering providers ("First Last"), in line order, once each
    # read only for the ready queue (``claims(ids, for_approval=True)``): its approval checks
    findings: tuple[dict[str, Any], ...] = ()
    created_by: int | None = None
    created_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class DenialBrief:
    group_code: str
    carc: str
    rarc: str | None
    appeal_deadline: dt.date | None


@dataclass(frozen=True, slots=True)
class UnmatchedItem:
    id: int
    kind: str
    reference: str
    payer_claim_number: str | None
    charge_cents: int
    paid_cents: int
    reason: str
    received: dt.datetime


def _queue_claim(row: Any) -> QueueClaim:
    cid, number, status, on, cents, errors, payer, first, last, lines, *approval = row
    found, by, at = approval or (None, None, None)
    names = dict.fromkeys(name for _, name in sorted(lines or ()))  # line order, each once
    return QueueClaim(cid, number, status, on, cents, errors, payer, f"{first} {last}",
                      tuple(names), tuple(found or ()), by, at)  # fmt: skip


class QueueRepository(ClinicScoped):
    """The billers' work-queue reads: counts, filtered pages, findings by rule."""

    def status_counts(self) -> dict[str, int]:
        """Claims per status (one GROUP BY over the queue index)."""
        query = (
            select(ClaimRow.status, func.count())
            .where(ClaimRow.clinic_id == self.clinic_id)
            .group_by(ClaimRow.status)
        )
        return dict(self.session.execute(query).tuples().all())

    def count(self, statuses: Sequence[str], f: QueueFilter) -> int:
        query = select(func.count()).select_from(ClaimRow).where(*self._where(statuses, f))
        return int(self.session.scalar(query) or 0)

    def _postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    def _finding_elements(self) -> tuple[Any, ColumnElement[Any], ColumnElement[Any]]:
        """The findings JSON array as rows: (table, rule expression, severity expression)."""
        if self._postgres():
            items = func.json_array_elements(ClaimRow.findings).table_valued("value")
            return items, items.c.value.op("->>")("rule"), items.c.value.op("->>")("severity")
        items = func.json_each(ClaimRow.findings).table_valued("value")
        return (
            items,
            func.json_extract(items.c.value, "$.rule"),
            func.json_extract(items.c.value, "$.severity"),
        )

    def _where(self, statuses: Sequence[str], f: QueueFilter) -> list[Any]:
        where: list[Any] = [ClaimRow.clinic_id == self.clinic_id, ClaimRow.status.in_(statuses)]
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
        if f.rule:
            items, rule, severity = self._finding_elements()
            where.append(
                exists(select(1).select_from(items).where(rule == f.rule, severity == "error"))
            )
        return where

    def error_rule_counts(
        self, statuses: Sequence[str], f: QueueFilter
    ) -> list[tuple[str, str, int]]:
        """(rule code, rule name, claims) of the error findings, most claims first."""
        items, rule, severity = self._finding_elements()
        name = func.max(func.json_extract(items.c.value, "$.name"))
        if self._postgres():
            name = func.max(items.c.value.op("->>")("name"))
        claims = func.count(func.distinct(ClaimRow.id))
        query = (
            select(rule, name, claims)
            .select_from(ClaimRow)
            .join(items, true())
            .where(*self._where(statuses, f), severity == "error")
            .group_by(rule)
            .order_by(claims.desc(), rule)
        )
        return [(str(c), str(n or ""), int(k)) for c, n, k in self.session.execute(query)]

    def page_ids(
        self, statuses: Sequence[str], f: QueueFilter, limit: int, offset: int
    ) -> list[int]:
        """A page of claim ids in queue-index order; one index range per status, merged by SQL."""
        parts = [
            select(ClaimRow.date_of_service.label("dos"), ClaimRow.id.label("cid")).where(
                *self._where((status,), f)
            )
            for status in statuses
        ]
        if len(parts) == 1:
            query = parts[0].with_only_columns(ClaimRow.id)
            query = query.order_by(ClaimRow.date_of_service, ClaimRow.id)
        else:
            query = select(union_all(*parts).subquery().c.cid).order_by("dos", "cid")
        return list(self.session.scalars(query.limit(limit).offset(offset)))

    def claims(self, ids: Sequence[int], for_approval: bool = False) -> list[QueueClaim]:
        """These claims with payer, patient and therapist names, oldest date of service first
        (one statement: no LIMIT in it, so no generic plan to fear); ``for_approval``: with their
        stored findings and creator too (the ready queue)."""
        columns: list[Any] = [
            ClaimRow.id,
            ClaimRow.number,
            ClaimRow.status,
            ClaimRow.date_of_service,
            ClaimRow.total_charge_cents,
            ClaimRow.error_count,
            PayerRow.name,
            PatientRow.first_name,
            PatientRow.last_name,
            self._therapist_lines(),
        ]
        if for_approval:
            columns += [ClaimRow.findings, ClaimRow.created_by, ClaimRow.created_at]
        query = (
            select(*columns)
            .join(PayerRow, PayerRow.id == ClaimRow.payer_id)
            .join(PatientRow, PatientRow.id == ClaimRow.patient_id)
            .where(ClaimRow.clinic_id == self.clinic_id, ClaimRow.id.in_(ids))
            .order_by(ClaimRow.date_of_service, ClaimRow.id)
        )
        return [_queue_claim(row) for row in self.session.execute(query)]

    def _therapist_lines(self) -> Any:
        """The claim's lines' (position, rendering provider's name) as a JSON array, in any order
        (a correlated subquery on the claim's lines, by their (claim_id, position) key)."""
        name = ProviderRow.first_name + " " + ProviderRow.last_name
        if self._postgres():
            pairs: Any = func.json_agg(
                func.json_build_array(ClaimLineRow.position, name), type_=JSON
            )
        else:
            pairs = func.json_group_array(func.json_array(ClaimLineRow.position, name), type_=JSON)
        return (
            select(pairs)
            .select_from(ClaimLineRow)
            .join(ProviderRow, ProviderRow.id == ClaimLineRow.rendering_provider_id)
            .where(
                ClaimLineRow.clinic_id == ClaimRow.clinic_id, ClaimLineRow.claim_id == ClaimRow.id
            )
            .scalar_subquery()
            .label("therapist_lines")
        )

    def rejection_reasons(self, claim_ids: Sequence[int]) -> dict[int, str | None]:
        """The reason recorded with each claim's latest move to rejected (999/277CA)."""
        query = (
            select(ClaimStatusRow.claim_id, ClaimStatusRow.reason)
            .where(
                ClaimStatusRow.clinic_id == self.clinic_id,
                ClaimStatusRow.claim_id.in_(claim_ids),
                ClaimStatusRow.to_status == "rejected",
            )
            .order_by(ClaimStatusRow.id)
        )
        return {claim_id: reason for claim_id, reason in self.session.execute(query)}

    def latest_denials(self, claim_ids: Sequence[int]) -> dict[int, DenialBrief]:
        """Each claim's latest denial: its codes and appeal deadline."""
        query = (
            select(
                DenialRow.claim_id,
                DenialRow.group_code,
                DenialRow.carc,
                DenialRow.rarc,
                DenialRow.appeal_deadline,
            )
            .where(DenialRow.clinic_id == self.clinic_id, DenialRow.claim_id.in_(claim_ids))
            .order_by(DenialRow.id)
        )  # the columns shown, not ORM rows: a page's 50 denials without the identity map
        return {
            claim_id: DenialBrief(group, carc, rarc, by)
            for claim_id, group, carc, rarc, by in self.session.execute(query)
        }

    def has_work_items(self) -> bool:
        """Whether the unmatched-remittance work queue exists in this database, checked once per
        pooled connection (kept in the connection's ``info``, never a second connection)."""
        connection = self.session.connection()
        if _WORK_ITEMS not in connection.info:
            found = inspect(connection).has_table(WorkItemRow.__tablename__)
            connection.info[_WORK_ITEMS] = found
        return bool(connection.info[_WORK_ITEMS])

    def head_and_open_items(self) -> tuple[int, int | None]:
        """The clinic's audit head's sequence number (0: no event yet) and its open unmatched
        work items (None when that table is not in this database), in one statement."""
        head = select(AuditHeadRow.seq).where(AuditHeadRow.clinic_id == self.clinic_id)
        columns: list[Any] = [head.scalar_subquery()]
        if self.has_work_items():
            columns.append(self._open_items().scalar_subquery())
        found = self.session.execute(select(*columns)).one()
        return int(found[0] or 0), (int(found[1] or 0) if len(found) > 1 else None)

    def _open_items(self) -> Any:
        return (
            select(func.count())
            .select_from(WorkItemRow)
            .where(WorkItemRow.clinic_id == self.clinic_id, WorkItemRow.resolved_at.is_(None))
        )

    def open_work_items(self) -> int:
        return int(self.session.scalar(self._open_items()) or 0)

    def unmatched(self, limit: int, offset: int) -> list[UnmatchedItem]:
        """Open work items, oldest first."""
        query = (
            select(WorkItemRow)
            .where(WorkItemRow.clinic_id == self.clinic_id, WorkItemRow.resolved_at.is_(None))
            .order_by(WorkItemRow.created_at, WorkItemRow.id)
            .limit(limit)
            .offset(offset)
        )
        return [
            UnmatchedItem(
                w.id,
                w.kind,
                w.reference,
                w.payer_claim_number,
                w.charge_cents,
                w.paid_cents,
                w.reason,
                w.created_at,
            )
            for w in self.session.scalars(query)
        ]
