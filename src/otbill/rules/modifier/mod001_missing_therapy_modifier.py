"""MOD001 missing-therapy-modifier."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.codes import modifiers
from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.modifier._lines import appended, modifiers_of
from otbill.rules.registry import Applicability, Edit, Finding, Fix, Severity, rule

_DISCIPLINE = modifiers.DISCIPLINE


@rule("MOD001", "missing-therapy-modifier", "modifier", Severity.ERROR, since="0.1.0")
def missing_therapy_modifier(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A therapy line lacks the modifier (GO) that says it was occupational therapy.
    What it checks: on an OT claim, for payers that require a therapy modifier (Medicare: GO),
    every therapy line — each code the catalog lists for OT, which excludes the E/M codes —
    carries it. Lines with another discipline's modifier (GP, GN) are left to MOD002.
    Why payers deny it: Medicare requires GO, GP or GN on every line of outpatient therapy to
    say under which discipline's plan of care it was furnished; the modifier also assigns the
    services to the OT KX threshold. A line without it is returned as unprocessable (CARC 4:
    the modifier is inconsistent with the procedure or missing).
    Example: lines[1] 97530 with modifiers [] on a Medicare OT claim.
    Fix: add GO (safe: the claim is an OT claim and the code is an OT therapy service).
    Source: Medicare Claims Processing Manual, Pub 100-04, ch. 5, §20.1 (therapy modifiers GO/GP/GN on every therapy line).
    """
    required = ctx.profile.therapy_modifier
    if required is None or claim.discipline != "OT":
        return
    for i, line in enumerate(claim.lines):
        if required in line.modifiers:
            continue
        info = ctx.infos[i]
        if info is None or "OT" not in info.disciplines or "EM" in info.disciplines:
            continue
        mods = modifiers_of(line)
        if required in mods or not _DISCIPLINE.isdisjoint(mods):
            continue
        new = appended(mods, required)
        if new is None:
            fix = Fix(f"add {required} to line {i + 1} in place of a less needed modifier")
        else:
            fix = Fix(
                f"add {required} to line {i + 1}",
                (Edit("modifiers", new, line=i),),
                Applicability.SAFE,
            )
        yield missing_therapy_modifier.finding(
            f"{wording.line(claim, i)} has no {required} modifier: the payer requires "
            f"{required} on every line of therapy under an OT plan of care ({info.code})",
            line=i,
            fix=fix,
            source=ctx.profile.source("therapy_modifier"),
        )
