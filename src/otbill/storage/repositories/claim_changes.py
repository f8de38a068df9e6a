"""A batch's claim changes (new status, payer claim number) written with a few statements.

Posting an 835 moves every claim it pays (submitted → accepted → paid, and the like). Through the
ORM that is one versioned UPDATE and two status-history objects a claim; a batch of an 835's
claims (:mod:`otbill.services.remittances.claim_batch`) instead writes its claims' changes here
at its end: one UPDATE run for every claim (each still checked against the version the batch
read, so a write that raced past it fails the batch: :class:`StaleRecord`), the history as plain
rows, the session's copies of the claims brought up to date without a reload, and the derived
tables kept for the changes (:func:`.written_rows.keep_written`; the claims' month rows through
:class:`.dashboard_claim_months.ClaimStatusMove`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Table, bindparam, text, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from otbill.domain.record_errors import StaleRecord
from otbill.storage.audit import utcnow
from otbill.storage.bulk_rows import copy_chunks, insert_numbered, reserve_ids, write_rows
from otbill.storage.repositories.dashboard_claim_months import ClaimStatusMove
from otbill.storage.repositories.id_lists import array_text
from otbill.storage.repositories.rows import flush
from otbill.storage.repositories.written_rows import keep_written
from otbill.storage.tables import ClaimRow, ClaimStatusRow

__all__ = [
    "PreparedClaimChanges",
    "StatusChange",
    "prepare_claim_changes",
    "write_claim_changes",
    "write_prepared_changes",
]

#: One status change: (claim id, from status, to status, reason), in the order made.
StatusChange = tuple[int, str, str, str]


#: The batch's claims' changes from arrays, each claim checked against the version read: on
#: PostgreSQL one statement for a step of an 835 (row-level security scopes it as any UPDATE).
_CHANGE_CLAIMS = text(
    f"UPDATE {ClaimRow.__tablename__} AS c"
    " SET status = v.status, payer_claim_number = v.number, version = c.version + 1"
    " FROM unnest(CAST(:id AS integer[]), CAST(:version AS integer[]),"
    " CAST(:status AS varchar[]), CAST(:number AS varchar[])) AS v(id, version, status, number)"
    " WHERE c.id = v.id AND c.version = v.version"
)


@dataclass
class PreparedClaimChanges:
    """A batch's claim changes made ready to write (:func:`prepare_claim_changes`): an 835's
    step prepares them while it is planned, and its writing only sends them (on PostgreSQL the
    step before it is being written meanwhile: :mod:`otbill.services.remittances.overlap`)."""

    params: list[dict[str, Any]]  # each claim's id, version read, status and payer number
    arrays: dict[str, str] | None  # PostgreSQL: the same as the UPDATE's arrays
    history: list[dict[str, Any]]  # the status history rows (numbered on PostgreSQL)
    history_text: list[str | None] | None  # and their COPY text (PostgreSQL)
    moves: list[ClaimStatusMove]


def write_claim_changes(
    session: Session,
    claims: Mapping[int, ClaimRow],
    changes: Mapping[int, Mapping[str, Any]],
    history: Sequence[StatusChange],
    by_user: int | None,
) -> None:
    """Write ``changes`` (claim id -> new ``status`` and/or ``payer_claim_number``) to
    ``claims`` (the rows as the batch read them, in this session) and ``history``."""
    if changes:
        prepared = prepare_claim_changes(session, claims, changes, history, by_user)
        write_prepared_changes(session, claims, prepared)


def prepare_claim_changes(
    session: Session,
    claims: Mapping[int, ClaimRow],
    changes: Mapping[int, Mapping[str, Any]],
    history: Sequence[StatusChange],
    by_user: int | None,
) -> PreparedClaimChanges:
    """:func:`write_claim_changes`' statements' values, each claim against the version read
    now; on PostgreSQL the history's ids are taken (:func:`.bulk_rows.reserve_ids`: nothing is
    written or locked) and its COPY text formatted."""
    flush(session)  # the ORM's pending writes first: the versions below are the stored ones
    params = []
    for claim_id, change in changes.items():
        row = claims[claim_id]
        params.append({"b_id": claim_id, "b_version": row.version,
                       "b_status": change.get("status", row.status),
                       "b_number": change.get("payer_claim_number", row.payer_claim_number)})  # fmt: skip
    now = utcnow()
    rows = [
        {"clinic_id": claims[claim_id].clinic_id, "claim_id": claim_id, "from_status": before,
         "to_status": after, "at": now, "by_user": by_user, "reason": reason}
        for claim_id, before, after, reason in history
    ]  # fmt: skip
    moves = []
    for claim_id, before, after, _ in history:
        c = claims[claim_id]
        moves.append(ClaimStatusMove(c.clinic_id, c.date_of_service, c.payer_id,
                                     c.frequency_code, c.total_charge_cents, before, after))  # fmt: skip
    arrays, text_of_rows = None, None
    ids = reserve_ids(session, ClaimStatusRow, len(rows))
    if ids is not None:  # PostgreSQL: one statement (an executemany ran one a claim)
        arrays = {name: array_text(p[f"b_{name}"] for p in params)
                  for name in ("id", "version", "status", "number")}  # fmt: skip
        for history_row, new_id in zip(rows, ids, strict=True):
            history_row["id"] = new_id
        text_of_rows = copy_chunks(rows)
    return PreparedClaimChanges(params, arrays, rows, text_of_rows, moves)


def write_prepared_changes(
    session: Session, claims: Mapping[int, ClaimRow], prepared: PreparedClaimChanges
) -> None:
    """Write :func:`prepare_claim_changes`' changes to ``claims`` (as read in this session) and
    their history; :class:`StaleRecord` when a claim's version moved since it was read."""
    params = prepared.params
    if not params:
        return
    flush(session)
    connection = session.connection()
    if prepared.arrays is not None:
        updated = connection.execute(_CHANGE_CLAIMS, prepared.arrays).rowcount
    else:  # SQLite runs an executemany in process, without round trips
        table = cast(Table, ClaimRow.__table__)
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
            .values(status=bindparam("b_status"), payer_claim_number=bindparam("b_number"),
                    version=table.c.version + 1)
        )  # fmt: skip
        updated = connection.execute(statement, params).rowcount
    if updated != len(params):
        raise StaleRecord(
            f"another user changed {len(params) - updated} of this 835's claims first; "
            "post the file again"
        )
    for p in params:  # as stored now, not marked changed (the ORM would write them again)
        row = claims[p["b_id"]]
        set_committed_value(row, "status", p["b_status"])
        set_committed_value(row, "payer_claim_number", p["b_number"])
        set_committed_value(row, "version", row.version + 1)
    rows = prepared.history
    if prepared.history_text is not None:  # numbered when prepared
        write_rows(session, ClaimStatusRow, rows, chunks=prepared.history_text)
    else:
        insert_numbered(session, ClaimStatusRow, rows)
    keep_written(
        session,
        {ClaimStatusRow: [SimpleNamespace(**r) for r in rows], ClaimStatusMove: prepared.moves},
    )
