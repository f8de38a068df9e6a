"""Coordination of benefits: the chain of claims for one service (primary, secondary, tertiary),
crossover notices, and the prior payers' 835 postings a later claim reports (reached as
``uow.coordination``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from otbill.domain.coordination import AdjudicationFact
from otbill.domain.ledger import Kind
from otbill.domain.lifecycle import ClaimStatus
from otbill.domain.money import from_cents
from otbill.storage.audit import utcnow
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import flush, scoped, values_of
from otbill.storage.tables import (
    ClaimCoordinationRow,
    ClaimCrossoverRow,
    ClaimLineRow,
    ClaimRow,
    ClaimVisitRow,
    PostingRow,
    RemittanceRow,
)

__all__ = ["ChainLink", "CoordinationRepository", "Crossover"]


@dataclass(frozen=True, slots=True)
class ChainLink:
    """A later payer's claim and the claim it follows, with its place (S or T)."""

    claim_id: int
    prior_claim_id: int
    sequence: str


@dataclass(frozen=True, slots=True)
class Crossover:
    claim_id: int
    remittance_id: int | None
    to_payer_name: str
    reason: str
    recorded_on: dt.date


#: A claim line's columns a later payer's claim repeats (same lines, same charges).
_LINE_COPIED = (
    "position", "service_line_id", "date", "code", "minutes", "units", "modifiers",
    "charge_cents", "allowed_cents", "rendering_provider_id", "furnished_by_assistant",
    "distinct_service",
)  # fmt: skip


def _link(row: ClaimCoordinationRow) -> ChainLink:
    return ChainLink(row.claim_id, row.prior_claim_id, row.sequence)


class CoordinationRepository(ClinicScoped):
    """Links between a claim and the claims after it; crossover notices."""

    def follows(self, claim_id: int) -> ChainLink | None:
        """What ``claim_id`` follows (None for a primary claim); unique on ``claim_id``."""
        query = scoped(ClaimCoordinationRow, self.clinic_id).where(
            ClaimCoordinationRow.claim_id == claim_id
        )
        row = self.session.scalars(query).first()
        return _link(row) if row else None

    def followed_by(self, claim_id: int) -> ChainLink | None:
        """The claim after ``claim_id`` (its secondary or tertiary), if any was made."""
        query = scoped(ClaimCoordinationRow, self.clinic_id).where(
            ClaimCoordinationRow.prior_claim_id == claim_id
        )
        row = self.session.scalars(query.order_by(ClaimCoordinationRow.id)).first()
        return _link(row) if row else None

    def add_following(
        self,
        prior_id: int,
        *,
        number: str,
        coverage_id: int,
        payer_id: int,
        sequence: str,
        by_user: int | None,
    ) -> int:
        """A draft copy of the prior claim (its lines and visits too) for the next payer,
        linked to it; returns its id."""
        prior = self.session.get(ClaimRow, prior_id)
        assert prior is not None and prior.clinic_id == self.clinic_id
        row = ClaimRow(
            clinic_id=self.clinic_id,
            number=number,
            patient_id=prior.patient_id,
            coverage_id=coverage_id,
            payer_id=payer_id,
            date_of_service=prior.date_of_service,
            status=ClaimStatus.DRAFT.value,
            frequency_code="1",
            place_of_service=prior.place_of_service,
            telehealth=prior.telehealth,
            total_charge_cents=prior.total_charge_cents,
            findings=[],
            error_count=0,
            created_by=by_user or prior.created_by,
            last_edited_by=by_user or prior.last_edited_by,
            created_at=utcnow(),
        )
        self.session.add(row)
        flush(self.session)
        lines = scoped(ClaimLineRow, self.clinic_id).where(ClaimLineRow.claim_id == prior_id)
        for line in self.session.scalars(lines.order_by(ClaimLineRow.position)):
            values = {name: getattr(line, name) for name in _LINE_COPIED}
            self.session.add(ClaimLineRow(**values, clinic_id=self.clinic_id, claim_id=row.id))
        visits = scoped(ClaimVisitRow, self.clinic_id).where(ClaimVisitRow.claim_id == prior_id)
        for visit in self.session.scalars(visits):
            self.session.add(
                ClaimVisitRow(clinic_id=self.clinic_id, claim_id=row.id, visit_id=visit.visit_id)
            )
        self.session.add(
            ClaimCoordinationRow(clinic_id=self.clinic_id, claim_id=row.id,
                                 prior_claim_id=prior_id, sequence=sequence,
                                 created_at=utcnow())
        )  # fmt: skip
        flush(self.session)
        return row.id

    def adjudication_facts(self, claim_id: int) -> list[AdjudicationFact]:
        """The claim's 835 postings that are not reversals and not reversed by a payer, with
        their line's position and the remittance's payment date; ``ix_posting_claim``. The
        patient's share handed on to the next claim (reversed under a ``cob:`` key) stays: it is
        what the payer decided."""
        reversed_ids = select(PostingRow.reverses_id).where(
            PostingRow.clinic_id == self.clinic_id,
            PostingRow.reverses_id.is_not(None),
            PostingRow.source_key.not_like("cob:%"),
        )
        query = (
            select(PostingRow, ClaimLineRow.position, RemittanceRow.paid_on)
            .join(ClaimLineRow, ClaimLineRow.id == PostingRow.claim_line_id)
            .join(RemittanceRow, RemittanceRow.id == PostingRow.remittance_id)
            .where(
                PostingRow.clinic_id == self.clinic_id,
                PostingRow.claim_id == claim_id,
                PostingRow.kind != Kind.REVERSAL.value,
                PostingRow.id.not_in(reversed_ids),
            )
            .order_by(PostingRow.id)
        )
        return [
            AdjudicationFact(
                line=position,
                kind=Kind(p.kind),
                amount=from_cents(p.amount_cents),
                group=p.group_code,
                carc=p.carc,
                source_key=p.source_key,
                paid_on=paid_on,
            )
            for p, position, paid_on in self.session.execute(query)
        ]

    def add_crossover(self, crossover: Crossover) -> bool:
        """Record the notice once per claim and remittance; False when it was recorded before."""
        query = scoped(ClaimCrossoverRow, self.clinic_id).where(
            ClaimCrossoverRow.claim_id == crossover.claim_id,
            ClaimCrossoverRow.remittance_id == crossover.remittance_id,
        )
        if self.session.scalars(query).first() is not None:
            return False
        self.session.add(ClaimCrossoverRow(clinic_id=self.clinic_id, **values_of(crossover)))
        flush(self.session)
        return True

    def crossovers(self, claim_id: int) -> list[Crossover]:
        query = scoped(ClaimCrossoverRow, self.clinic_id).where(
            ClaimCrossoverRow.claim_id == claim_id
        )
        return [
            Crossover(r.claim_id, r.remittance_id, r.to_payer_name, r.reason, r.recorded_on)
            for r in self.session.scalars(query.order_by(ClaimCrossoverRow.id))
        ]
