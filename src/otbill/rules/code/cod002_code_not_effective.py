"""COD002 code-not-effective."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from otbill.codes import cpt
from otbill.domain.claim import Claim
from otbill.errors import CodeError, CodeNotEffective
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Severity, rule


@rule("COD002", "code-not-effective", "code", Severity.ERROR, since="0.1.0")
def code_not_effective(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A procedure code was not in force on the date of service (deleted, or not yet
    created).
    What it checks: each line's code is in force on that line's date of service — not deleted
    before it, and not introduced after it.
    Why payers deny it: payers edit codes against the code set of the date of service; a
    deleted code (e.g. 97127, deleted 2019-12-31) is denied with CARC 181 (procedure code
    invalid on the date of service).
    Example: 97127 billed for 2025-02-14; cognitive function work is billed as 97129 (first
    15 minutes) and 97130 (each further 15 minutes) since 2020-01-01.
    Fix: bill the code in force on the date of service (the catalog names the replacement).
    Source: AMA CPT annual code changes as recorded in codes/data/cpt_catalog.csv (effective_from/effective_to); CARC 181.
    """
    for i, line in enumerate(claim.lines):
        if ctx.infos[i] is not None:
            continue
        try:
            info = cpt.lookup(line.code)
            cpt.lookup(line.code, line.date)
        except CodeError as exc:
            if not isinstance(exc, CodeNotEffective):
                continue  # COD001 reports unknown and malformed codes
            yield code_not_effective.finding(
                f"{wording.line(claim, i)}: {info.code} ({info.description}) "
                f"{_when(info, line.date)}",
                line=i,
            )


def _when(info: cpt.CodeInfo, on: dt.date) -> str:
    """Why the code is not in force on ``on``, in words."""
    if info.effective_to is not None and on > info.effective_to:
        return f"was deleted: its last day in force was {wording.day(info.effective_to)}"
    start = wording.day(info.effective_from) if info.effective_from else "a later date"
    return f"did not exist yet on that day: it is in force from {start}"
