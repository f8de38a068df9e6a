"""THR001 kx-missing-over-threshold."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.modifier._lines import appended, modifiers_of
from otbill.rules.registry import Applicability, Case, Edit, Finding, Fix, Severity, rule
from otbill.rules.threshold._running import money, running


@rule(
    "THR001",
    "kx-missing-over-threshold",
    "threshold",
    Severity.ERROR,
    since="0.1.0",
    cases={
        "estimated-from-charges": Case(
            Severity.WARNING,
            "no fee schedule is loaded, so allowed amounts are estimated from line charges",
        ),
    },
)
def kx_missing_over_threshold(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The patient is over this year's therapy threshold and the KX modifier is missing.
    What it checks: for a payer with a KX threshold for the year of service (Medicare OT:
    $2,410 in 2025), once the year-to-date allowed amount (claim.ytd_therapy_allowed) plus this
    claim's lines, taken in date order, goes over the threshold, the line that goes over and
    every later line carry KX. A line's allowed amount is the fee schedule's amount × units
    (assistant lines at the profile's percent) when a fee schedule is loaded; without one it
    is estimated from the line's charge, which usually overstates it, so the finding is then a
    warning for review rather than an error.
    Why payers deny it: Medicare denies therapy above the annual per-beneficiary threshold
    unless KX attests that the services are medically necessary and documented as such (CARC
    119 or 96); the attestation must be true, so KX is added only when the note documents
    medical necessity.
    Example: ytd $2,380.00, 2025 threshold $2,410.00, a 97530 line worth $69.22 without KX.
    Fix: add KX — safe when the note documents medical necessity
    (documentation.medical_necessity); otherwise a person must first document it, as KX
    attests it.
    Source: Medicare Claims Processing Manual, Pub 100-04, ch. 5, §10.3 (KX modifier and therapy threshold); SSA §1833(g)(7); the yearly amount from the CMS PFS final rule for the year, as in the payer profile's kx source.
    """
    threshold = ctx.profile.kx_threshold(ctx.first_date.year)
    if threshold is None:
        return
    run = running(claim, ctx)
    if run.total <= threshold:
        return
    documented = claim.documentation is not None and claim.documentation.medical_necessity
    estimated = " (allowed amounts estimated from line charges: no fee schedule)" * (
        run.from_charges
    )
    source = ctx.profile.source("kx")
    for step in run.steps:
        if step.after <= threshold:
            continue
        line = claim.lines[step.at]
        mods = modifiers_of(line)
        if "KX" in mods:
            continue
        i = step.at
        new = appended(mods, "KX")
        if documented and new is not None:
            fix = Fix(
                f"add KX to line {i + 1} (the note documents medical necessity)",
                (Edit("modifiers", new, line=i),),
                Applicability.UNSAFE if run.from_charges else Applicability.SAFE,
            )
        elif new is not None:
            fix = Fix(
                f"document medical necessity in the note, then add KX to line {i + 1}: KX "
                "attests that the services over the threshold are medically necessary and "
                "documented as such",
                (Edit("modifiers", new, line=i),),
                Applicability.UNSAFE,
            )
        else:
            fix = Fix(f"add KX to line {i + 1} in place of a less needed modifier")
        yield kx_missing_over_threshold.finding(
            f"{wording.line(claim, i)} has no KX modifier: year-to-date "
            f"{claim.discipline} allowed {money(run.ytd)} plus this claim's lines through this "
            f"one ({money(step.after - run.ytd)}) make {money(step.after)}, over the "
            f"{run.year} KX threshold of {money(threshold)}{estimated}",
            line=i,
            fix=fix,
            case="estimated-from-charges" if run.from_charges else None,
            source=source,
        )
