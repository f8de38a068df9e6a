"""Coordination of benefits: the facts a secondary (or tertiary) claim carries, and how money moves.

A claim to a later payer repeats the claim sent to the payers before it (same lines, same charges)
and adds what each of them decided: in the 837P (005010X222A1) loop 2320 the prior payer's SBR,
its claim-level adjustments (CAS), what it paid (AMT*D) and what the patient still owes (AMT*EAF);
in 2330B its name and, when no line is reported, its adjudication date (DTP*573); and per service
line, loop 2430 (SVD paid amount, the line's CAS and DTP*573). Claim-level CAS from the 835 go in
2320 and line-level CAS in 2430 (TR3 section 1.4.1.1, Model 1, as X12's RFI 1535 quotes it).

Crossover: a primary 835 whose claim status (CLP02) is 19, 20 or 21 ("processed as ...,
forwarded to additional payer(s)"), or whose remarks include MA18 (the claim was forwarded to the
supplemental insurer) or N89 (forwarded to more than one other payer), says the payer sent the
claim on itself; the clinic sends no secondary and waits for the secondary's 835. CLP02 22 is a
reversal of a payment, not a forwarding, and is not crossover.

Money (the ledger of :mod:`otbill.domain.ledger`): the prior claim's patient responsibility on each
line (its group PR transfers, net of reversals) becomes the next claim's charge basis on that line.
The handoff, per line with a share: the prior line's PR transfers are reversed (the patient does
not owe it yet), an adjustment OA / CARC 23 ("impact of prior payer(s) adjudication") of the same
amount closes the prior line, and the next claim's line is charged that amount. Each claim then
balances on its own, the patient's balance is never counted twice, and what the next payer leaves
(its own PR) is what the patient owes. On the next payer's 835, its CARC 23 adjustments (the prior
payers' part, already on the prior claim) are not posted again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass as plain_dataclass
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import ConfigDict, Field
from pydantic.dataclasses import dataclass

from otbill.domain.ledger import Kind, Posting

__all__ = [
    "CROSSOVER_REMARKS",
    "FORWARDED_STATUSES",
    "PRIOR_PAYER_CARC",
    "AdjudicationFact",
    "Handoff",
    "LineAdjudication",
    "PriorAdjudication",
    "PriorAdjustment",
    "crossover_reason",
    "handoff",
    "is_prior_payer_adjustment",
    "next_sequence",
    "patient_shares",
    "prior_adjudication",
]

_CONFIG = ConfigDict(extra="forbid", str_strip_whitespace=True)
Money = Annotated[Decimal, Field(max_digits=12, decimal_places=2)]
ZERO = Decimal("0.00")

#: CLP02 values that say the payer forwarded the claim to the next payer.
FORWARDED_STATUSES = frozenset({"19", "20", "21"})
#: Remarks (MOA/MIA or LQ) that say the same: MA18 one supplemental insurer, N89 several.
CROSSOVER_REMARKS = frozenset({"MA18", "N89"})
#: CARC 23: the impact of prior payer(s) adjudication, including payments and/or adjustments.
PRIOR_PAYER_CARC = "23"
#: The source key ending the 835 planner gives a claim-level CAS amount split over the lines.
_CLAIM_LEVEL = re.compile(r":ca\d+:\d+$")


@dataclass(frozen=True, slots=True, config=_CONFIG)
class PriorAdjustment:
    """One CAS triplet a prior payer applied: group, CARC and amount."""

    group: Literal["CO", "OA", "PI", "PR"]
    reason: Annotated[str, Field(min_length=1, max_length=5)]
    amount: Money


@dataclass(frozen=True, slots=True, config=_CONFIG)
class LineAdjudication:
    """A prior payer's decision on one service line (837P loop 2430)."""

    line: Annotated[int, Field(ge=1, le=50)]  # the line's number on the claim (LX01)
    code: Annotated[str, Field(min_length=1, max_length=48)]
    paid: Money  # SVD02
    units: Annotated[int, Field(ge=0, le=999)]  # SVD05
    adjudicated_on: dt.date  # DTP*573
    modifiers: tuple[str, ...] = ()
    adjustments: tuple[PriorAdjustment, ...] = ()  # CAS


@dataclass(frozen=True, slots=True, config=_CONFIG)
class PriorAdjudication:
    """What a prior payer decided on the whole claim (837P 2320 amounts, 2330B date)."""

    paid: Money  # AMT*D
    adjudicated_on: dt.date  # DTP*573 (2330B when no line is reported)
    patient_responsibility: Money = ZERO  # AMT*EAF: what the patient still owes after it
    adjustments: tuple[PriorAdjustment, ...] = ()  # claim-level CAS (2320)
    lines: tuple[LineAdjudication, ...] = ()  # 2430, one per line it adjudicated


@plain_dataclass(frozen=True, slots=True)
class AdjudicationFact:
    """One unreversed 835 posting on a prior claim, with where it sits and when it was paid."""

    line: int  # the line's position on the claim
    kind: Kind
    amount: Decimal
    group: str | None
    carc: str | None
    source_key: str
    paid_on: dt.date


def crossover_reason(status: str, remarks: Iterable[str]) -> str | None:
    """Why the 835 says the payer forwarded the claim itself, in words; None when it did not."""
    if status in FORWARDED_STATUSES:
        return f"claim status {status} (processed, forwarded to additional payer(s))"
    found = sorted({r for r in remarks if r in CROSSOVER_REMARKS})
    if found:
        return f"remark {', '.join(found)} (claim forwarded to the supplemental payer)"
    return None


def next_sequence(prior: str) -> Literal["S", "T"] | None:
    """The place (SBR01) of the claim after one at ``prior``: P → S, S → T, T → none."""
    return {"P": "S", "S": "T"}.get(prior)  # type: ignore[return-value]


def is_prior_payer_adjustment(group: str | None, carc: str | None) -> bool:
    """A later payer's CAS for the prior payers' part: already on the prior claim's lines."""
    return group != "PR" and carc == PRIOR_PAYER_CARC


def _triplets(facts: Iterable[AdjudicationFact]) -> tuple[PriorAdjustment, ...]:
    sums: dict[tuple[str, str], Decimal] = {}
    for f in facts:
        if f.kind in (Kind.ADJUSTMENT, Kind.TRANSFER) and f.group and f.carc:
            key = (f.group, f.carc)
            sums[key] = sums.get(key, ZERO) + f.amount
    return tuple(
        PriorAdjustment(group=g, reason=c, amount=a)  # type: ignore[arg-type]
        for (g, c), a in sorted(sums.items())
        if a > 0
    )


def prior_adjudication(
    facts: Sequence[AdjudicationFact],
    lines: Sequence[tuple[int, str, tuple[str, ...], int]],
) -> PriorAdjudication | None:
    """The prior payer's decision from its postings; ``lines``: (position, code, modifiers, units)
    of the claim. Claim-level CAS amounts (split over lines when posted) are summed back into
    2320; everything else is reported per line. None when the payer has posted nothing."""
    if not facts:
        return None
    claim_level = [f for f in facts if _CLAIM_LEVEL.search(f.source_key)]
    line_level = [f for f in facts if not _CLAIM_LEVEL.search(f.source_key)]
    on = max(f.paid_on for f in facts)
    out = []
    for position, code, modifiers, units in lines:
        own = [f for f in line_level if f.line == position]
        if not own:
            continue
        paid = sum((f.amount for f in own if f.kind is Kind.PAYMENT), ZERO)
        out.append(
            LineAdjudication(
                line=position,
                code=code,
                modifiers=modifiers,
                paid=paid,
                units=units,
                adjudicated_on=max(f.paid_on for f in own),
                adjustments=_triplets(own),
            )
        )
    transfers = sum((f.amount for f in facts if f.kind is Kind.TRANSFER), ZERO)
    return PriorAdjudication(
        paid=sum((f.amount for f in facts if f.kind is Kind.PAYMENT), ZERO),
        adjudicated_on=on,
        patient_responsibility=transfers,
        adjustments=_triplets(claim_level),
        lines=tuple(out),
    )


def patient_shares(postings: Iterable[Posting]) -> dict[int, tuple[Decimal, tuple[int, ...]]]:
    """Per line id of a claim: the patient's share (PR transfers not reversed) and the ids of
    those transfers, which the handoff reverses."""
    postings = list(postings)
    reversed_ids = {p.reverses for p in postings if p.kind is Kind.REVERSAL}
    out: dict[int, tuple[Decimal, tuple[int, ...]]] = {}
    for p in postings:
        if p.kind is Kind.TRANSFER and p.id not in reversed_ids:
            amount, ids = out.get(p.line_id, (ZERO, ()))
            out[p.line_id] = (amount + p.amount, (*ids, p.id))
    return out


@plain_dataclass(frozen=True, slots=True)
class Handoff:
    """One line's move to the next payer: reverse ``transfer_ids`` and write off ``amount`` (OA
    23) on the prior line ``prior_line_id``; charge ``amount`` on ``next_line_id``."""

    prior_line_id: int
    next_line_id: int
    position: int
    amount: Decimal
    transfer_ids: tuple[int, ...]


def handoff(
    prior_postings: Iterable[Posting],
    prior_lines: Sequence[tuple[int, int]],
    next_lines: Sequence[tuple[int, int]],
) -> list[Handoff]:
    """The moves of every line (``*_lines``: (position, line id)); the next claim's lines are the
    prior claim's by position. A line without a share still gets its charge (of zero), so the
    next claim's charge basis is written once for every line."""
    shares = patient_shares(prior_postings)
    by_position = dict(next_lines)
    out = []
    for position, line_id in prior_lines:
        if position not in by_position:
            continue
        amount, ids = shares.get(line_id, (ZERO, ()))
        out.append(Handoff(line_id, by_position[position], position, amount, ids))
    return out
