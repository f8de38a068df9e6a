"""MOD005 unknown-modifier."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator

from otbill.codes import modifiers
from otbill.domain.claim import Claim
from otbill.errors import CodeError, CodeNotEffective, MalformedCode
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule


@rule("MOD005", "unknown-modifier", "modifier", Severity.ERROR, since="0.1.0")
def unknown_modifier(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A modifier is not a known modifier, or was not in force on the date of service.
    What it checks: every modifier on a line is a modifier otbill knows (codes/data/modifiers.csv)
    and in force on the line's date of service (CO/CQ from 2020-01-01, X{EPSU} from 2015-01-01,
    93 from 2022-01-01).
    Why payers deny it: an invalid modifier, or one used before it existed, makes the line
    unprocessable (CARC 4 or 16); a mistyped modifier also loses the
    meaning the payer needed (e.g. "G0" for GO).
    Example: lines[1] modifiers ['G0'] (zero for the letter O); CO on a 2019 date of service.
    Fix: correct the modifier from the record; otbill never guesses one.
    Source: otbill modifier table codes/data/modifiers.csv (each row names its CMS/CPT source and dates); HIPAA code sets (45 CFR 162.1002: HCPCS and CPT modifiers).
    """
    for i, line in enumerate(claim.lines):
        for mod in line.modifiers:
            problem = _problem(mod, line.date)
            if problem is None:
                continue
            yield unknown_modifier.finding(
                f"line {i + 1}: {mod!r} {problem}",
                line=i,
                fix=Fix(f"correct or remove {mod!r} on line {i + 1} from the record"),
            )


@functools.lru_cache(maxsize=4096)
def _problem(mod: str, on: dt.date) -> str | None:
    """Why the modifier is not valid on the date, or None when it is."""
    try:
        modifiers.validate(mod, on)
    except CodeNotEffective as exc:
        return f"is not in force on {wording.day(on)} ({exc.reason})"
    except MalformedCode:
        return "is not a modifier: a modifier is exactly 2 letters or digits"
    except CodeError:
        return "is not a modifier otbill knows"
    return None
