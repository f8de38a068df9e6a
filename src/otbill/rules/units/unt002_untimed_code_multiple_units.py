"""UNT002 untimed-code-multiple-units."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.codes import cpt
from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Applicability, Edit, Finding, Fix, Severity, rule
from otbill.rules.units._facts import plural

_UNTIMED = cpt.Basis.UNTIMED


@rule("UNT002", "untimed-code-multiple-units", "units", Severity.ERROR, since="0.1.0")
def untimed_code_multiple_units(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A code paid once a day whatever its length is billed for more than one unit.
    What it checks: an untimed (service-based) code — evaluations and re-evaluations, group
    therapy 97150, supervised modalities such as 97012 or G0283, swallowing treatment 92526 —
    is billed for one unit per date of service: the units of all lines of that code on a date
    add up to 1.
    Why payers deny it: an untimed code is paid once per date whatever its length; units above
    1 are denied as exceeding the code's units (CARC 151, or an MUE of 1 per day).
    Example: 97165 billed with 2 units because the evaluation lasted 50 minutes.
    Fix: bill 1 unit — an unsafe fix, applied only with ``--unsafe-fixes``: the code's
    definition fixes the units, but they are a billed amount, and the charge is left as billed
    for the biller to check. When the code is on several lines that date, keep one line.
    Source: Medicare Claims Processing Manual, Pub 100-04, ch. 5, §20.2 (service-based codes are one unit regardless of time); AMA CPT code descriptors (service-based codes carry no time unit), as recorded in otbill's catalog codes/data/cpt_catalog.csv (basis untimed).
    """
    for date, indexes in ctx.lines_by_date.items():
        groups: dict[str, list[int]] = {}
        for i in indexes:
            info = ctx.infos[i]
            if info is not None and info.basis is _UNTIMED:
                groups.setdefault(info.code, []).append(i)
        for code, group in groups.items():
            total = sum(claim.lines[i].units for i in group)
            if total <= 1:
                continue
            first = group[0]
            if len(group) == 1:
                where = wording.line(claim, first)
                fix = Fix(
                    f"set the units of line {first + 1} to 1",
                    (Edit("units", 1, line=first),),
                    Applicability.UNSAFE,  # units are a billed amount
                )
            else:
                where = wording.lines(claim, group)
                fix = Fix(f"keep one line of {code} on {wording.day(date)} with 1 unit")
            yield untimed_code_multiple_units.finding(
                f"{where}: {plural(total)} billed; {code} is an "
                "untimed code, paid as 1 unit per date of service whatever its minutes",
                line=first,
                fix=fix,
            )
