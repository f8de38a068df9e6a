"""Coordination of benefits: which claim follows which, and what a payer said about crossover (0020).

Why rows: a secondary (or tertiary) claim is its own claim, with its own number, payer, status
and postings; ``claim_coordination`` links it to the claim it follows (the primary's, or the
secondary's for a tertiary) and records its place in the order (SBR01 ``S`` or ``T``). A
primary's 835 that says the payer forwarded the claim to the next payer (claim status 19-22, or
a remark such as MA18 or N89) is a ``claim_crossover`` row: no secondary is sent by the clinic.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["ClaimCoordinationRow", "ClaimCrossoverRow"]


class ClaimCoordinationRow(ClinicOwned, Base):
    """A later payer's claim (``claim_id``) and the claim whose adjudication it carries."""

    __tablename__ = "claim_coordination"
    __table_args__ = (
        UniqueConstraint("claim_id"),
        CheckConstraint("sequence IN ('S','T')", name="sequence"),
    )
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"))
    prior_claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    sequence: Mapped[str] = mapped_column(String(1))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ClaimCrossoverRow(ClinicOwned, Base):
    """One 835's word that the payer forwarded the claim to the next payer (once per remittance)."""

    __tablename__ = "claim_crossover"
    __table_args__ = (UniqueConstraint("claim_id", "remittance_id"),)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    remittance_id: Mapped[int | None] = mapped_column(ForeignKey("remittance.id"))
    to_payer_name: Mapped[str] = mapped_column(String(80), default="")
    reason: Mapped[str] = mapped_column(String(80))
    recorded_on: Mapped[dt.date] = mapped_column(Date)
