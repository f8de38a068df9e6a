"""Append to and verify a clinic's audit chain (see ``otbill.domain.audit`` for the hashing).

Appending happens inside the caller's transaction, so an audit row exists exactly when the change
it describes was committed. The chain head is locked first (FOR UPDATE on PostgreSQL; SQLite
serialises writers anyway), so concurrent transactions cannot fork the chain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from otbill import clock
from otbill.domain.audit import GENESIS, canonical_json, event_hash, hash_of, jsonable, row_json
from otbill.storage.bulk_rows import JsonText, write_rows
from otbill.storage.repositories.rows import flush, hold_sqlite_write_lock
from otbill.storage.tables import AuditAnchorRow, AuditEventRow, AuditHeadRow

__all__ = ["AuditLog", "AuditProblem", "chain_state", "hash_at", "utcnow", "verify_chain"]


def utcnow() -> dt.datetime:
    """Naive UTC with microseconds: what both SQLite and PostgreSQL store and give back unchanged;
    on the run's "as of" day when it has one (:mod:`otbill.clock`)."""
    return clock.utcnow()


def _content(row: AuditEventRow) -> dict[str, Any]:
    return {
        "clinic_id": row.clinic_id,
        "seq": row.seq,
        "at": row.at.isoformat(timespec="microseconds"),
        "actor_id": row.actor_id,
        "action": row.action,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "before": row.before,
        "after": row.after,
    }


class AuditLog:
    """The audit writer of one unit of work (one clinic, one transaction)."""

    def __init__(self, session: Session, clinic_id: int, actor_id: int | None = None) -> None:
        self._session = session
        self._clinic_id = clinic_id
        self._actor = actor_id
        self._head: AuditHeadRow | None = None
        self._anchor: AuditAnchorRow | None = None
        self._batch: list[_Event] | None = None

    def _locked_head(self) -> AuditHeadRow:
        if self._head is None:
            # The changes this event describes are written first, through the unit of work's
            # error translation: an autoflush inside the query below would raise a raw
            # StaleDataError or IntegrityError (a 500) for a lost race (issue 11, item 22).
            flush(self._session)
            # SQLite ignores FOR UPDATE: take its write lock before reading the head, or two
            # transactions whose first write is an event read the same head and one breaks the
            # (clinic, seq) index instead of waiting its turn
            hold_sqlite_write_lock(self._session, AuditEventRow.__tablename__)
            query = (
                select(AuditHeadRow)
                .where(AuditHeadRow.clinic_id == self._clinic_id)
                .with_for_update()
            )
            with self._session.no_autoflush:
                head = self._session.scalars(query).one_or_none()
                anchor = self._session.get(AuditAnchorRow, self._clinic_id)
            if head is None:
                head = AuditHeadRow(clinic_id=self._clinic_id, seq=0, hash=GENESIS)
                self._session.add(head)
            if anchor is None:
                anchor = AuditAnchorRow(
                    clinic_id=self._clinic_id, row_count=head.seq, hash=head.hash, at=utcnow()
                )
                self._session.add(anchor)
            self._head, self._anchor = head, anchor
        return self._head

    def _moved(self, at: dt.datetime) -> None:
        """The anchor follows the head, in the same transaction (see ``AuditAnchorRow``)."""
        assert self._head is not None and self._anchor is not None
        self._anchor.row_count, self._anchor.hash = self._head.seq, self._head.hash
        self._anchor.at = at

    def _prepared(
        self,
        actor_id: int | None,
        action: str,
        entity: str,
        entity_id: object,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
    ) -> _Event:
        """The event as recorded now (its time, its images encoded once), not yet chained."""
        before_image = jsonable(before) if before is not None else None
        after_image = jsonable(after) if after is not None else None
        return _Event(utcnow(), actor_id, action, entity, str(entity_id), before_image,
                      after_image, _text(before_image), _text(after_image))  # fmt: skip

    def _chained(self, event: _Event) -> dict[str, Any]:
        """The event's column values, chained onto the head (which moves to it)."""
        head = self._locked_head()
        seq = head.seq + 1
        content = {"clinic_id": self._clinic_id, "seq": seq,
                   "at": event.at.isoformat(timespec="microseconds"), "actor_id": event.actor_id,
                   "action": event.action, "entity": event.entity,
                   "entity_id": event.entity_id}  # fmt: skip
        digest = hash_of(head.hash, row_json(content, event.before_text, event.after_text))
        values: dict[str, Any] = {**content, "at": event.at, "before": event.before_image,
                                  "after": event.after_image, "prev_hash": head.hash,
                                  "hash": digest}  # fmt: skip
        head.seq, head.hash = seq, digest
        return values

    def record_many(self, events: Sequence[tuple[str, str, object, Mapping[str, Any]]]) -> None:
        """Append many creation events (action, entity, id, after) with one bulk INSERT."""
        prepared = [self._prepared(self._actor, action, entity, entity_id, None, after)
                    for action, entity, entity_id, after in events]  # fmt: skip
        if self._batch is not None:
            self._batch.extend(prepared)
        elif prepared:
            rows = [self._chained(event) for event in prepared]
            self._session.execute(insert(AuditEventRow), rows)
            self._moved(rows[-1]["at"])

    def record(
        self,
        actor_id: int | None,
        action: str,
        entity: str,
        entity_id: object,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        """Append one event: who (``actor_id``), what (``action`` on ``entity``), before/after.
        Inside a batch (:meth:`batched`) the event is kept, its images already encoded, and
        chained when the batch is written."""
        event = self._prepared(actor_id, action, entity, entity_id, before, after)
        if self._batch is not None:
            self._batch.append(event)
        else:
            values = self._chained(event)
            self._moved(values["at"])
            self._session.add(AuditEventRow(**values))

    @contextmanager
    def batched(self) -> Iterator[None]:
        """Hold the events recorded inside the block and append them at its end in one statement
        (an import records thousands: on PostgreSQL the ORM wrote each as its own round trip).
        See :meth:`open_batch`."""
        opened = self.open_batch()
        try:
            yield
            if opened:
                self.write_batch()
        finally:
            if opened:
                self._batch = None

    def open_batch(self) -> bool:
        """Hold the events recorded from now on until :meth:`write_batch`; False when a batch is
        open already (its writer writes them). Each event's time and images are taken as it is
        recorded; the events are chained (seq, hash) in order when the batch is written, so the
        chain is that of one-at-a-time appends, and the head is locked only then: the records
        of an 835's step are planned without a lock, while the step before it is still being
        written (:mod:`otbill.services.remittances.overlap`). Events not yet written are not
        seen by reads of the trail."""
        if self._batch is not None:
            return False
        self._batch = []
        return True

    def drop_batch(self) -> None:
        """Close the batch without writing its events (its step failed and rolls back)."""
        self._batch = None

    def write_batch(self) -> None:
        """Chain the held events onto the head and append them (one statement); the batch
        closes."""
        pending, self._batch = self._batch or [], None
        if not pending:
            return
        rows = [self._chained(event) for event in pending]
        self._moved(rows[-1]["at"])
        if self._session.get_bind().dialect.name == "postgresql":
            for row, event in zip(rows, pending, strict=True):  # the JSON as hashed, not again
                row["before"] = None if event.before_text is None else JsonText(event.before_text)
                row["after"] = None if event.after_text is None else JsonText(event.after_text)
        write_rows(self._session, AuditEventRow, rows)


@dataclass(frozen=True, slots=True)
class _Event:
    """An event as recorded, before it is chained: its time, who and what, and its images as
    JSON values and as their canonical text (hashed, and stored as is on PostgreSQL)."""

    at: dt.datetime
    actor_id: int | None
    action: str
    entity: str
    entity_id: str
    before_image: Any
    after_image: Any
    before_text: str | None
    after_text: str | None


def _text(image: Any) -> str | None:
    """An image's canonical JSON text (None for none)."""
    return None if image is None else canonical_json(image, plain=True).decode("utf-8")


@dataclass(frozen=True, slots=True)
class AuditProblem:
    seq: int
    row_id: int | None
    message: str
    where: str = ""  # what the problem is about when not one row ("audit trail", "checkpoint …")

    def __str__(self) -> str:
        where = self.where or (
            f"audit row seq {self.seq}" + (f" (id {self.row_id})" if self.row_id else "")
        )
        return f"{where}: {self.message}"


def _rows(session: Session, clinic_id: int) -> Iterator[AuditEventRow]:
    query = (
        select(AuditEventRow)
        .where(AuditEventRow.clinic_id == clinic_id)
        .order_by(AuditEventRow.seq)
        .execution_options(yield_per=2000)
    )
    yield from session.scalars(query)


def verify_chain(session: Session, clinic_id: int) -> list[AuditProblem]:
    """Every problem in the clinic's chain: edited rows, deleted rows, a head that disagrees."""
    problems: list[AuditProblem] = []
    prev_seq, prev_hash, count = 0, GENESIS, 0
    for row in _rows(session, clinic_id):
        if row.seq != prev_seq + 1:
            missing = f"{prev_seq + 1}" + (f"–{row.seq - 1}" if row.seq - 1 > prev_seq + 1 else "")
            problems.append(AuditProblem(prev_seq + 1, None, f"missing (deleted): seq {missing}"))
        elif row.prev_hash != prev_hash:
            problems.append(AuditProblem(row.seq, row.id, "link to the previous row is broken"))
        if event_hash(row.prev_hash, _content(row), plain=True) != row.hash:
            problems.append(AuditProblem(row.seq, row.id, "content edited (hash mismatch)"))
        prev_seq, prev_hash = row.seq, row.hash
        count += 1
    head = session.get(AuditHeadRow, clinic_id)
    if head is not None and (head.seq, head.hash) != (prev_seq, prev_hash):
        problems.append(
            AuditProblem(
                prev_seq + 1, None, f"rows after seq {prev_seq} deleted (head at seq {head.seq})"
            )
        )
    else:  # the head agrees (or is gone): it may have been moved back with the rows
        anchor = session.get(AuditAnchorRow, clinic_id)
        problems.extend(_against_anchor(anchor, count, prev_seq, prev_hash, head is not None))
    return problems


def _against_anchor(
    anchor: AuditAnchorRow | None, count: int, last_seq: int, last_hash: str, has_head: bool
) -> list[AuditProblem]:
    """The chain against its anchor: a count or last hash that moved means deleted events."""
    trail = "audit trail"
    if anchor is None:
        if count or has_head:
            return [AuditProblem(last_seq, None, "the anchor row is missing (deleted)", trail)]
        return []
    if anchor.row_count > last_seq:
        gone = anchor.row_count - last_seq
        said = f"the anchor counts {anchor.row_count}, the chain holds {count}"
        events = "event" if gone == 1 else "events"
        return [AuditProblem(last_seq + 1, None, f"{gone} {events} deleted ({said})", trail)]
    if (anchor.row_count, anchor.hash) != (last_seq, last_hash):
        said = f"the anchor counts {anchor.row_count} ending in {anchor.hash[:12]}…"
        held = f"the chain holds {count} ending in {last_hash[:12]}…"
        return [AuditProblem(last_seq, None, f"does not match its anchor ({said}; {held})", trail)]
    return []


def chain_state(session: Session, clinic_id: int) -> tuple[int, str]:
    """(events in the chain, the last one's hash) as the anchor records them, for a checkpoint."""
    anchor = session.get(AuditAnchorRow, clinic_id)
    if anchor is not None:
        return anchor.row_count, anchor.hash
    head = session.get(AuditHeadRow, clinic_id)
    return (head.seq, head.hash) if head is not None else (0, GENESIS)


def hash_at(session: Session, clinic_id: int, seq: int) -> str | None:
    """The stored hash of the clinic's event ``seq`` (None: no such event)."""
    query = select(AuditEventRow.hash).where(
        AuditEventRow.clinic_id == clinic_id, AuditEventRow.seq == seq
    )
    return session.scalar(query)
