"""The EDI exchange: files sent and applied (by SHA-256), which claim went in which 837, and the
work queue of what did not match.

Files and work items are facts written once (:class:`ExchangedFile`, :class:`QueuedItem`); reads
return ids and records.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import exists, func, or_, select

from otbill.domain.exchange import ExchangedFile, OutgoingFile, QueuedItem
from otbill.storage.audit import utcnow
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import fetch, flush, scoped, values_of
from otbill.storage.tables import EdiFileRow, PostingRow, SubmittedClaimRow, WorkItemRow

__all__ = ["ExchangeRepository"]


def _as_item(r: WorkItemRow) -> QueuedItem:
    return QueuedItem(r.id, r.source_key, r.kind, r.reference, r.reason, r.payer_claim_number,
                      r.claim_id, r.remittance_id, r.paid_cents, r.charge_cents)  # fmt: skip


class ExchangeRepository(ClinicScoped):
    """Files sent and applied, submitted claims, and the work queue."""

    def file_id(self, direction: str, sha256: str) -> int | None:
        """The id of the file with this digest, sent (``out``) or applied (``in``), else None;
        unique (clinic_id, direction, sha256)."""
        query = select(EdiFileRow.id).where(
            EdiFileRow.clinic_id == self.clinic_id,
            EdiFileRow.direction == direction,
            EdiFileRow.sha256 == sha256,
        )
        return self.session.scalars(query.limit(1)).first()

    def sent_837_id(self, control_number: int) -> int | None:
        """The id of the 837P we sent with this control number (GS06), else None;
        ``ix_edi_file_control``."""
        query = select(EdiFileRow.id).where(
            EdiFileRow.clinic_id == self.clinic_id,
            EdiFileRow.direction == "out",
            EdiFileRow.kind == "837P",
            EdiFileRow.control_number == control_number,
        )
        return self.session.scalars(query.order_by(EdiFileRow.id).limit(1)).first()

    def next_control_number(self) -> int:
        """One more than the highest control number of the files we sent;
        ``ix_edi_file_control``."""
        query = select(func.max(EdiFileRow.control_number)).where(
            EdiFileRow.clinic_id == self.clinic_id, EdiFileRow.direction == "out"
        )
        return int(self.session.scalar(query) or 0) + 1

    def add_file(
        self, file: ExchangedFile, by_user: int | None, outgoing: bytes | None = None
    ) -> int:
        """Remember a file sent or applied, timed now; returns its id. With ``outgoing`` the file
        goes in the outbox ("to send", its bytes kept) instead of counting as sent now."""
        values = {**values_of(file), "summary": dict(file.summary)}
        now = utcnow()
        sent_at = now if file.direction == "out" and outgoing is None else None
        row = EdiFileRow(**values, clinic_id=self.clinic_id, at=now, by_user=by_user,
                         outgoing=outgoing, sent_at=sent_at)  # fmt: skip
        self.session.add(row)
        flush(self.session)
        return row.id

    def outbox(self) -> list[OutgoingFile]:
        """The files recorded "to send" and not yet marked sent, oldest first; the clinic's
        part of the unique (clinic_id, direction, sha256) index."""
        query = select(EdiFileRow.id, EdiFileRow.name, EdiFileRow.outgoing,
                       EdiFileRow.control_number).where(
            EdiFileRow.clinic_id == self.clinic_id,
            EdiFileRow.direction == "out",
            EdiFileRow.outgoing.is_not(None),
        )  # fmt: skip
        rows = self.session.execute(query.order_by(EdiFileRow.id))
        return [OutgoingFile(i, name, bytes(data), control) for i, name, data, control in rows]

    def outbox_count(self) -> int:
        """How many files wait in the outbox (a count, their bytes not read: the queue page)."""
        query = select(func.count()).where(
            EdiFileRow.clinic_id == self.clinic_id,
            EdiFileRow.direction == "out",
            EdiFileRow.outgoing.is_not(None),
        )
        return int(self.session.scalar(query) or 0)

    def mark_sent(self, file_id: int) -> bool:
        """Take the file out of the outbox, sent now; False when it was marked already."""
        row = fetch(self.session, EdiFileRow, self.clinic_id, file_id, for_update=True)
        if row.outgoing is None:
            return False
        row.outgoing, row.sent_at = None, utcnow()
        flush(self.session)
        return True

    def add_submitted(self, file_id: int, set_control: str, claim_id: int) -> None:
        """Which claim went out in which 837 file and transaction set (ST02)."""
        self.session.add(SubmittedClaimRow(
            clinic_id=self.clinic_id, file_id=file_id, set_control=set_control, claim_id=claim_id
        ))  # fmt: skip

    def submitted_claim_ids(self, file_id: int, set_control: str) -> list[int]:
        """The claims sent in this file's transaction set; the submitted claims' file index."""
        query = select(SubmittedClaimRow.claim_id).where(
            SubmittedClaimRow.clinic_id == self.clinic_id,
            SubmittedClaimRow.file_id == file_id,
            SubmittedClaimRow.set_control == set_control,
        )
        return list(self.session.scalars(query.order_by(SubmittedClaimRow.id)))

    # --- the work queue ------------------------------------------------------------------------

    def has_work_item(self, source_key: str) -> bool:
        """Whether an item was queued under this key; unique (clinic_id, source_key)."""
        query = select(WorkItemRow.id).where(
            WorkItemRow.clinic_id == self.clinic_id, WorkItemRow.source_key == source_key
        )
        return self.session.scalars(query.limit(1)).first() is not None

    def add_work_item(self, item: QueuedItem) -> int:
        """Queue an item (its ``id`` is ignored), timed now; returns its id."""
        return self.add_work_items([item])[0]

    def add_work_items(self, items: Sequence[QueuedItem]) -> list[int]:
        """Queue these items (ids ignored) in one flush, timed now; returns their ids in order."""
        now = utcnow()
        rows = [
            WorkItemRow(**values_of(i), clinic_id=self.clinic_id, created_at=now) for i in items
        ]
        self.session.add_all(rows)
        flush(self.session)
        return [row.id for row in rows]

    def open_work_items(self) -> list[QueuedItem]:
        """Unresolved items, oldest first; ``ix_edi_work_item_open``."""
        query = scoped(WorkItemRow, self.clinic_id).where(WorkItemRow.resolved_at.is_(None))
        rows = self.session.scalars(query.order_by(WorkItemRow.id))
        return [_as_item(r) for r in rows]

    def open_work_item(self, item_id: int) -> QueuedItem | None:
        """The item when it is this clinic's and not resolved yet (:class:`NotFound` when not
        this clinic's); primary key."""
        row = fetch(self.session, WorkItemRow, self.clinic_id, item_id)
        return _as_item(row) if row.resolved_at is None else None

    def resolve_work_item(self, item_id: int) -> None:
        """Mark the item resolved, now."""
        fetch(self.session, WorkItemRow, self.clinic_id, item_id).resolved_at = utcnow()
        flush(self.session)

    def source_seen(self, prefix: str) -> bool:
        """Whether a posting or a queued item was made under ``prefix``; both tables' unique
        (clinic_id, source_key) indexes serve the prefix match."""
        query = select(
            or_(
                exists().where(
                    PostingRow.clinic_id == self.clinic_id, PostingRow.source_key.startswith(prefix)
                ),
                exists().where(
                    WorkItemRow.clinic_id == self.clinic_id,
                    WorkItemRow.source_key.startswith(prefix),
                ),
            )
        )
        return bool(self.session.scalar(query))
