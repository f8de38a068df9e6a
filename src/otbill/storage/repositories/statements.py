"""Patient statements: the facts a statement is built from, the statements sent, the holds.

Reads for a run are in bulk (one query per kind of fact for every patient with patient money),
because a run builds thousands of statements: no query per patient.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_, select

from otbill.domain.ledger import Kind, Posting
from otbill.domain.money import from_cents, to_cents
from otbill.domain.patient_account import PatientEntry
from otbill.domain.registration import Guarantor
from otbill.domain.statements import Addressee, Cycle, LineActivity, SentBefore
from otbill.storage.audit import utcnow
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import flush
from otbill.storage.tables import ClaimLineRow, PatientPostingRow, PatientRow, PostingRow
from otbill.storage.tables.statements import StatementHoldRow, StatementRow

__all__ = ["Hold", "SentStatement", "StatementFacts", "StatementRepository"]

_CHUNK = 900  # ids per IN (...) (SQLite's variable limit is 999 on old builds)


@dataclass(frozen=True, slots=True)
class Hold:
    patient_id: int
    scope: str  # 'patient' or 'guarantor'
    reason: str
    held_at: dt.datetime
    held_by: int | None


@dataclass(frozen=True, slots=True)
class SentStatement:
    id: int
    guarantor_key: str
    guarantor_name: str
    patient_ids: tuple[int, ...]
    cycle: Cycle
    on: dt.date
    amount_due_cents: int
    due_on: dt.date
    batch: str
    body: dict[str, Any]


@dataclass(slots=True)
class StatementFacts:
    """Everything the statements of some patients are built from."""

    patients: dict[int, Addressee]
    activity: dict[int, list[LineActivity]]  # by patient
    entries: dict[int, list[PatientEntry]]  # by patient


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _guarantor(value: dict[str, Any] | None) -> Guarantor | None:
    if not value:
        return None
    fields = Guarantor.__dataclass_fields__
    return Guarantor(**{k: str(v or "") for k, v in value.items() if k in fields})


def _sent(r: StatementRow) -> SentStatement:
    return SentStatement(r.id, r.guarantor_key, r.guarantor_name, tuple(r.patient_ids),
                         Cycle(r.cycle), r.statement_date, r.amount_due_cents, r.due_on, r.batch,
                         r.body)  # fmt: skip


class StatementRepository(ClinicScoped):
    """Statements sent are added, never changed; holds are set and lifted."""

    # --- facts ------------------------------------------------------------------------------

    def patients_with_patient_money(self) -> list[int]:
        """Patients with a patient share, a patient payment or an account entry, by id."""
        ledger = select(PostingRow.patient_id).where(
            PostingRow.clinic_id == self.clinic_id,
            or_(
                PostingRow.kind == Kind.TRANSFER.value,
                (PostingRow.kind == Kind.PAYMENT.value) & (PostingRow.payer_side.is_(False)),
            ),
        )
        entries = select(PatientPostingRow.patient_id).where(
            PatientPostingRow.clinic_id == self.clinic_id
        )
        found = set(self.session.scalars(ledger.distinct())) | set(
            self.session.scalars(entries.distinct())
        )
        return sorted(found)

    def facts(self, patient_ids: Iterable[int]) -> StatementFacts:
        """The patients' addresses and guarantors, ledger postings (with the day posted and
        the line's date of service and code) and account entries."""
        ids = sorted(set(patient_ids))
        out = StatementFacts({}, defaultdict(list), defaultdict(list))
        for part in _chunks(ids):
            self._patients(part, out)
            self._postings(part, out)
            self._entries(part, out)
        return out

    def _patients(self, ids: list[int], out: StatementFacts) -> None:
        query = select(PatientRow.id, PatientRow.first_name, PatientRow.last_name,
                       PatientRow.address_line1, PatientRow.city, PatientRow.state,
                       PatientRow.zip, PatientRow.account_number, PatientRow.mrn,
                       PatientRow.guarantor).where(
            PatientRow.clinic_id == self.clinic_id, PatientRow.id.in_(ids))  # fmt: skip
        for (
            pid,
            first,
            last,
            line1,
            city,
            state,
            zip_,
            account,
            mrn,
            guarantor,
        ) in self.session.execute(query):
            out.patients[pid] = Addressee(pid, f"{first} {last}", line1 or "", city or "",
                                          state or "", zip_ or "", account or mrn,
                                          _guarantor(guarantor))  # fmt: skip

    def _postings(self, ids: list[int], out: StatementFacts) -> None:
        p = PostingRow
        query = (
            select(p.id, p.source_key, p.kind, p.amount_cents, p.claim_id, p.claim_line_id,
                   p.patient_id, p.payer_id, p.payer_side, p.group_code, p.carc, p.reverses_id,
                   p.posted_on, ClaimLineRow.date, ClaimLineRow.code)
            .join(ClaimLineRow, ClaimLineRow.id == p.claim_line_id)
            .where(p.clinic_id == self.clinic_id, p.patient_id.in_(ids))
            .order_by(p.id)
        )  # fmt: skip
        for (pid, key, kind, cents, claim, line, patient, payer, side, group, carc, reverses,
             on, service, code) in self.session.execute(query):  # fmt: skip
            posting = Posting(pid, key, Kind(kind), from_cents(cents), claim, line, patient, payer,
                              side, group, carc, reverses)  # fmt: skip
            out.activity[patient].append(LineActivity(posting, on, service, code))

    def _entries(self, ids: list[int], out: StatementFacts) -> None:
        r = PatientPostingRow
        query = (
            select(r.id, r.patient_id, r.kind, r.amount_cents, r.posted_on, r.source)
            .where(r.clinic_id == self.clinic_id, r.patient_id.in_(ids))
            .order_by(r.posted_on, r.id)
        )
        for eid, patient, kind, cents, on, source in self.session.execute(query):
            out.entries[patient].append(
                PatientEntry(eid, patient, kind, from_cents(cents), on, source)
            )

    # --- statements sent --------------------------------------------------------------------

    def last_sent(self) -> dict[str, SentBefore]:
        """Each guarantor's latest statement: its cycle and date."""
        latest = (
            select(StatementRow.guarantor_key, func.max(StatementRow.statement_date).label("on"))
            .where(StatementRow.clinic_id == self.clinic_id)
            .group_by(StatementRow.guarantor_key)
            .subquery()
        )
        query = (
            select(StatementRow.guarantor_key, StatementRow.cycle, StatementRow.statement_date)
            .join(
                latest,
                (latest.c.guarantor_key == StatementRow.guarantor_key)
                & (latest.c.on == StatementRow.statement_date),
            )
            .where(StatementRow.clinic_id == self.clinic_id)
        )
        return {key: SentBefore(Cycle(cycle), on) for key, cycle, on in self.session.execute(query)}

    def sent_on(self, on: dt.date) -> set[str]:
        """The guarantors already sent a statement dated ``on``."""
        query = select(StatementRow.guarantor_key).where(
            StatementRow.clinic_id == self.clinic_id, StatementRow.statement_date == on
        )
        return set(self.session.scalars(query))

    def batches_on(self, on: dt.date) -> list[str]:
        query = select(StatementRow.batch).where(
            StatementRow.clinic_id == self.clinic_id, StatementRow.statement_date == on
        )
        return sorted(set(self.session.scalars(query.distinct())))

    def add(self, *, guarantor_key: str, guarantor_name: str, patient_ids: Iterable[int],
            cycle: Cycle, on: dt.date, amount_due: Any, due_on: dt.date, batch: str,
            body: dict[str, Any], by_user: int | None) -> None:  # fmt: skip
        row = StatementRow(
            clinic_id=self.clinic_id, guarantor_key=guarantor_key,
            guarantor_name=guarantor_name[:200], patient_ids=list(patient_ids), cycle=cycle.value,
            statement_date=on, amount_due_cents=to_cents(amount_due), due_on=due_on,
            batch=batch, body=body, created_at=utcnow(), created_by=by_user,
        )  # fmt: skip
        self.session.add(row)

    def written(self) -> None:
        """Write the statements added so far (one flush for many)."""
        flush(self.session)

    def get(self, statement_id: int) -> SentStatement | None:
        row = self.session.get(StatementRow, statement_id)
        return _sent(row) if row is not None and row.clinic_id == self.clinic_id else None

    def of_batch(self, batch: str) -> list[SentStatement]:
        query = (
            select(StatementRow)
            .where(StatementRow.clinic_id == self.clinic_id, StatementRow.batch == batch)
            .order_by(StatementRow.id)
        )
        return [_sent(r) for r in self.session.scalars(query)]

    def recent(self, limit: int = 200) -> list[SentStatement]:
        """The latest statements sent, newest first."""
        query = (
            select(StatementRow)
            .where(StatementRow.clinic_id == self.clinic_id)
            .order_by(StatementRow.statement_date.desc(), StatementRow.id.desc())
            .limit(limit)
        )
        return [_sent(r) for r in self.session.scalars(query)]

    def of_patient(self, patient_id: int, limit: int = 50) -> list[SentStatement]:
        """Statements that covered this patient, newest first (read in Python: JSON lists)."""
        return [s for s in self.recent(5000) if patient_id in s.patient_ids][:limit]

    # --- holds ------------------------------------------------------------------------------

    def holds(self) -> dict[int, Hold]:
        query = select(StatementHoldRow).where(StatementHoldRow.clinic_id == self.clinic_id)
        return {r.patient_id: Hold(r.patient_id, r.scope, r.reason, r.held_at, r.held_by)
                for r in self.session.scalars(query)}  # fmt: skip

    def hold(self, patient_id: int, scope: str, reason: str, by_user: int | None) -> None:
        """Set (or replace) the patient's hold."""
        self.lift(patient_id)
        self.session.add(StatementHoldRow(clinic_id=self.clinic_id, patient_id=patient_id,
                                          scope=scope, reason=reason[:300], held_at=utcnow(),
                                          held_by=by_user))  # fmt: skip
        flush(self.session)

    def lift(self, patient_id: int) -> bool:
        """Remove the patient's hold; False when there was none."""
        result = self.session.execute(
            delete(StatementHoldRow).where(
                StatementHoldRow.clinic_id == self.clinic_id,
                StatementHoldRow.patient_id == patient_id,
            )
        )
        return bool(getattr(result, "rowcount", 0))
