"""MOD002 wrong-discipline-modifier."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.modifier._lines import modifiers_of, replaced
from otbill.rules.registry import Applicability, Edit, Finding, Fix, Severity, rule

_WRONG = frozenset({"GP", "GN"})
_NAMES = {"GP": "physical therapy", "GN": "speech-language pathology"}


@rule("MOD002", "wrong-discipline-modifier", "modifier", Severity.ERROR, since="0.1.0")
def wrong_discipline_modifier(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: An OT line carries the physical therapy (GP) or speech therapy (GN) modifier.
    What it checks: no line of an OT claim carries GP (physical therapy plan of care) or GN
    (speech-language pathology plan of care) on a code the catalog lists for OT. An error; a
    payer that accepts it may lower it in its profile (``severity: {MOD002: warning}``).
    Why payers deny it: the discipline modifier says whose plan of care the service was
    furnished under; GP on an OT service bills it to the PT+SLP threshold and to a PT plan of
    care the record does not have — denied (CARC 4) or recouped on review.
    Example: lines[1] 97530 with modifiers ['GP'] on an OT claim.
    Fix: replace GP/GN by GO (safe: the claim is an OT claim and the code is an OT service).
    Source: Medicare Claims Processing Manual, Pub 100-04, ch. 5, §20.1 (discipline-specific modifiers GO/GP/GN).
    """
    if claim.discipline != "OT":
        return
    for i, line in enumerate(claim.lines):
        if not line.modifiers:
            continue
        mods = modifiers_of(line)
        wrong = [m for m in mods if m in _WRONG]
        if not wrong:
            continue
        info = ctx.infos[i]
        if info is None or "OT" not in info.disciplines:
            continue  # an out-of-scope code is SCP001's finding; GP/GN may be right for it
        named = ", ".join(f"{m} ({_NAMES[m]})" for m in wrong)
        yield wrong_discipline_modifier.finding(
            f"{wording.line(claim, i)} carries {named} on an OT claim: "
            f"{info.code} was furnished under the OT plan of care, whose modifier is GO",
            line=i,
            fix=Fix(
                f"replace {'/'.join(wrong)} by GO on line {i + 1}",
                (Edit("modifiers", replaced(mods, _WRONG, "GO"), line=i),),
                Applicability.SAFE,
            ),
            source=ctx.profile.source("therapy_modifier"),
        )
