"""How many billing units a day of therapy is worth: the 8-minute rule and the per-code method.

Two methods, chosen by the payer:

``cms`` (Medicare Claims Processing Manual, Pub 100-04, ch. 5, §20.2)
    The *total* timed minutes of the day decide the total timed units: 8–22 minutes → 1, 23–37 → 2,
    38–52 → 3, and one more unit for each further 15 minutes; under 8 → 0. Closed form (derived
    from the manual's table): ``floor((T + 7) / 15)`` for T ≥ 8. The units are then assigned as the manual's examples do:
    each code first gets its full 15-minute units (a service of 15 minutes or more gets at least one
    unit, of 30 or more at least two), and the units left over go one each to the codes with the most
    remaining minutes.

``per-code`` (AMA/CPT "substantial portion", used by many commercial payers)
    Each timed code is counted on its own: a unit needs 8 or more minutes of that code
    (``floor((m + 7) / 15)`` for m ≥ 8).

Under both methods untimed codes (evaluations, supervised modalities, group therapy) are one unit per
date of service whatever their minutes, and their minutes never count toward timed minutes; codes with
other time units (work hardening hours, caregiver training, remote monitoring) are counted per code by
their own unit. Minutes of the same code in several segments of the day are added together.

Code families. Some services are billed as a primary code for the day's first unit and an add-on
code for every later one: 97129 (cognitive function intervention, first 15 minutes) and 97130
(each further 15 minutes); 97545/97546 (work hardening, first 2 hours / each further hour);
97550/97551 (caregiver training, first 30 minutes / each further 15); 98980/98981 (remote
monitoring management, first 20 minutes / each further 20). The catalog's ``add_on_to`` column
names them. The minutes of both codes are one service: they are added together and counted as
one code (pooled with the other timed codes under ``cms``), and the units go one to the primary
and the rest to the add-on, whichever of the two codes the minutes were recorded under: 45
minutes of 97129 are 97129 × 1 + 97130 × 2, never 97129 × 3 (CPT: the primary is reported once a
day; its MUE is 1). The result lists the add-on's units even when only the primary was recorded,
with the family's minutes attributed in order: the primary's first unit (15 minutes, 2 hours ...),
then the add-on.

Ties. When codes tie for a left-over unit (CMS Example 2: 20 and 20 minutes), the manual lets the
provider choose. otbill decides deterministically: the code with more total minutes first, then the
lower code number, and the result records that the choice was free (``tie``), so a biller may swap it.

>>> r = compute_units([("97112", 24), ("97110", 23)])
>>> [(line.code, line.units) for line in r.lines], r.total_units
([('97112', 2), ('97110', 1)], 3)
>>> [(line.code, line.minutes, line.units) for line in compute_units([("97129", 45)]).lines]
[('97129', 15, 1), ('97130', 30, 2)]
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import NamedTuple

from otbill.codes import cpt
from otbill.errors import CodeError, UnitsError

__all__ = [
    "MINUTES_PER_DAY",
    "LineUnits",
    "Method",
    "Tie",
    "UnitsResult",
    "compute_units",
    "per_code_units",
    "recorded_code",
    "timed_units_for_minutes",
]

MINUTES_PER_DAY = 24 * 60
_TIMED = cpt.Basis.TIMED


class Method(enum.StrEnum):
    CMS = "cms"
    PER_CODE = "per-code"


class LineUnits(NamedTuple):
    """The units of one code for the day (segments of the same code already added together)."""

    code: str
    minutes: int
    units: int
    basis: cpt.Basis

    @property
    def timed(self) -> bool:
        """Whether the code is billed by time (15-minute or other time units)."""
        return self.basis in (cpt.Basis.TIMED, cpt.Basis.PER_TIME)


class Tie(NamedTuple):
    """Codes that tied for left-over units; which got them was a free choice."""

    codes: tuple[str, ...]
    remaining_minutes: int
    winners: tuple[str, ...]


class UnitsResult(NamedTuple):
    """Units per code for one patient and date of service, with how they were reached."""

    method: Method
    total_timed_minutes: int
    total_units: int  # units of 15-minute timed codes: under cms, the table's value for the total
    lines: tuple[LineUnits, ...]
    ties: tuple[Tie, ...]

    @property
    def tie(self) -> bool:
        return bool(self.ties)

    def units_for(self, code: str) -> int:
        return sum(line.units for line in self.lines if line.code == code)


def recorded_code(code: str, recorded: Iterable[str]) -> str:
    """Which of the ``recorded`` codes a result line's minutes were recorded under: the code
    itself, else the other code of its family (97130's units from minutes recorded as 97129)."""
    codes = set(recorded)
    if code in codes:
        return code
    info = cpt.lookup(code)
    for other in (info.add_on_to, cpt.add_on_of(code)):
        if other in codes:
            return other
    raise UnitsError(f"{code}: no recorded service to bill it from")


def timed_units_for_minutes(total_minutes: int) -> int:
    """The CMS table: total timed minutes → total timed units (8–22 → 1, 23–37 → 2, ...)."""
    return (total_minutes + 7) // 15 if total_minutes >= 8 else 0


def per_code_units(minutes: int, unit_minutes: int = 15, first_unit_minutes: int = 8) -> int:
    """Units of one code counted on its own: the first unit at ``first_unit_minutes``, then one more
    unit for each further ``unit_minutes`` (15-minute codes: 8–22 → 1, 23–37 → 2)."""
    if minutes < first_unit_minutes:
        return 0
    return 1 + (minutes - first_unit_minutes) // unit_minutes


def _merge(
    segments: Iterable[tuple[str, int]], on: dt.date | None
) -> tuple[dict[str, int], dict[str, cpt.CodeInfo]]:
    """Validate the input and add minutes of repeated codes, keeping first-seen order."""
    merged: dict[str, int] = {}
    infos: dict[str, cpt.CodeInfo] = {}
    for code, minutes in segments:
        if minutes.__class__ is not int:  # bool is a subclass of int: refuse it too
            raise UnitsError(f"{code}: minutes must be a whole number, got {minutes!r}")
        if minutes < 0:
            raise UnitsError(f"{code}: minutes cannot be negative ({minutes})")
        try:
            info = cpt.lookup(code, on)
        except CodeError as exc:
            raise UnitsError(str(exc)) from exc
        key = info.code
        if key in merged:
            merged[key] += minutes
        else:
            merged[key] = minutes
            infos[key] = info
    total = sum(merged.values())
    if total > MINUTES_PER_DAY:
        raise UnitsError(f"{total} minutes in one day is impossible (a day has {MINUTES_PER_DAY})")
    return merged, infos


class _Family(NamedTuple):
    """A primary code and its add-on, with the minutes recorded under either."""

    primary: cpt.CodeInfo
    add_on: cpt.CodeInfo
    minutes: int
    recorded_add_on: bool  # the add-on was among the recorded codes


def _fold_families(
    merged: dict[str, int], infos: dict[str, cpt.CodeInfo], on: dt.date | None
) -> tuple[dict[str, int], dict[str, _Family]]:
    """Merged minutes with each time-based family's minutes under its primary code."""
    folded: dict[str, int] = {}
    families: dict[str, _Family] = {}
    for code, minutes in merged.items():
        info = infos[code]
        primary_code = info.add_on_to or (code if cpt.add_on_of(code) else None)
        if primary_code is None or info.basis not in (_TIMED, cpt.Basis.PER_TIME):
            folded[code] = minutes
            continue
        family = families.get(primary_code)
        if family is None:
            primary = info if primary_code == code else _lookup(primary_code, on)
            add_on = _lookup(cpt.add_on_of(primary_code) or code, on)
            family = _Family(primary, add_on, 0, False)
        families[primary_code] = family._replace(
            minutes=family.minutes + minutes,
            recorded_add_on=family.recorded_add_on or code != primary_code,
        )
        folded[primary_code] = folded.get(primary_code, 0) + minutes
    return folded, families


def _lookup(code: str, on: dt.date | None) -> cpt.CodeInfo:
    try:
        return cpt.lookup(code, on)
    except CodeError as exc:
        raise UnitsError(str(exc)) from exc


def _family_lines(family: _Family, units: int | None) -> list[LineUnits]:
    """The primary's line and the add-on's: one unit to the primary, the rest to the add-on.

    ``units`` is the family's timed units from the day's allocation (15-minute families), or
    None for a family in other time units, counted here on its own.
    """
    primary, add_on, minutes = family.primary, family.add_on, family.minutes
    first = primary.unit_minutes or 15
    if units is None:
        assert primary.first_unit_minutes is not None and add_on.unit_minutes is not None
        assert add_on.first_unit_minutes is not None
        head = min(1, per_code_units(minutes, first, primary.first_unit_minutes))
        rest = (
            per_code_units(minutes - first, add_on.unit_minutes, add_on.first_unit_minutes)
            if head and minutes > first
            else 0
        )
    else:
        head, rest = min(units, 1), max(units - 1, 0)
    if not rest and not family.recorded_add_on:  # the primary alone: it keeps every minute
        return [LineUnits(primary.code, minutes, head, primary.basis)]
    head_minutes = min(minutes, first)
    return [
        LineUnits(primary.code, head_minutes, head, primary.basis),
        LineUnits(add_on.code, minutes - head_minutes, rest, add_on.basis),
    ]


def _check_one_evaluation(infos: dict[str, cpt.CodeInfo]) -> None:
    evaluations = [code for code, info in infos.items() if info.evaluation is not None]
    if len(evaluations) > 1:
        raise UnitsError(
            "only one evaluation or re-evaluation may be billed per day, got "
            + ", ".join(evaluations)
        )


def _allocate_cms(timed: dict[str, int]) -> tuple[dict[str, int], int, tuple[Tie, ...]]:
    """Units per timed code under CMS pooling; returns (units, total_units, ties)."""
    total = timed_units_for_minutes(sum(timed.values()))
    units = {code: minutes // 15 for code, minutes in timed.items()}
    left = total - sum(units.values())
    if left <= 0:
        return units, total, ()
    # Most remaining minutes first; ties: more total minutes, then lower code number.
    ranked = sorted([(-(m % 15), -m, code) for code, m in timed.items()])
    for _, _, code in ranked[:left]:
        units[code] += 1
    if left < len(ranked) and ranked[left][0] == ranked[left - 1][0]:
        return units, total, (_tie(ranked, left),)
    return units, total, ()


def _tie(ranked: list[tuple[int, int, str]], left: int) -> Tie:
    """Codes with equal remaining minutes straddle the cut-off: which got the unit was free."""
    cut = ranked[left - 1][0]
    tied = tuple(code for rem, _, code in ranked if rem == cut)
    winners = tuple(code for rem, _, code in ranked[:left] if rem == cut)
    return Tie(codes=tied, remaining_minutes=-cut, winners=winners)


def compute_units(
    segments: Iterable[tuple[str, int]],
    method: Method | str = Method.CMS,
    on: dt.date | None = None,
) -> UnitsResult:
    """Units per code for one patient's date of service.

    ``segments`` are (code, minutes) pairs; the same code may appear several times. ``on`` (the date
    of service), when given, also checks that every code is in force that day. Raises UnitsError,
    naming the code, for unknown or out-of-date codes, negative or non-integer minutes, more minutes
    than a day holds, or two evaluations on one day.
    """
    method = method if method.__class__ is Method else Method(method)
    merged, infos = _merge(segments, on)
    _check_one_evaluation(infos)
    folded, families = _fold_families(merged, infos, on)
    for each in families.values():
        infos.setdefault(each.primary.code, each.primary)
    timed = {code: m for code, m in folded.items() if infos[code].basis is _TIMED}
    if method is Method.CMS:
        units, total, ties = _allocate_cms(timed)
    else:
        units = {code: per_code_units(m) for code, m in timed.items()}
        total, ties = sum(units.values()), ()
    lines: list[LineUnits] = []
    for code, minutes in folded.items():
        family = families.get(code)
        if family is not None:
            lines += _family_lines(family, units[code] if code in timed else None)
        else:
            info = infos[code]
            lines.append(LineUnits(code, minutes, _line_units(info, minutes, units), info.basis))
    return UnitsResult(method, sum(timed.values()), total, tuple(lines), ties)


def _line_units(info: cpt.CodeInfo, minutes: int, timed_units: dict[str, int]) -> int:
    if info.basis is _TIMED:
        return timed_units[info.code]
    if info.basis is cpt.Basis.PER_TIME:
        assert info.unit_minutes is not None and info.first_unit_minutes is not None
        units = per_code_units(minutes, info.unit_minutes, info.first_unit_minutes)
        return min(units, info.max_units_day) if info.max_units_day else units
    return 1
