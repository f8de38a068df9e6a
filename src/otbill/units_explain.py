"""Plain-language explanations of a units result, for the biller and the auditor.

Kept apart from :mod:`otbill.units` because the engine's hot path never needs the text: it is
built only when someone reads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from otbill.codes import cpt

if TYPE_CHECKING:
    from otbill.units import LineUnits, UnitsResult

__all__ = ["explain"]

_MANUAL = "Medicare Claims Processing Manual, Pub 100-04, ch. 5, §20.2"


def _band(units: int) -> str:
    """The minute band of the CMS table that gives ``units`` (1 → 8–22, 2 → 23–37, ...)."""
    if units == 0:
        return "0–7 minutes"
    low = 15 * units - 7
    return f"{low}–{low + 14} minutes"


def _plural(n: int, word: str = "unit") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _minutes_count(n: int) -> str:
    """'1 minute counts', '9 minutes count'."""
    return "1 minute counts" if n == 1 else f"{n} minutes count"


def explain(result: UnitsResult) -> list[str]:
    timed = [line for line in result.lines if line.basis is cpt.Basis.TIMED]
    steps: list[str] = []
    if timed:
        steps += _explain_cms(result, timed) if result.method == "cms" else _explain_per_code(timed)
    for line in result.lines:
        if line.basis is not cpt.Basis.TIMED:
            steps.append(_explain_other(line))
    steps += _explain_families(result)
    if not result.lines:
        steps.append("No services were recorded for this day.")
    return steps


def _explain_cms(result: UnitsResult, timed: list[LineUnits]) -> list[str]:
    parts = " + ".join(f"{line.minutes} ({line.code})" for line in timed)
    total, units = result.total_timed_minutes, result.total_units
    steps = [
        f"Method cms ({_MANUAL}): the day's timed minutes are pooled: {parts} = "
        f"{_plural(total, 'minute')}.",
        f"{_plural(total, 'minute')} falls in the {_band(units)} "
        "band, so the day is worth "
        f"{_plural(units)} of timed codes in all.",
    ]
    full = [(line.code, line.minutes // 15) for line in timed if line.minutes >= 15]
    if full:
        listed = ", ".join(f"{code} {_plural(n)}" for code, n in full)
        steps.append(f"Each full 15 minutes of a code earns it a unit first: {listed}.")
    extra = [line for line in timed if line.units > line.minutes // 15]
    if extra:
        listed = ", ".join(f"{line.code} ({line.minutes % 15} min left)" for line in extra)
        steps.append(
            f"The {_plural(len(extra), 'remaining unit')} went to the codes with the most "
            f"minutes left over: {listed}."
        )
    for line in timed:
        if line.units == 0 and line.minutes > 0:
            steps.append(
                f"{line.code}: its {_minutes_count(line.minutes)} toward the total but "
                f"{'earns' if line.minutes == 1 else 'earn'} no unit of "
                f"{'its' if line.minutes == 1 else 'their'} own; the left-over units went to codes with as many or more minutes left."
            )
    for tie in result.ties:
        steps.append(
            f"Tie: {', '.join(tie.codes)} each had {_plural(tie.remaining_minutes, 'minute')} left "
            "over; "
            f"otbill gave the unit to {', '.join(tie.winners)} (more total minutes, then lower code "
            "number). The manual leaves this choice to the provider."
        )
    return steps


def _explain_families(result: UnitsResult) -> list[str]:
    """One step per primary/add-on family on the day (97129 then 97130)."""
    codes = {line.code: line for line in result.lines}
    steps = []
    for line in result.lines:
        add_on = cpt.add_on_of(line.code)
        if add_on is None or add_on not in codes:
            continue
        total = line.minutes + codes[add_on].minutes
        steps.append(
            f"{line.code} and {add_on} are one service, counted together "
            f"({_plural(total, 'minute')}): "
            f"the first unit is {line.code}, billed once a day, and every later unit is "
            f"{add_on} — here {line.code} × {line.units} and {add_on} × {codes[add_on].units}."
        )
    return steps


def _explain_per_code(timed: list[LineUnits]) -> list[str]:
    steps = [
        "Method per-code (CPT 'substantial portion'): each timed code is counted on its own; "
        "a unit needs 8 or more minutes of that code (8–22 → 1, 23–37 → 2, ...)."
    ]
    for line in timed:
        steps.append(f"{line.code}: {_plural(line.minutes, 'minute')} → {_plural(line.units)}.")
    return steps


def _explain_other(line: LineUnits) -> str:
    info = cpt.lookup(line.code)
    if line.basis is cpt.Basis.PER_TIME:
        return (
            f"{line.code} is counted in its own time units ({info.unit_minutes}-minute units, "
            f"the first from {info.first_unit_minutes} minutes): {_plural(line.minutes, 'minute')} → "
            f"{_plural(line.units)}; not pooled with 15-minute codes."
        )
    kind = (
        "an untimed (service-based) code" if line.basis is cpt.Basis.UNTIMED else "not time-based"
    )
    tail = (
        f"; its {_minutes_count(line.minutes)} toward total treatment time, not timed minutes"
        if line.minutes
        else ""
    )
    return f"{line.code} is {kind}: 1 unit for the day{tail}."
