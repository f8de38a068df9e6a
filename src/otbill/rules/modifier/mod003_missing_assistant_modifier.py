"""MOD003 missing-assistant-modifier."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim, ServiceLine
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.modifier._lines import appended, modifiers_of, replaced
from otbill.rules.registry import Applicability, Case, Edit, Finding, Fix, Severity, rule

# The assistant modifier of each discipline (CMS has none for SLP assistants).
_OWN = {"OT": "CO", "PT": "CQ"}
_OTHER = {"OT": "CQ", "PT": "CO"}


@rule(
    "MOD003",
    "missing-assistant-modifier",
    "modifier",
    Severity.ERROR,
    since="0.1.0",
    cases={
        "modifier-without-assistant": Case(
            Severity.WARNING, "CO is on a line the record says the therapist furnished alone"
        )
    },
)
def missing_assistant_modifier(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A service an assistant helped furnish lacks the CO modifier (or CO is on the
    therapist's own service).
    What it checks: a line the record says an assistant furnished (furnished_by_assistant,
    in whole or in part) carries the discipline's assistant modifier — CO on an OT claim —
    when the payer requires it on the date of service (assistant_modifier_required_from:
    Medicare, from 2020-01-01); CQ (the PT assistant modifier) is never on an OT claim; and a
    warning when CO is on a line the record says the therapist furnished alone.
    Why payers deny it: Medicare pays services furnished in whole or in part by an OT assistant
    at 85% (from 2022) and requires CO to apply it; billing an assistant's service without CO
    is an overpayment recouped on review. CQ on an OT service is inconsistent with the plan of
    care (CARC 4). CO on a therapist's own service needlessly cuts payment by 15%.
    Example: lines[1] 97530 furnished_by_assistant true with modifiers ['GO'] (add CO);
    modifiers ['GO', 'CQ'] on an OT claim (use CO).
    Fix: add CO (safe: the record says the assistant furnished the service); replace CQ by CO
    when the assistant furnished it; remove CO only after checking who furnished the service.
    Source: CMS "Billing Examples Using CQ/CO Modifiers for Services Furnished In Whole or In Part by PTAs and OTAs" (cms.gov; CO/CQ required from 2020-01-01, 85% payment from 2022-01-01; 42 CFR 410.59 and SSA §1834(v)).
    """
    own = _OWN.get(claim.discipline)
    if own is None:
        return
    other = _OTHER[claim.discipline]
    required_from = ctx.profile.assistant_modifier_required_from
    source = ctx.profile.source("assistant")
    for i, line in enumerate(claim.lines):
        if not line.furnished_by_assistant and not line.modifiers:
            continue
        info = ctx.infos[i]
        if info is None or "EM" in info.disciplines:
            continue
        mods = modifiers_of(line)
        if other in mods:
            yield _other_finding(claim, i, line, mods, own, other, source)
        elif line.furnished_by_assistant and own not in mods:
            if required_from is None or line.date < required_from:
                continue
            new = appended(mods, own)
            fix = Fix(f"add {own} to line {i + 1} in place of a less needed modifier")
            if new is not None:
                fix = Fix(
                    f"add {own} to line {i + 1}",
                    (Edit("modifiers", new, line=i),),
                    Applicability.SAFE,
                )
            yield missing_assistant_modifier.finding(
                f"{wording.line(claim, i)} has no {own} modifier: the record says an "
                f"assistant furnished {info.code} on {wording.day(line.date)}, and the payer "
                f"requires {own} from {wording.day(required_from)}",
                line=i,
                fix=fix,
                source=source,
            )
        elif own in mods and not line.furnished_by_assistant:
            yield missing_assistant_modifier.finding(
                f"{wording.line(claim, i)} carries {own} but the record says "
                f"the therapist furnished {info.code} (furnished_by_assistant false): {own} cuts "
                "payment to 85%",
                line=i,
                case="modifier-without-assistant",
                fix=Fix(
                    f"remove {own} from line {i + 1} if no assistant took part",
                    (Edit("modifiers", tuple(m for m in mods if m != own), line=i),),
                    Applicability.UNSAFE,
                ),
                source=source,
            )


def _other_finding(
    claim: Claim,
    i: int,
    line: ServiceLine,
    mods: tuple[str, ...],
    own: str,
    other: str,
    source: str,
) -> Finding:
    discipline = claim.discipline
    if line.furnished_by_assistant:
        fix = Fix(
            f"replace {other} by {own} on line {i + 1}",
            (Edit("modifiers", replaced(mods, frozenset({other}), own), line=i),),
            Applicability.SAFE,
        )
    else:
        fix = Fix(
            f"remove {other} from line {i + 1}",
            (Edit("modifiers", tuple(m for m in mods if m != other), line=i),),
            Applicability.UNSAFE,
        )
    return missing_assistant_modifier.finding(
        f"{wording.line(claim, i)} carries {other}, the assistant modifier "
        f"of another discipline, on a {discipline} claim: use {own}",
        line=i,
        fix=fix,
        source=source,
    )
