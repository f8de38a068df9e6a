"""Visits, their service lines and notes (with amendments).

Reads return domain records (:class:`Visit`, :class:`VisitLine`, :class:`StoredNote`,
:class:`VisitNote`); changes (a draft note's text or template, signing, a draft visit's minutes)
go through named writes that take plain values.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import and_, exists, func, or_, select

from otbill.codes import cpt
from otbill.domain.care import StoredNote, Visit, VisitLine
from otbill.domain.notes import Amendment, Intervention, NoteText, NoteType, Signature, VisitNote
from otbill.storage.audit import utcnow
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import (
    among,
    as_visit,
    as_visit_line,
    fetch,
    flush,
    hold_sqlite_write_lock,
    scoped,
    set_given,
    values_of,
)
from otbill.storage.repositories.unbilled import unbilled_visit
from otbill.storage.tables import (
    ClaimRow,
    ClaimVisitRow,
    NoteAmendmentRow,
    NoteRow,
    PatientRow,
    ServiceLineRow,
    VisitRow,
)

__all__ = ["VisitRepository", "note_from_rows"]


def note_from_rows(
    row: NoteRow,
    lines: Sequence[ServiceLineRow | VisitLine],
    amendments: Sequence[NoteAmendmentRow],
) -> VisitNote:
    """The domain note from its stored rows: text, interventions from the visit's service lines
    (the one source of minutes), signature and amendments."""
    interventions = []
    for line in lines:
        info = cpt.lookup(line.code)
        interventions.append(Intervention(line.code, line.minutes, info.timed, info.is_evaluation))
    signature = None
    if row.signed_at is not None:
        signature = Signature(
            row.signature_name or "", row.signature_credential or "", row.signed_at
        )
    return VisitNote(
        NoteType(row.note_type),
        NoteText.from_mapping(row.content),
        tuple(interventions),
        signature,
        tuple(Amendment(a.at, a.by_user, a.changes, a.reason) for a in amendments),
    )


def _as_stored_note(row: NoteRow) -> StoredNote:
    return StoredNote(row.id, row.visit_id, row.note_type, dict(row.content), row.signed_at,
                      row.signature_name)  # fmt: skip


def _not_after(visit: Visit) -> Any:
    """Visits up to and including this one (same day: recorded before it)."""
    return or_(
        VisitRow.date < visit.date, and_(VisitRow.date == visit.date, VisitRow.id <= visit.id)
    )


class VisitRepository(ClinicScoped):
    """Visits, their service lines and notes (with amendments)."""

    def get(self, visit_id: int) -> Visit:
        """The visit (:class:`NotFound` when not this clinic's); primary key."""
        return as_visit(fetch(self.session, VisitRow, self.clinic_id, visit_id))

    def lock(self, visit_id: int) -> Visit:
        """The visit, its row locked until the unit of work ends; primary key."""
        return as_visit(fetch(self.session, VisitRow, self.clinic_id, visit_id, for_update=True))

    def of_patients(self, patient_ids: Iterable[int] | None) -> list[Visit]:
        """Every visit of these patients (or the clinic); ``ix_visit_clinic_patient_date``."""
        rows = among(self.session, VisitRow, self.clinic_id, VisitRow.patient_id, patient_ids)
        return [as_visit(v) for v in rows]

    def unbilled(
        self, through: dt.date | None = None, *, among: Iterable[int] | None = None
    ) -> list[Visit]:
        """Visits with service lines that no claim (other than a void) bills yet, up to
        ``through`` (and only those ``among`` these ids, a batch), by date;
        ``ix_claim_visit_visit`` and ``ix_service_line_visit``."""
        billed = (
            select(ClaimVisitRow.id)
            .join(ClaimRow, ClaimRow.id == ClaimVisitRow.claim_id)
            .where(ClaimVisitRow.visit_id == VisitRow.id, ClaimRow.frequency_code != "8")
        )
        has_lines = select(ServiceLineRow.id).where(ServiceLineRow.visit_id == VisitRow.id)
        query = scoped(VisitRow, self.clinic_id).where(~exists(billed), exists(has_lines))
        if through is not None:
            query = query.where(VisitRow.date <= through)
        if among is not None:
            query = query.where(VisitRow.id.in_(list(among)))
        rows = self.session.scalars(query.order_by(VisitRow.date, VisitRow.id))
        return [as_visit(v) for v in rows]

    def hold_for_billing(self, among: Iterable[int] | None = None) -> None:
        """Claims are about to be built for these visits (or every unbilled one) in this
        transaction: lock their patients' rows (FOR NO KEY UPDATE, in id order; on SQLite its
        write lock), so a second builder of the same patients waits here until the first commits,
        then reads the visits it billed and the claim numbers it took: never a visit built twice
        nor a number taken twice (claim numbers are per patient, coverage and day). Call it
        first in the transaction: SQLite cannot take its write lock after a read."""
        hold_sqlite_write_lock(self.session, ClaimRow.__tablename__)
        visits = select(VisitRow.patient_id).where(VisitRow.clinic_id == self.clinic_id)
        if among is None:
            visits = visits.where(unbilled_visit())
        else:
            visits = visits.where(VisitRow.id.in_(list(among)))
        query = (
            select(PatientRow.id)
            .where(PatientRow.clinic_id == self.clinic_id, PatientRow.id.in_(visits))
            .order_by(PatientRow.id)
            .with_for_update(key_share=True)
        )
        self.session.execute(query).all()

    def lines(self, visit_id: int) -> list[VisitLine]:
        """The visit's service lines in order; ``ix_service_line_visit``."""
        return [as_visit_line(r) for r in self._line_rows(visit_id)]

    def _line_rows(self, visit_id: int) -> list[ServiceLineRow]:
        query = scoped(ServiceLineRow, self.clinic_id).where(ServiceLineRow.visit_id == visit_id)
        return list(self.session.scalars(query.order_by(ServiceLineRow.position)))

    def lines_by_visit(self, visit_ids: Iterable[int] | None) -> dict[int, list[VisitLine]]:
        """Service lines of these visits (or the clinic's), in order, by visit id;
        ``ix_service_line_visit``."""
        query = scoped(ServiceLineRow, self.clinic_id)
        if visit_ids is not None:
            query = query.where(ServiceLineRow.visit_id.in_(list(visit_ids)))
        found: dict[int, list[VisitLine]] = defaultdict(list)
        for row in self.session.scalars(query.order_by(ServiceLineRow.position)):
            found[row.visit_id].append(as_visit_line(row))
        return found

    def add(self, visit: Visit, lines: Sequence[VisitLine], *, created_by: int | None) -> int:
        """A new visit with its service lines (ids and visit ids not given yet, ignored);
        returns its id."""
        row = VisitRow(**values_of(visit), clinic_id=self.clinic_id, created_by=created_by)
        self.session.add(row)
        flush(self.session)
        for line in lines:
            self.add_line(row.id, line)
        return row.id

    def add_line(self, visit_id: int, line: VisitLine) -> None:
        """A service line of the visit (the line's own id and visit id are ignored)."""
        values = values_of(line, "visit_id")
        self.session.add(ServiceLineRow(**values, clinic_id=self.clinic_id, visit_id=visit_id))

    def change_line(self, line_id: int, *, position: int, minutes: int, units: int) -> None:
        """Move a service line and set its minutes and (recomputed) units."""
        row = fetch(self.session, ServiceLineRow, self.clinic_id, line_id)
        row.position, row.minutes, row.units = position, minutes, units

    def remove_line(self, line_id: int) -> None:
        """Delete a service line (a draft visit's code the therapist took out)."""
        self.session.delete(fetch(self.session, ServiceLineRow, self.clinic_id, line_id))

    # --- notes ---------------------------------------------------------------------------

    def stored_note(self, note_id: int, *, for_update: bool = False) -> StoredNote:
        """The note's template, text and signature (its row locked when asked); primary key."""
        row = fetch(self.session, NoteRow, self.clinic_id, note_id, for_update=for_update)
        return _as_stored_note(row)

    def note_of_visit(self, visit_id: int) -> StoredNote | None:
        """The visit's note (one per visit), else None; unique ``visit_id``."""
        query = scoped(NoteRow, self.clinic_id).where(NoteRow.visit_id == visit_id)
        row = self.session.scalars(query.limit(1)).first()
        return _as_stored_note(row) if row else None

    def change_note(
        self, note_id: int, *, note_type: str | None = None, text: NoteText | None = None
    ) -> StoredNote:
        """Change a draft note's template or text (what is not given stays); returns it."""
        row = fetch(self.session, NoteRow, self.clinic_id, note_id)
        if text is not None:
            row.content, row.total_treatment_minutes = text.as_dict(), text.total_treatment_minutes
        return _as_stored_note(set_given(row, {"note_type": note_type}))

    def sign_note(
        self, note_id: int, *, by_user: int | None, name: str, credential: str
    ) -> StoredNote:
        """Sign the note now, as ``name, credential`` (the text is locked from then on)."""
        row = fetch(self.session, NoteRow, self.clinic_id, note_id)
        row.signed_at, row.signed_by = utcnow(), by_user
        row.signature_name, row.signature_credential = name, credential
        return _as_stored_note(row)

    def add_note(self, visit_id: int, note_type: str, text: NoteText) -> int:
        """The visit's draft note; returns its id."""
        minutes = text.total_treatment_minutes
        row = NoteRow(clinic_id=self.clinic_id, visit_id=visit_id, note_type=note_type,
                      content=text.as_dict(), total_treatment_minutes=minutes)  # fmt: skip
        self.session.add(row)
        flush(self.session)
        return row.id

    def add_amendment(
        self, note_id: int, by_user: int | None, changes: Mapping[str, Any], reason: str
    ) -> int:
        """A dated amendment to a signed note; returns its id."""
        row = NoteAmendmentRow(clinic_id=self.clinic_id, note_id=note_id, at=utcnow(),
                               by_user=by_user, changes=dict(changes), reason=reason)  # fmt: skip
        self.session.add(row)
        flush(self.session)
        return row.id

    def note(self, note_id: int) -> VisitNote:
        """The note as the domain sees it: text, interventions from the visit's service lines,
        signature, amendments; primary key, ``ix_service_line_visit``, amendments' note key."""
        row = fetch(self.session, NoteRow, self.clinic_id, note_id)
        amendments = scoped(NoteAmendmentRow, self.clinic_id).where(
            NoteAmendmentRow.note_id == note_id
        )
        lines = self._line_rows(row.visit_id)
        return note_from_rows(
            row, lines, list(self.session.scalars(amendments.order_by(NoteAmendmentRow.id)))
        )

    def notes_by_visit(
        self,
        visit_ids: Iterable[int] | None,
        lines: Mapping[int, Sequence[VisitLine]] | None = None,
    ) -> dict[int, VisitNote]:
        """The notes of these visits (or the clinic's), by visit id: notes (unique visit key) and
        amendments (their note index) in two queries, plus the service lines unless given as
        from :meth:`lines_by_visit`."""
        ids = None if visit_ids is None else list(visit_ids)
        lines = self.lines_by_visit(ids) if lines is None else lines
        amend: dict[int, list[NoteAmendmentRow]] = defaultdict(list)
        query = scoped(NoteAmendmentRow, self.clinic_id).order_by(NoteAmendmentRow.id)
        for a in self.session.scalars(query):
            amend[a.note_id].append(a)
        notes = scoped(NoteRow, self.clinic_id)
        if ids is not None:
            notes = notes.where(NoteRow.visit_id.in_(ids))
        return {
            n.visit_id: note_from_rows(n, lines.get(n.visit_id, []), amend[n.id])
            for n in self.session.scalars(notes.order_by(NoteRow.id))
        }

    # --- counts for the therapist's warnings -----------------------------------------------

    def note_types_back_from(self, visit: Visit) -> list[tuple[int, dt.date, str]]:
        """(visit id, date, note type) of the patient's visits up to this one, latest first;
        ``ix_visit_clinic_patient_date`` and the notes' unique visit key."""
        query = (
            select(VisitRow.id, VisitRow.date, NoteRow.note_type)
            .join(NoteRow, NoteRow.visit_id == VisitRow.id)
            .where(
                VisitRow.clinic_id == self.clinic_id,
                VisitRow.patient_id == visit.patient_id,
                _not_after(visit),
            )
            .order_by(VisitRow.date.desc(), VisitRow.id.desc())
        )
        return [(i, d, t) for i, d, t in self.session.execute(query)]

    def count_on_coverage_through(self, visit: Visit) -> int:
        """Visits under the visit's coverage up to and including it (a scan of the clinic's)."""
        query = select(func.count(VisitRow.id)).where(
            VisitRow.clinic_id == self.clinic_id,
            VisitRow.coverage_id == visit.coverage_id,
            _not_after(visit),
        )
        return int(self.session.scalar(query) or 0)
