"""Prior authorizations, the visits that use them, and their channel of logged entries.

Reads return domain records (:class:`~otbill.domain.care.Authorization`,
:class:`~otbill.domain.authorizations.Entry`, :class:`~otbill.domain.authorizations.VisitUse`);
writes take the same records (id 0, not given yet) or named values.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import or_, select

from otbill.domain.authorizations import COVERING, AuthStatus, Entry, VisitUse, covering
from otbill.domain.care import Authorization
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import (
    as_authorization,
    fetch,
    flush,
    scoped,
    set_given,
    values_of,
)
from otbill.storage.tables import (
    AuthorizationEntryRow,
    AuthorizationRow,
    CoverageRow,
    ServiceLineRow,
    VisitRow,
)

__all__ = ["AuthorizationRepository"]


def _as_entry(r: AuthorizationEntryRow) -> Entry:
    return Entry(r.id, r.authorization_id, r.kind, r.text, r.at, r.author_id, r.reference,
                 r.contact, r.document, r.owner_id, r.due_on)  # fmt: skip


class AuthorizationRepository(ClinicScoped):
    """Prior authorizations, the visits that use them, and their logged entries."""

    def _insert(self, row: AuthorizationRow | AuthorizationEntryRow) -> int:
        row.clinic_id = self.clinic_id
        self.session.add(row)
        flush(self.session)
        return row.id

    def get(self, authorization_id: int, *, for_update: bool = False) -> Authorization:
        """The authorization (:class:`NotFound` when not this clinic's); primary key."""
        row = fetch(
            self.session, AuthorizationRow, self.clinic_id, authorization_id, for_update=for_update
        )
        return as_authorization(row)

    def add(self, authorization: Authorization) -> int:
        """A new authorization (its ``id`` is ignored); returns its id."""
        return self._insert(AuthorizationRow(**values_of(authorization)))

    def change(
        self,
        authorization_id: int,
        *,
        status: str | None = None,
        number: str | None = None,
        start_date: dt.date | None = None,
        end_date: dt.date | None = None,
        visits_authorized: int | None = None,
        units_authorized: int | None = None,
        codes: tuple[str, ...] | None = None,
    ) -> None:
        """Set the values given (not None); the rest stays as it is."""
        row = fetch(self.session, AuthorizationRow, self.clinic_id, authorization_id)
        given = {
            "status": status,
            "number": number,
            "start_date": start_date,
            "end_date": end_date,
            "visits_authorized": visits_authorized,
            "units_authorized": units_authorized,
            "codes": list(codes) if codes is not None else None,
        }
        set_given(row, given)
        flush(self.session)

    def of(
        self,
        *,
        coverage_ids: Iterable[int] | None = None,
        patient_id: int | None = None,
        current_on: dt.date | None = None,
    ) -> list[Authorization]:
        """Authorizations of these coverages, or of one patient, or all, by end date; the
        authorizations' coverage index. ``current_on``: only those still asked for (requested,
        pending) or not ended by that day — what a work queue needs, not years of history."""
        query = scoped(AuthorizationRow, self.clinic_id)
        if current_on is not None:
            query = query.where(
                or_(
                    AuthorizationRow.end_date >= current_on,
                    AuthorizationRow.status.in_([AuthStatus.REQUESTED, AuthStatus.PENDING]),
                )
            )
        if coverage_ids is not None:
            query = query.where(AuthorizationRow.coverage_id.in_(list(coverage_ids)))
        if patient_id is not None:
            of_patient = select(CoverageRow.id).where(CoverageRow.patient_id == patient_id)
            query = query.where(AuthorizationRow.coverage_id.in_(of_patient))
        query = query.order_by(AuthorizationRow.end_date, AuthorizationRow.id)
        return [as_authorization(a) for a in self.session.scalars(query)]

    def covering_on(
        self, coverage_id: int, on: dt.date, codes: Iterable[str] = ()
    ) -> Authorization | None:
        """The approved authorization of the coverage a visit on ``on`` is billed under."""
        query = scoped(AuthorizationRow, self.clinic_id).where(
            AuthorizationRow.coverage_id == coverage_id,
            AuthorizationRow.start_date <= on,
            AuthorizationRow.end_date >= on,
            AuthorizationRow.status.in_([s.value for s in COVERING]),
        )
        found = [as_authorization(a) for a in self.session.scalars(query)]
        return covering(found, coverage_id, on, set(codes))

    def uses(self, coverage_ids: Iterable[int]) -> list[VisitUse]:
        """The recorded visits on these coverages with their units per code, by date (what an
        authorization's use is counted from); ``ix_visit_clinic_patient_date`` and
        ``ix_service_line_visit``."""
        query = (
            select(
                VisitRow.id,
                VisitRow.coverage_id,
                VisitRow.date,
                ServiceLineRow.code,
                ServiceLineRow.units,
            )
            .outerjoin(ServiceLineRow, ServiceLineRow.visit_id == VisitRow.id)
            .where(VisitRow.clinic_id == self.clinic_id)
            .where(VisitRow.coverage_id.in_(list(coverage_ids)))
            .order_by(VisitRow.date, VisitRow.id, ServiceLineRow.position)
        )
        facts: dict[int, tuple[int, dt.date]] = {}
        units: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for visit_id, coverage_id, date, code, n in self.session.execute(query):
            facts[visit_id] = (coverage_id, date)
            if code is not None:
                units[visit_id].append((code, n))
        return [VisitUse(v, c, d, tuple(units[v])) for v, (c, d) in facts.items()]

    # --- the channel ------------------------------------------------------------------------

    def add_entry(self, entry: Entry) -> int:
        """A new logged entry (its ``id`` is ignored); returns its id."""
        return self._insert(AuthorizationEntryRow(**values_of(entry)))

    def entries(self, authorization_ids: Iterable[int] | None = None) -> list[Entry]:
        """The logged entries of these authorizations (or all), in the order they were written;
        ``ix_authorization_entry_authorization``."""
        query = scoped(AuthorizationEntryRow, self.clinic_id)
        if authorization_ids is not None:
            ids = list(authorization_ids)
            query = query.where(AuthorizationEntryRow.authorization_id.in_(ids))
        query = query.order_by(AuthorizationEntryRow.at, AuthorizationEntryRow.id)
        return [_as_entry(r) for r in self.session.scalars(query)]
