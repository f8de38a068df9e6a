"""The other coverages an 837P claim names (loops 2320/2330A/2330B), as the reader collects them.

Only a claim billed to the primary is read this way: a 2320 whose SBR01 is S (secondary) or T
(tertiary) becomes an :class:`~otbill.domain.claim.OtherCoverage`; its amounts (CAS, AMT) and any
other 2320 loop are skipped. A 2320 missing its insured or payer is left out with a warning, so a
real file with an incomplete loop is still read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from otbill.domain.claim import Address, OtherCoverage, PayerRef
from otbill.x12.findings import X12Finding
from otbill.x12.parties_837p import Party

__all__ = ["OtherDraft", "incomplete_others", "other_coverages"]

_INSURED: dict[str, Any] = {"18": "self", "01": "spouse", "19": "child"}  # 2320 SBR02; else other


@dataclass(slots=True)
class OtherDraft:
    """One 2320 loop as read: its SBR, then the 2330A insured and the 2330B payer.
    An empty ``responsibility`` marks a loop otbill does not read (a payer before this one)."""

    responsibility: str
    relationship: str
    group_number: str
    filing: str
    insured: Party | None = None
    payer: Party | None = None


def other_coverages(
    drafts: Sequence[OtherDraft],
    profile_for: Callable[[str, str], str],
    address_of: Callable[[Party], Address | None],
) -> tuple[OtherCoverage, ...]:
    """The secondary and tertiary coverages of a claim billed to the primary."""
    others = []
    for other in drafts:
        insured, payer = other.insured, other.payer
        if not other.responsibility or insured is None or payer is None:
            continue  # not read, or reported by incomplete_others
        others.append(
            OtherCoverage(
                responsibility=other.responsibility,  # type: ignore[arg-type]
                payer=PayerRef(
                    profile=profile_for(other.filing, payer.ident),
                    payer_id=payer.ident,
                    name=payer.last,
                ),
                member_id=insured.ident,
                first_name=insured.first,
                last_name=insured.last,
                relationship=_INSURED.get(other.relationship, "other"),
                group_number=other.group_number or None,
                address=address_of(insured),
            )
        )
    return tuple(others)


def incomplete_others(
    drafts: Sequence[OtherDraft], position: int, claim_id: str
) -> list[X12Finding]:
    """A warning for each 2320 the claim is read without: its 2330A or 2330B is missing."""
    return [
        X12Finding(
            "warning",
            position,
            "CLM",
            None,
            f"claim {claim_id!r}: other coverage (2320 SBR*{other.responsibility}) left out, "
            "it has no 2330A insured (NM1*IL) or 2330B payer (NM1*PR)",
        )
        for other in drafts
        if other.responsibility and (other.insured is None or other.payer is None)
    ]
