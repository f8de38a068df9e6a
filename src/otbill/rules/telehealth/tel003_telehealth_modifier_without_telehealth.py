"""TEL003 telehealth-modifier-without-telehealth."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.modifier._lines import modifiers_of
from otbill.rules.registry import Applicability, Edit, Finding, Fix, Severity, rule
from otbill.rules.telehealth._policy import is_telehealth

_TELEHEALTH = frozenset({"95", "GT", "93"})


@rule(
    "TEL003",
    "telehealth-modifier-without-telehealth",
    "telehealth",
    Severity.WARNING,
    since="0.1.0",
)
def telehealth_modifier_without_telehealth(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A line says telehealth but the visit was in person.
    What it checks: a line carries a telehealth modifier (95, GT, 93) only on a telehealth
    claim: claim.telehealth true or a telehealth place of service (02, 10).
    Why payers deny it: the modifier says the service was furnished by telehealth while the
    rest of the claim says it was in person; the payer prices or denies by the wrong facts, or
    denies the line as inconsistent with the place of service (CARC 5).
    Example: lines[1] 97530 with modifiers ['GO', '95'], POS 11 and telehealth false.
    Fix: if the visit was in person, remove the modifier; if it was by telehealth, mark the
    claim as telehealth with the telehealth place of service (a person confirms which).
    Source: Medicare Claims Processing Manual, Pub 100-04, ch. 12, §190 (telehealth billing); CY2024 PFS final rule (modifier 95 for therapy, 93 audio-only, POS 02/10 from 2024-01-01).
    """
    if is_telehealth(claim, ctx):
        return
    for i, line in enumerate(claim.lines):
        if not line.modifiers:
            continue
        mods = modifiers_of(line)
        found = [m for m in mods if m in _TELEHEALTH]
        if not found:
            continue
        yield telehealth_modifier_without_telehealth.finding(
            f"{wording.line(claim, i)} carries {', '.join(found)} "
            f"(telehealth), but the visit was not by telehealth (place of service "
            f"{claim.place_of_service})",
            line=i,
            fix=Fix(
                f"remove {', '.join(found)} from line {i + 1} if the visit was in person",
                (Edit("modifiers", tuple(m for m in mods if m not in _TELEHEALTH), line=i),),
                Applicability.UNSAFE,
            ),
            source=ctx.profile.source("telehealth"),
        )
