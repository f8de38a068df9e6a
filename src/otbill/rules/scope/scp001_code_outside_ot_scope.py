"""SCP001 code-outside-ot-scope."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule

_WHO = {
    "OT": "occupational therapy",
    "PT": "physical therapy",
    "SLP": "speech-language pathology",
    "AT": "athletic training",
    "EM": "physician/NPP evaluation and management",
    "ABA": "applied behaviour analysis",
}
# The OT evaluation for the same level of complexity, offered as a suggestion only.
_OT_EVALUATION = {"97161": "97165", "97162": "97166", "97163": "97167", "97164": "97168"}


@rule("SCP001", "code-outside-ot-scope", "scope", Severity.ERROR, since="0.1.0")
def code_outside_ot_scope(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A code belongs to another discipline (such as physical therapy), not occupational
    therapy.
    What it checks: each line's code belongs to the claim's discipline (claim.discipline, OT
    by default) in otbill's catalog: PT evaluations (97161–97164), speech-language codes
    (92507, 92508, 92521–92524), athletic-training evaluations (97169–97172) and the 2025
    telemedicine E/M codes (98000–98016) are not OT services.
    Why payers deny it: Medicare pays outpatient therapy under the plan of care of the
    discipline that furnished it (GO for OT); a PT or SLP code under an OT plan of care, or an
    E/M code billed by a therapist, is outside the provider's scope and is denied (CARC 185:
    the rendering provider is not eligible to perform the service billed, or CARC 170).
    Example: 97161 (PT evaluation, low complexity) on an OT claim: the OT evaluation is
    97165–97167.
    Fix: bill the discipline's own code from the note (e.g. 97165–97167 for an OT
    evaluation), or bill the service on the claim of the discipline that furnished it.
    Source: CPT code set as recorded in codes/data/cpt_catalog.csv (disciplines column); Pub 100-04, ch. 5, §20.1 (services billed under the discipline's plan of care); AMA CPT 2025 (telemedicine E/M codes 98000–98016 are not therapy codes).
    """
    discipline = claim.discipline
    for i, info in enumerate(ctx.infos):
        if info is None or discipline in info.disciplines:
            continue
        owners = " and ".join(_WHO.get(d, d) for d in sorted(info.disciplines))
        fix = None
        if info.code in _OT_EVALUATION and discipline == "OT":
            fix = Fix(
                f"bill the OT evaluation that matches the documented complexity "
                f"(e.g. {_OT_EVALUATION[info.code]}) instead of {info.code} on line {i + 1}"
            )
        yield code_outside_ot_scope.finding(
            f"{wording.line(claim, i)} ({info.description}) belongs to {owners}, outside "
            f"the scope of this {discipline} claim ({_WHO.get(discipline, discipline)})",
            line=i,
            fix=fix,
        )
