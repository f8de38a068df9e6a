"""Expected vs paid: the billed claim lines of a period and what the payers' 835s posted on them.

Two named queries for :mod:`otbill.services.money`: ``billed_days`` (the claims sent or ready to
send with a date of service in ``[first, end)``, counted by payer, date, place and their lines,
for the what-if re-pricing of a year of visits: one grouped query, no ORM objects) and
``remitted_lines`` (lines an 835 posted on, with the payer's payment, the patient's share and
each adjustment, a reversal counted against the posting it undoes, as
:mod:`otbill.domain.ledger` does).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import String, case, cast, func, or_, select
from sqlalchemy.orm import aliased

from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.tables import ClaimLineRow, ClaimRow, PostingRow

__all__ = ["BilledDayRow", "PricingReports", "RemittedLine"]

# claims that are, or are about to be, in front of a payer; drafts and held claims are not
_BILLED = (
    "ready",
    "approved",
    "submitted",
    "accepted",
    "paid",
    "partially_paid",
    "denied",
    "appealed",
    "closed",
)

# (payer id, date of service, place of service, the day's lines, how many such claims)
BilledDayRow = tuple[int, dt.date, str, tuple[tuple[str, int, bool], ...], int]


@dataclass(slots=True)
class RemittedLine:
    """One claim line with the 835 postings on it (amounts in cents)."""

    line_id: int
    claim_id: int
    claim_number: str
    payer_id: int
    date: dt.date
    place_of_service: str
    code: str
    modifiers: str
    units: int
    assistant: bool
    charge_cents: int
    paid_cents: int = 0  # the payer's payments
    patient_cents: int = 0  # group PR: deductible, coinsurance, copay
    adjustments: dict[tuple[str, str], int] = field(default_factory=dict)  # (group, CARC)


class PricingReports(ClinicScoped):
    """The claim lines to price and the 835 postings to compare them with."""

    def billed_days(self, first: dt.date, end: dt.date) -> list[BilledDayRow]:
        """Original and corrected claims (not voids) counted by payer, date, place and their lines
        ((code, units, by an assistant: CQ/CO or recorded so), sorted): the database does the
        grouping, so a year of visits comes back as one row per distinct day."""
        assistant = or_(
            ClaimLineRow.furnished_by_assistant.is_(True),
            ClaimLineRow.modifiers.contains("CQ"),
            ClaimLineRow.modifiers.contains("CO"),
        )
        part = (
            ClaimLineRow.code
            + ":"
            + cast(ClaimLineRow.units, String)
            + ":"
            + case((assistant, "A"), else_="T")
        )
        per_claim = (
            select(
                ClaimRow.payer_id.label("payer_id"),
                ClaimRow.date_of_service.label("day"),
                ClaimRow.place_of_service.label("pos"),
                func.aggregate_strings(part, ";").label("lines"),
            )
            .join(ClaimLineRow, ClaimLineRow.claim_id == ClaimRow.id)
            .where(
                ClaimRow.clinic_id == self.clinic_id,
                ClaimRow.date_of_service >= first,
                ClaimRow.date_of_service < end,
                ClaimRow.frequency_code != "8",
                ClaimRow.status.in_(_BILLED),
            )
            .group_by(ClaimRow.id)
            .subquery()
        )
        query = select(
            per_claim.c.payer_id, per_claim.c.day, per_claim.c.pos, per_claim.c.lines, func.count()
        ).group_by(per_claim.c.payer_id, per_claim.c.day, per_claim.c.pos, per_claim.c.lines)
        merged: dict[tuple[int, dt.date, str, tuple[tuple[str, int, bool], ...]], int] = {}
        for payer_id, day, pos, text, count in self.session.execute(query):
            lines = []
            for part_text in text.split(";"):
                code, units, who = part_text.split(":")
                lines.append((code, int(units), who == "A"))
            key = (payer_id, day, pos, tuple(sorted(lines)))
            merged[key] = merged.get(key, 0) + count
        return [(*key, count) for key, count in merged.items()]

    def remitted_lines(self, first: dt.date, end: dt.date) -> list[RemittedLine]:
        """Lines of claims served in ``[first, end)`` with at least one 835 posting on them,
        their claim's other lines too (a day is priced whole), by claim then position."""
        original = aliased(PostingRow)
        postings = (
            select(
                PostingRow.claim_line_id,
                PostingRow.kind,
                PostingRow.amount_cents,
                PostingRow.payer_side,
                PostingRow.group_code,
                PostingRow.carc,
                original.kind,
                original.payer_side,
                original.group_code,
                original.carc,
            )
            .join(ClaimRow, ClaimRow.id == PostingRow.claim_id)
            .outerjoin(original, original.id == PostingRow.reverses_id)
            .where(
                PostingRow.clinic_id == self.clinic_id,
                or_(PostingRow.remittance_id.is_not(None), original.remittance_id.is_not(None)),
                ClaimRow.date_of_service >= first,
                ClaimRow.date_of_service < end,
            )
        )
        money: dict[int, RemittedLine] = {}
        found = list(self.session.execute(postings))
        if not found:
            return []
        remitted = (
            select(PostingRow.id)
            .where(
                PostingRow.clinic_id == self.clinic_id,
                PostingRow.claim_id == ClaimRow.id,
                PostingRow.remittance_id.is_not(None),
            )
            .exists()
        )
        lines = (
            select(
                ClaimLineRow.id,
                ClaimRow.id,
                ClaimRow.number,
                ClaimRow.payer_id,
                ClaimLineRow.date,
                ClaimRow.place_of_service,
                ClaimLineRow.code,
                ClaimLineRow.modifiers,
                ClaimLineRow.units,
                ClaimLineRow.furnished_by_assistant,
                ClaimLineRow.charge_cents,
            )
            .join(ClaimRow, ClaimRow.id == ClaimLineRow.claim_id)
            .where(
                ClaimRow.clinic_id == self.clinic_id,
                ClaimRow.date_of_service >= first,
                ClaimRow.date_of_service < end,
                remitted,
            )
            .order_by(ClaimRow.id, ClaimLineRow.position)
        )
        for row in self.session.execute(lines):
            money[row[0]] = RemittedLine(*row)
        adjustments: defaultdict[int, defaultdict[tuple[str, str], int]] = defaultdict(
            lambda: defaultdict(int)
        )
        for line_id, kind, cents, side, group, carc, o_kind, o_side, o_group, o_carc in found:
            line = money.get(line_id)
            if line is None:
                continue
            if kind == "reversal":
                kind, side, group, carc, cents = o_kind, o_side, o_group, o_carc, -cents
            if kind == "payment" and side:
                line.paid_cents += cents
            elif kind == "transfer":
                line.patient_cents += cents
            elif kind == "adjustment":
                adjustments[line_id][(group or "", carc or "")] += cents
        for line_id, by_reason in adjustments.items():
            money[line_id].adjustments = {k: v for k, v in by_reason.items() if v}
        return list(money.values())
