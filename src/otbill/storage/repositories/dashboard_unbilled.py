"""Keeping the set of visits no claim bills yet (``unbilled_visit``, migration 0033).

Derived, never the truth: :func:`otbill.storage.repositories.unbilled.unbilled_visit` is the
definition. After every flush, in its transaction, the visits the flush may have changed (a
service line added or removed, a claim linked to them, a claim's frequency changed to or from a
void) are looked at again with that definition, in three statements whatever the flush's size:
the ones it selects are kept, the others dropped. Claims linked in bulk
(``ClaimRepository.insert_built``) call :func:`refresh_unbilled`. The dashboard's work figures
and the company dashboard then read a few hundred recent visits instead of every visit.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, delete, event, insert, inspect, select
from sqlalchemy.orm import Session

from otbill.storage.repositories.unbilled import unbilled_visit
from otbill.storage.tables import ClaimRow, ClaimVisitRow, ServiceLineRow, VisitRow
from otbill.storage.tables.dashboard_summary import UnbilledVisitRow

__all__ = ["backfill_unbilled", "keep_unbilled", "refresh_unbilled", "unbilled_mismatches"]


def _unbilled(visit_ids: Collection[int] | None, clinic_id: int | None = None) -> Any:
    """(clinic, visit) of the visits (these, or every one) no claim bills yet."""
    query = select(VisitRow.clinic_id, VisitRow.id).where(unbilled_visit())
    if visit_ids is not None:
        query = query.where(VisitRow.id.in_(visit_ids))
    if clinic_id is not None:
        query = query.where(VisitRow.clinic_id == clinic_id)
    return query


def refresh_unbilled(connection: Connection, visit_ids: Collection[int]) -> None:
    """Look at these visits again: keep those no claim bills, drop the rest."""
    if not visit_ids:
        return
    now = {visit: clinic for clinic, visit in connection.execute(_unbilled(visit_ids))}
    kept = set(
        connection.scalars(
            select(UnbilledVisitRow.visit_id).where(UnbilledVisitRow.visit_id.in_(visit_ids))
        )
    )
    gone = kept - now.keys()
    if gone:
        connection.execute(delete(UnbilledVisitRow).where(UnbilledVisitRow.visit_id.in_(gone)))
    new = sorted(now.keys() - kept)
    if new:
        connection.execute(
            insert(UnbilledVisitRow), [{"clinic_id": now[v], "visit_id": v} for v in new]
        )


def _frequency_changed(row: ClaimRow) -> bool:
    return bool(inspect(row).attrs.frequency_code.history.deleted)


def keep_unbilled(session: Session, _context: Any) -> None:
    """After a flush: the visits whose lines or claims changed, looked at again."""
    visits = {r.visit_id for r in session.new if isinstance(r, ServiceLineRow | ClaimVisitRow)}
    visits |= {r.visit_id for r in session.deleted if isinstance(r, ServiceLineRow)}
    changed = [r.id for r in session.dirty if isinstance(r, ClaimRow) and _frequency_changed(r)]
    connection = session.connection() if visits or changed else None
    if connection is None:
        return
    if changed:
        query = select(ClaimVisitRow.visit_id).where(ClaimVisitRow.claim_id.in_(changed))
        visits |= set(connection.scalars(query))
    refresh_unbilled(connection, visits)


event.listen(Session, "after_flush", keep_unbilled)


def backfill_unbilled(connection: Connection, clinic_id: int | None = None) -> None:
    """Rebuild the set from the visits (every clinic, or one)."""
    wipe = delete(UnbilledVisitRow)
    if clinic_id is not None:
        wipe = wipe.where(UnbilledVisitRow.clinic_id == clinic_id)
    connection.execute(wipe)
    connection.execute(
        insert(UnbilledVisitRow).from_select(["clinic_id", "visit_id"], _unbilled(None, clinic_id))
    )


def unbilled_mismatches(session: Session, clinic_id: int) -> list[str]:
    """The clinic's visits kept as unbilled that are not, or unbilled and not kept, in words."""
    want = {v for _, v in session.execute(_unbilled(None, clinic_id))}
    have = set(
        session.scalars(
            select(UnbilledVisitRow.visit_id).where(UnbilledVisitRow.clinic_id == clinic_id)
        )
    )
    return [f"visit {v}: kept as unbilled, but a claim bills it (or it has no lines)"
            for v in sorted(have - want)] + [
        f"visit {v}: no claim bills it, but it is not kept as unbilled" for v in sorted(want - have)
    ]  # fmt: skip
