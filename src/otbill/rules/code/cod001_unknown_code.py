"""COD001 unknown-code."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.codes import cpt
from otbill.domain.claim import Claim
from otbill.errors import MalformedCode, UnknownCode
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Severity, rule


@rule("COD001", "unknown-code", "code", Severity.ERROR, since="0.1.0")
def unknown_code(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A procedure code is not a therapy code otbill knows (often a typo).
    What it checks: every line's procedure code is a CPT or HCPCS code in otbill's therapy
    catalog, written as one (five characters: 97530, G0283).
    Why payers deny it: a code that does not exist, or one mistyped, cannot be priced; the
    claim is rejected at the front door or denied with CARC 16/181 and RARC M51.
    Example: a line billed as "9753O" (letter O) or "97350" (transposed digits).
    Fix: correct the code from the visit's note; otbill never guesses a code.
    Source: HIPAA code sets (45 CFR 162.1002: CPT and HCPCS); otbill catalog, codes/data/cpt_catalog.csv.
    """
    for i, line in enumerate(claim.lines):
        if ctx.infos[i] is not None:
            continue
        try:
            cpt.lookup(line.code)
        except MalformedCode:
            yield unknown_code.finding(
                f"{wording.line(claim, i)} is not shaped like a CPT or HCPCS code", line=i
            )
        except UnknownCode:
            yield unknown_code.finding(
                f"{wording.line(claim, i)} is not a therapy code otbill knows", line=i
            )
