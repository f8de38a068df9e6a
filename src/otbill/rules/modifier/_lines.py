"""Modifier helpers shared by the modifier, threshold and telehealth rules (no rules here)."""

from __future__ import annotations

from otbill.domain.claim import ServiceLine

__all__ = ["MAX_MODIFIERS", "appended", "modifiers_of", "replaced"]

MAX_MODIFIERS = 4  # X12 837P SV101-3 to SV101-6


def modifiers_of(line: ServiceLine) -> tuple[str, ...]:
    """The line's modifiers upper-cased (the claim model strips blanks but keeps case)."""
    mods = line.modifiers
    joined = "".join(mods)
    if joined.upper() == joined:
        return mods
    return tuple(m.upper() for m in mods)


def appended(mods: tuple[str, ...], modifier: str) -> tuple[str, ...] | None:
    """``mods`` with ``modifier`` added at the end (order kept), or None when the line is full."""
    if modifier in mods:
        return mods
    if len(mods) >= MAX_MODIFIERS:
        return None
    return (*mods, modifier)


def replaced(mods: tuple[str, ...], old: frozenset[str], new: str) -> tuple[str, ...]:
    """``mods`` with the first of ``old`` replaced by ``new`` in place, the rest of ``old`` (and
    any second ``new``) dropped."""
    out: list[str] = []
    for mod in mods:
        value = new if mod in old else mod
        if value == new and new in out:
            continue
        out.append(value)
    return tuple(out)
