"""DUP001 duplicate-service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from otbill.codes import cpt
from otbill.codes.modifiers import REPEAT
from otbill.domain.claim import Claim, HistoryLine
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Case, Finding, Fix, Severity, rule

_FIX = (
    "if this corrects the earlier claim, send it as a replacement claim (frequency 7) with "
    "the payer's claim number as the original claim; otherwise remove the line"
)


@rule(
    "DUP001",
    "duplicate-service",
    "duplicate",
    Severity.ERROR,
    since="0.1.0",
    cases={
        "replacement": Case(
            Severity.WARNING,
            "the claim is a replacement (frequency 7), whose original history may not record",
        ),
    },
)
def duplicate_service(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: This service was already billed for the same patient, day and therapist.
    What it checks: no line bills a service — same patient, date of service, code and
    rendering provider — that was already billed, either in the patient's ``history`` or on an
    earlier claim of this batch. History lines are left out when they belong to this same claim
    (``claim_id``: a resubmission of the same claim), when they were billed to another payer
    (``payer_id`` set and different: a secondary claim is not a duplicate), and, for a
    replacement (``frequency_code`` 7), when they belong to the claim it replaces (the claim id
    in ``original_claim_number``). A history line without a rendering NPI counts as billed by
    this claim's rendering provider. Because a replacement's ``original_claim_number`` is the
    payer's claim number, which history may not record, a replacement that matches another
    claim's line is only a warning. Voids (frequency 8) and lines marked as repeats (modifier
    76 or 77) are not checked.
    Why payers deny it: the payer has paid or is paying that service; the second is denied as
    an exact duplicate (CARC 18, with group OA), and repeated duplicates draw attention.
    Example: 97530 on 2025-02-07 by NPI 1245319599 billed again on a new claim after claim
    CLM-0000 already billed it.
    Fix: if the claim corrects the earlier one, send it as a replacement claim (frequency 7)
    with the payer's claim number; if the service was really furnished twice, document why and
    use the repeat modifier the payer accepts; otherwise delete the line.
    Source: CARC 18 (exact duplicate claim/service); X12 837P CLM05-3 claim frequency codes 7 and 8 with REF*F8 (payer claim control number).
    """
    if claim.frequency_code == "8":
        return
    replacement = claim.frequency_code == "7"
    skip = {claim.claim_id, claim.original_claim_number} if replacement else {claim.claim_id}
    provider = claim.rendering_provider
    default_npi = provider.npi if provider is not None else claim.billing_provider.npi
    billed: dict[tuple[dt.date, str, str], HistoryLine] = {}
    payer = claim.payer.payer_id
    dates = ctx.lines_by_date
    for h in claim.history:
        if (
            h.date not in dates
            or h.claim_id in skip
            or (h.payer_id is not None and h.payer_id != payer)
        ):
            continue
        key = (h.date, cpt.compact(h.code), h.rendering_npi or default_npi)
        billed.setdefault(key, h)
    batch = ctx.run.batch
    for i, line in enumerate(claim.lines):
        if REPEAT.intersection(line.modifiers):
            continue
        npi = ctx.rendering_npi(line)
        code = cpt.compact(line.code)
        earlier = billed.get((line.date, code, npi)) if billed else None
        if earlier is not None:
            yield duplicate_service.finding(
                f"{_where(i, code, line.date, npi)} was already billed on claim {earlier.claim_id}",
                line=i,
                case="replacement" if replacement else None,
                fix=Fix(_FIX),
            )
            continue
        digest = ctx.service_key(line)
        if digest in batch:  # the same claim id twice in one batch is a duplicate submission too
            other = batch.claim_for(digest)
            if replacement and other is not None and other == claim.original_claim_number:
                continue
            named = f"claim {other}" if other else "another claim"
            yield duplicate_service.finding(
                f"{_where(i, code, line.date, npi)} is also billed on {named} earlier in this batch",
                line=i,
                fix=Fix(_FIX),
            )


def _where(i: int, code: str, date: dt.date, npi: str) -> str:
    return f"line {i + 1} ({code} on {wording.day(date)}) by NPI {npi}"
