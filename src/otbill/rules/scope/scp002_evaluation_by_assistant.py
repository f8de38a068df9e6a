"""SCP002 evaluation-by-assistant."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.domain.credentials import is_assistant
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule
from otbill.rules.wording import line

_ASSISTANT_MODIFIERS = frozenset({"CO", "CQ"})
_KIND = {"eval": "an evaluation", "reeval": "a re-evaluation"}


@rule("SCP002", "evaluation-by-assistant", "scope", Severity.ERROR, since="0.1.0")
def evaluation_by_assistant(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: An evaluation was done by an OT assistant; only the occupational therapist may
    evaluate.
    What it checks: no evaluation or re-evaluation (97165–97168, and the other disciplines'
    evaluation codes) was furnished by a therapy assistant: the line is not marked as furnished
    by an assistant, carries no assistant modifier (CO, or CQ), and the rendering provider's
    credential is not an assistant's (COTA, OTA, PTA).
    Why payers deny it: an occupational therapy assistant may not evaluate or re-evaluate a
    patient, make clinical judgements or decisions, or write or change the plan of care; only
    the occupational therapist may. An evaluation furnished by an assistant is not a covered
    service and is denied (CARC 185, the rendering provider is not eligible to perform the
    service billed; CARC 170 payment denied when performed by this type of provider), or
    recouped on review.
    Example: 97165 on 3 Feb 2025 with modifiers GO and CO, furnished by a COTA.
    Fix: the occupational therapist performs the evaluation (or re-evaluation) and documents
    it, and bills it without CO; an assistant's visit that day is billed with treatment codes.
    Source: Medicare Benefit Policy Manual, Pub 100-02, ch. 15, §230.2 (occupational therapy: an OT assistant may not provide evaluative or assessment services, make clinical judgements or decisions, or take responsibility for the service); 42 CFR 410.59 (outpatient occupational therapy furnished by, or under the supervision of, a qualified occupational therapist).
    """
    provider = claim.rendering_provider
    assistant_renders = provider is not None and is_assistant(provider.credential)
    for i, info in enumerate(ctx.infos):
        if info is None or info.evaluation is None:
            continue
        service = claim.lines[i]
        mods = {m.strip().upper() for m in service.modifiers} & _ASSISTANT_MODIFIERS
        if service.furnished_by_assistant:
            who = "the record says a therapy assistant furnished it"
        elif mods:
            who = f"it carries the assistant modifier {', '.join(sorted(mods))}"
        elif assistant_renders:
            assert provider is not None
            who = (
                f"the rendering provider {provider.first_name} {provider.last_name} is an "
                f"assistant ({provider.credential})"
            )
        else:
            continue
        yield evaluation_by_assistant.finding(
            f"{line(claim, i)} is {_KIND[info.evaluation]} and {who}: only the therapist, "
            "never an assistant, may evaluate, so an assistant's evaluation is not payable",
            line=i,
            fix=Fix(
                f"have the therapist perform and document the "
                f"{'re-evaluation' if info.evaluation == 'reeval' else 'evaluation'} and bill "
                "it without CO or CQ; bill the assistant's part of the visit as treatment"
            ),
        )
