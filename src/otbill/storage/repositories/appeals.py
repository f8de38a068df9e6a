"""Appeal packets, the denials prevention reads, amounts recovered, and prevention checks.

Reads return domain records (:class:`AppealPacket`, :class:`PreventionCheck`,
:class:`DenialEvent`); the final packet's PDF is kept on its row and read back by its denial.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select, text, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from otbill.domain.appeals import AppealPacket, DenialEvent, PreventionCheck
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import fetch, flush, scoped
from otbill.storage.tables import (
    AppealRow,
    ClaimLineRow,
    ClaimRow,
    DenialRow,
    EdiFileRow,
    PayerRow,
    PostingRow,
    RemittanceRow,
    SubmittedClaimRow,
)
from otbill.storage.tables.appeals import AppealPacketRow, PreventionCheckRow

__all__ = ["AppealRepository"]

_PACKET_FIELDS = (
    "id",
    "denial_id",
    "cause",
    "template",
    "level",
    "deadline",
    "body",
    "status",
    "edited_by",
    "edited_at",
    "finalised_by",
    "finalised_at",
    "pdf_sha256",
    "sent_on",
    "appeal_id",
)


def _packet(r: AppealPacketRow) -> AppealPacket:
    return AppealPacket(**{f: getattr(r, f) for f in _PACKET_FIELDS})


def _check(r: PreventionCheckRow, payer: PayerRow | None = None) -> PreventionCheck:
    return PreventionCheck(
        r.id,
        r.payer_id,
        r.code,
        r.carc,
        r.with_code,
        r.cause,
        r.denials,
        r.first_on,
        r.last_on,
        r.status,
        r.proposed_at,
        r.decided_by,
        r.decided_at,
        payer.name if payer else "",
        payer.payer_code if payer else "",
    )


#: Checks' counts from arrays: on PostgreSQL one statement for an 835's step (row-level security
#: scopes it as any UPDATE).
_COUNT_CHECKS = text(
    f"UPDATE {PreventionCheckRow.__tablename__} AS c SET denials = v.denials, last_on = v.last_on"
    " FROM unnest(CAST(:id AS integer[]), CAST(:denials AS integer[]), CAST(:last_on AS date[]))"
    " AS v(id, denials, last_on) WHERE c.id = v.id AND c.clinic_id = :clinic_id"
)


class AppealRepository(ClinicScoped):
    """Appeal packets and prevention checks of the clinic."""

    # --- packets

    def packet_for(self, denial_id: int) -> AppealPacket | None:
        """The denial's packet, else None; the packet's unique denial index."""
        row = self._packet_row(denial_id)
        return _packet(row) if row else None

    def _packet_row(self, denial_id: int) -> AppealPacketRow | None:
        query = scoped(AppealPacketRow, self.clinic_id).where(
            AppealPacketRow.denial_id == denial_id
        )
        return self.session.scalars(query).first()

    def save_packet(self, packet: AppealPacket, pdf: bytes | None = None) -> AppealPacket:
        """Insert the denial's packet or update it in place (with the final PDF when given)."""
        row = self._packet_row(packet.denial_id)
        if row is None:
            row = AppealPacketRow(clinic_id=self.clinic_id)
            self.session.add(row)
        for name in _PACKET_FIELDS[1:]:
            setattr(row, name, getattr(packet, name))
        if pdf is not None:
            row.pdf = pdf
        flush(self.session)
        return _packet(row)

    def packet_pdf(self, denial_id: int) -> bytes | None:
        """The final packet's PDF as kept, else None."""
        row = self._packet_row(denial_id)
        return row.pdf if row else None

    def recovered_cents(self, claim_id: int, after_remittance: int | None, since: dt.date) -> int:
        """Payer payments on the claim from a later remittance than the denial's, posted on or
        after ``since``, less reversals of them; the posting claim index."""
        query = select(PostingRow.kind, func.coalesce(func.sum(PostingRow.amount_cents), 0)).where(
            PostingRow.clinic_id == self.clinic_id,
            PostingRow.claim_id == claim_id,
            PostingRow.kind.in_(("payment", "reversal")),
            PostingRow.payer_side.is_(True),
            PostingRow.posted_on >= since,
            PostingRow.remittance_id.is_not(None),
        )
        if after_remittance is not None:
            query = query.where(PostingRow.remittance_id != after_remittance)
        sums = dict(self.session.execute(query.group_by(PostingRow.kind)).tuples().all())
        return max(0, int(sums.get("payment", 0)) - int(sums.get("reversal", 0)))

    # --- what prevention reads

    def denial_events(
        self, since: dt.date, payer_id: int | None = None, carc: str | None = None
    ) -> list[DenialEvent]:
        """Each denied code since ``since`` (of one payer and CARC when given): its payer, the
        CARC, the day, and the other codes billed with it that day (a denial of one line names
        that line; else every line)."""
        query = (
            select(DenialRow, ClaimRow.payer_id, ClaimRow.telehealth)
            .join(ClaimRow, ClaimRow.id == DenialRow.claim_id)
            .where(DenialRow.clinic_id == self.clinic_id, DenialRow.denied_on >= since)
            .order_by(DenialRow.id)
        )
        if payer_id is not None:
            query = query.where(ClaimRow.payer_id == payer_id)
        if carc is not None:
            query = query.where(DenialRow.carc == carc)
        denials = self.session.execute(query).tuples().all()
        claim_ids = {d.claim_id for d, _, _ in denials}
        lines: dict[int, list[ClaimLineRow]] = defaultdict(list)
        if claim_ids:
            q = scoped(ClaimLineRow, self.clinic_id).where(ClaimLineRow.claim_id.in_(claim_ids))
            for line in self.session.scalars(q.order_by(ClaimLineRow.position)):
                lines[line.claim_id].append(line)
        events = []
        for denial, payer_id, telehealth in denials:
            claim_lines = lines[denial.claim_id]
            denied = [ln for ln in claim_lines if ln.id == denial.claim_line_id] or claim_lines
            for line in denied:
                others = tuple(sorted({o.code for o in claim_lines if o.code != line.code}))
                events.append(
                    DenialEvent(
                        payer_id, line.code, denial.carc, denial.denied_on, others, telehealth
                    )
                )
        return events

    # --- prevention checks

    def checks(self, status: str | None = None) -> list[PreventionCheck]:
        """The clinic's checks (of one status), newest first, with their payer's name."""
        query = (
            select(PreventionCheckRow, PayerRow)
            .join(PayerRow, PayerRow.id == PreventionCheckRow.payer_id)
            .where(PreventionCheckRow.clinic_id == self.clinic_id)
        )
        if status is not None:
            query = query.where(PreventionCheckRow.status == status)
        rows = self.session.execute(query.order_by(PreventionCheckRow.id.desc())).tuples()
        return [_check(c, p) for c, p in rows]

    def check(self, check_id: int) -> PreventionCheck:
        """The check (:class:`NotFound` when not this clinic's)."""
        row = fetch(self.session, PreventionCheckRow, self.clinic_id, check_id)
        return _check(row, self.session.get(PayerRow, row.payer_id))

    def check_for(self, payer_id: int, code: str, carc: str) -> PreventionCheck | None:
        query = scoped(PreventionCheckRow, self.clinic_id).where(
            PreventionCheckRow.payer_id == payer_id,
            PreventionCheckRow.code == code,
            PreventionCheckRow.carc == carc,
        )
        row = self.session.scalars(query).first()
        return _check(row) if row else None

    def add_check(self, check: PreventionCheck) -> int:
        row = PreventionCheckRow(
            clinic_id=self.clinic_id,
            payer_id=check.payer_id,
            code=check.code,
            carc=check.carc,
            with_code=check.with_code,
            cause=check.cause,
            denials=check.denials,
            first_on=check.first_on,
            last_on=check.last_on,
            status=check.status,
            proposed_at=check.proposed_at,
        )
        self.session.add(row)
        flush(self.session)
        return row.id

    def update_check(self, check_id: int, **values: Any) -> None:
        row = fetch(self.session, PreventionCheckRow, self.clinic_id, check_id)
        for name, value in values.items():
            setattr(row, name, value)
        flush(self.session)

    def count_checks(self, counts: Mapping[int, tuple[int, dt.date]]) -> None:
        """Bring checks' counts up to date (check id -> (denials, last day)) in one statement,
        not one ORM update a check (an 835's step updates dozens), and the session's copies of
        them with it, without a reload."""
        if not counts:
            return
        flush(self.session)  # pending ORM changes first: they must not overwrite these later
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":
            arrays = {"id": list(counts), "denials": [n for n, _ in counts.values()],
                      "last_on": [last for _, last in counts.values()]}  # fmt: skip
            connection.execute(_COUNT_CHECKS, {**arrays, "clinic_id": self.clinic_id})
        else:  # SQLite runs an executemany in process, without round trips
            table = cast(Table, PreventionCheckRow.__table__)
            statement = (
                update(table)
                .where(table.c.id == bindparam("b_id"), table.c.clinic_id == self.clinic_id)
                .values(denials=bindparam("b_denials"), last_on=bindparam("b_last_on"))
            )
            params = [{"b_id": i, "b_denials": n, "b_last_on": last}
                      for i, (n, last) in counts.items()]  # fmt: skip
            connection.execute(statement, params)
        for check_id, (denials, last_on) in counts.items():
            row = self.session.identity_map.get(identity_key(PreventionCheckRow, check_id))
            if row is not None:  # as stored now, not marked changed
                set_committed_value(row, "denials", denials)
                set_committed_value(row, "last_on", last_on)

    # --- what a packet encloses from the exchange and the ledger

    def submissions(self, claim_id: int) -> list[tuple[str, str, dt.datetime, str, str]]:
        """Each 837P file that carried the claim: name, kind, when, ST02 and SHA-256."""
        query = (
            select(
                EdiFileRow.name,
                EdiFileRow.kind,
                EdiFileRow.at,
                SubmittedClaimRow.set_control,
                EdiFileRow.sha256,
            )
            .join(SubmittedClaimRow, SubmittedClaimRow.file_id == EdiFileRow.id)
            .where(
                SubmittedClaimRow.clinic_id == self.clinic_id,
                SubmittedClaimRow.claim_id == claim_id,
            )
            .order_by(EdiFileRow.at)
        )
        return [tuple(r) for r in self.session.execute(query).tuples()]  # type: ignore[misc]

    def remittance_lines(
        self, claim_id: int, remittance_id: int | None
    ) -> list[tuple[dt.date, str, str, str, str, int]]:
        """The claim's postings from one remittance: day, code, kind, group, CARC, cents."""
        if remittance_id is None:
            return []
        query = (
            select(
                PostingRow.posted_on,
                ClaimLineRow.code,
                PostingRow.kind,
                PostingRow.group_code,
                PostingRow.carc,
                PostingRow.amount_cents,
            )
            .join(ClaimLineRow, ClaimLineRow.id == PostingRow.claim_line_id)
            .where(
                PostingRow.clinic_id == self.clinic_id,
                PostingRow.claim_id == claim_id,
                PostingRow.remittance_id == remittance_id,
            )
            .order_by(PostingRow.id)
        )
        return [
            (day, code, kind, group or "", carc or "", cents)
            for day, code, kind, group, carc, cents in self.session.execute(query).tuples()
        ]

    def remittance_trace(self, remittance_id: int | None) -> tuple[str, dt.date] | None:
        """The remittance's trace number (TRN02) and payment date."""
        if remittance_id is None:
            return None
        row = self.session.get(RemittanceRow, remittance_id)
        if row is None or row.clinic_id != self.clinic_id:
            return None
        return row.trace_number, row.paid_on

    def set_appeal_outcome(self, appeal_id: int, outcome: str) -> None:
        """Record the payer's decision on an appeal (won, partial, lost)."""
        row = fetch(self.session, AppealRow, self.clinic_id, appeal_id)
        row.outcome = outcome
        flush(self.session)
