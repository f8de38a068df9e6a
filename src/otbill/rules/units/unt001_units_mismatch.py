"""UNT001 units-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from otbill import units
from otbill.codes import cpt
from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Applicability, Case, Finding, Fix, Severity, rule
from otbill.rules.units._facts import distribute, family_of, plural, unit_edits

_TIMED = cpt.Basis.TIMED
# The payer's units method, as a biller names it.
_METHOD = {
    units.Method.CMS: "Medicare's 8-minute rule (the payer's method)",
    units.Method.PER_CODE: "counting each code on its own (the payer's method)",
}
_TIME_BASED = (cpt.Basis.TIMED, cpt.Basis.PER_TIME)


@rule(
    "UNT001",
    "units-mismatch",
    "units",
    Severity.ERROR,
    since="0.1.0",
    cases={
        "tie-split": Case(
            Severity.WARNING,
            "the total is right but the split between codes with equal minutes left over is not one the manual allows",
        ),
    },
)
def units_mismatch(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The units billed do not match the minutes recorded (the 8-minute rule).
    What it checks: for each date of service and each time-based code (15-minute codes and
    codes with other time units), the units billed — added over every line of that code that
    date — equal what the 8-minute-rule engine gives for the recorded minutes under the
    payer's method (cms: the day's total timed minutes decide the timed units; per-code: each
    code counted on its own). Lines without minutes are left to UNT003, untimed codes to UNT002.
    When the engine reports a tie (two codes with equal minutes left over competing for a unit,
    which the manual lets the provider choose), a claim that gives the unit to the other tied
    code is accepted; a split of the tied codes' units that is none of the allowed choices but
    keeps their total is a warning; a wrong total is an error. A primary code and its add-on
    (97129 "first 15 minutes" and 97130 "each further 15 minutes"; 97545/97546, 97550/97551,
    98980/98981) are one service: their units are compared together, so 97129 × 1 + 97130 × 2
    for 45 minutes passes however the minutes were split between the two lines; how the units
    are split between them (one to the primary) is UNT005's.
    Why payers deny it: units above what the minutes support are overbilling (denied or
    recouped on review, CARC 151/150); units below underbill. Medicare counts the total timed
    minutes of the day (the 8-minute rule), commercial payers often each code on its own.
    Example: 97530 on 14 Feb 2025 with 24 minutes billed as 3 units: 24 timed minutes that day
    fall in the 23–37 minute band, so the cms method gives 2.
    Fix: set the units to the engine's value — an unsafe fix, applied only with
    ``--unsafe-fixes``: it changes a billed amount, and the charge is left as billed for the
    biller to check. When several lines share the code and date, the
    units are split by their minutes if the lines are otherwise alike, else a person splits them.
    For a primary and its add-on, the fix gives the primary 1 unit and the add-on the rest (a
    missing add-on line is added by a person).
    Source: Medicare Claims Processing Manual, Pub 100-04, ch. 5, §20.2 (8-minute rule, Examples 1–2); AMA CPT time rule (a unit of time is attained when the midpoint is passed: 8 minutes for a 15-minute code) for the per-code method, which commercial contracts adopt; the payer profile's units method.
    """
    method = ctx.profile.units_method
    for date, indexes in ctx.lines_by_date.items():
        result = ctx.units_by_date.get(date)
        if result is None:
            continue
        groups: dict[str, list[int]] = {}  # by family: a primary and its add-on are one service
        unmeasured: set[str] = set()  # families with a line lacking minutes
        timed_unmeasured = False
        for i in indexes:
            info = ctx.infos[i]
            if info is None or info.basis not in _TIME_BASED:
                continue
            key = family_of(info.code)
            groups.setdefault(key, []).append(i)
            if claim.lines[i].minutes is None:
                unmeasured.add(key)
                timed_unmeasured = timed_unmeasured or info.basis is _TIMED
        if not groups:
            continue
        billed = {key: sum(claim.lines[i].units for i in g) for key, g in groups.items()}
        engine: dict[str, int] = {}
        for line in result.lines:
            key = family_of(line.code)
            engine[key] = engine.get(key, 0) + line.units
        for key, group in groups.items():
            expected = engine.get(key, 0)
            if billed[key] == expected or key in unmeasured:
                continue
            timed = ctx.infos[group[0]].basis is _TIMED  # type: ignore[union-attr]
            if timed and timed_unmeasured and method == "cms":
                continue  # the day's pool is incomplete; UNT003 reports the line
            ties = [t for t in result.ties if key in t.codes] if timed else []
            if ties and _other_tie_choice(ties, billed, engine):
                continue
            tie = bool(ties) and _same_total(ties, billed, engine)
            yield _finding(claim, ctx, result, key, group, billed[key], expected, tie)


def _other_tie_choice(
    ties: list[units.Tie], billed: dict[str, int], engine: dict[str, int]
) -> bool:
    """Whether the billed units are another allocation the manual allows for the tied codes."""
    for tie in ties:
        diffs = []
        for code in tie.codes:
            diff = billed.get(code, 0) - engine.get(code, 0)
            allowed = (0, -1) if code in tie.winners else (0, 1)
            if diff not in allowed:
                return False
            diffs.append(diff)
        if sum(diffs) != 0:
            return False
    return True


def _same_total(ties: list[units.Tie], billed: dict[str, int], engine: dict[str, int]) -> bool:
    """Whether the tied codes' units add up to the engine's: only their split is in question."""
    tied = {code for tie in ties for code in tie.codes}
    return sum(billed.get(c, 0) for c in tied) == sum(engine.get(c, 0) for c in tied)


def _finding(
    claim: Claim,
    ctx: ClaimContext,
    result: units.UnitsResult,
    key: str,
    group: list[int],
    billed: int,
    expected: int,
    tie: bool,
) -> Finding:
    minutes = sum(claim.lines[i].minutes or 0 for i in group)
    where = wording.lines(claim, group)
    add_on = cpt.add_on_of(key)
    family = f"{key} and {add_on}" if add_on else key
    expected_text = _expected(result, key, add_on, expected)
    together = f" with {family} together" if add_on else ""
    message = (
        f"{where}{together}: {plural(billed)} billed for {plural(minutes, 'minute')}; "
        f"{_METHOD[result.method]} gives {expected_text} "
        f"({_why(result, key, minutes, expected)})"
    )
    if tie:
        message += (
            "; the engine's split of the day's units between codes with equal minutes left over "
            "is one choice among those the manual leaves to the provider, but the units billed "
            "match none of them"
        )
    fix = (
        _family_fix(claim, result, group, key, add_on, where)
        if add_on
        else _fix(claim, group, expected, where, key)
    )
    return units_mismatch.finding(
        message,
        line=group[0],
        fix=fix,
        case="tie-split" if tie else None,
        source=ctx.profile.source("units"),
    )


def _expected(result: units.UnitsResult, key: str, add_on: str | None, expected: int) -> str:
    if add_on is None:
        return str(expected)
    return f"{key} × {result.units_for(key)} and {add_on} × {result.units_for(add_on)}"


def _why(result: units.UnitsResult, code: str, minutes: int, expected: int) -> str:
    info = cpt.lookup(code)
    add_on = cpt.add_on_of(code)
    if info.basis is not _TIMED:
        capped = f", at most {info.max_units_day} a day" if info.max_units_day else ""
        text = (
            f"{code} is counted in {info.unit_minutes}-minute units, the first from "
            f"{info.first_unit_minutes} minutes{capped}"
        )
        if add_on:
            return f"{text}, and every later unit is {add_on}"
        return f"{text}: {minutes} minutes → {plural(expected)}"
    family = f"; {code} takes the first unit, {add_on} every later one" if add_on else ""
    if result.method is units.Method.PER_CODE:
        return (
            f"each code is counted on its own: {minutes} minutes of {code} → {plural(expected)}; "
            f"8–22 minutes make 1 unit, 23–37 make 2{family}"
        )
    text = (
        f"{result.total_timed_minutes} timed minutes that day → {plural(result.total_units)} "
        "in all: 8–22 minutes → 1, 23–37 → 2, 38–52 → 3, ..."
    )
    timed_codes = [line for line in result.lines if line.basis is _TIMED]
    if len(timed_codes) > 1:
        split = ", ".join(f"{line.code} {line.minutes} min → {line.units}" for line in timed_codes)
        text += f"; split by each code's full 15 minutes, then the most minutes left: {split}"
    return text + family


def _fix(claim: Claim, group: list[int], expected: int, where: str, code: str) -> Fix:
    if expected == 0:
        return Fix(f"remove {where}: its minutes earn no unit")
    if len(group) == 1:
        new = {group[0]: expected}
    else:
        lines = [claim.lines[i] for i in group]
        alike = len({(x.modifiers, x.furnished_by_assistant, x.rendering_npi) for x in lines}) == 1
        split = distribute(expected, [x.minutes or 0 for x in lines]) if alike else None
        if split is None:
            return Fix(f"set the units of {where} so that they add up to {expected}")
        new = dict(zip(group, split, strict=True))
    description = f"set the units of {where} to " + " + ".join(str(n) for n in new.values())
    # Units are a billed amount: a person confirms the change (and the charge) before it goes out.
    return Fix(description, unit_edits(new), Applicability.UNSAFE)


def _family_fix(
    claim: Claim, result: units.UnitsResult, group: list[int], key: str, add_on: str, where: str
) -> Fix:
    """One unit to the primary's line, the rest to the add-on's: edits when each has one line."""
    want = {key: result.units_for(key), add_on: result.units_for(add_on)}
    wanted = " and ".join(f"{code} × {n}" for code, n in want.items() if n)
    if not wanted:
        return Fix(f"remove {where}: the minutes earn no unit")
    by_code: dict[str, list[int]] = {}
    for i in group:
        by_code.setdefault(cpt.compact(claim.lines[i].code), []).append(i)
    if any(len(by_code.get(code, [])) != 1 for code, n in want.items() if n) or any(
        len(v) != 1 for v in by_code.values()
    ):
        return Fix(f"bill {wanted} on {wording.day(claim.lines[group[0]].date)}")
    new = {by_code[code][0]: n for code, n in want.items() if code in by_code}
    description = f"bill {wanted}: set the units of {where} to " + " + ".join(
        str(n) for n in new.values()
    )
    return Fix(description, unit_edits(new), Applicability.UNSAFE)
