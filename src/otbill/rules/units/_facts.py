"""Helpers shared by the units rules (no rules here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from otbill.codes import cpt
from otbill.rules.registry import Edit

__all__ = ["distribute", "family_of", "plural", "unit_edits"]


def plural(n: int, word: str = "unit") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def unit_edits(new_units: Mapping[int, int]) -> tuple[Edit, ...]:
    """Edits setting each line's units. Charges are left as billed: the records fix the units,
    not the clinic's price per unit."""
    return tuple(Edit("units", units, line=i) for i, units in new_units.items())


def distribute(total: int, minutes: Sequence[int]) -> list[int] | None:
    """Split ``total`` units over lines of one code by their minutes (a unit each time to the
    line with the most minutes not yet covered; ties to the earlier line); None when a line
    would get no unit (then the split is a person's choice)."""
    units = [0] * len(minutes)
    for _ in range(total):
        best = max(range(len(minutes)), key=lambda j: (minutes[j] - 15 * units[j], -j))
        units[best] += 1
    return None if 0 in units else units


def family_of(code: str) -> str:
    """The code that names a code's family: an add-on's primary (97130 → 97129), else itself."""
    info = cpt.lookup(code)
    return info.add_on_to or info.code
