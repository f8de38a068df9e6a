"""Which rules run: selection by code prefix, the longest matching prefix wins (as in ruff).

``select=["MOD", "UNT001"]`` runs every MOD rule and UNT001; ``ignore=["MOD002"]`` then drops
MOD002. When a select and an ignore prefix match a code equally long, ignore wins. An empty
``select`` means every rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from otbill.errors import ConfigError
from otbill.rules.registry import Rule

if TYPE_CHECKING:
    from otbill.payers.profile import PayerProfile

__all__ = ["check_profile_severities", "is_selected", "select_rules"]


def _longest(code: str, prefixes: Iterable[str]) -> int:
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


def is_selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    chosen = _longest(code, select or [""])
    return chosen >= 0 and chosen > _longest(code, ignore)


def select_rules(
    rules: Sequence[Rule], select: Sequence[str] = (), ignore: Sequence[str] = ()
) -> list[Rule]:
    """The rules to run; a prefix that matches no rule is a configuration error (likely a typo)."""
    select = [p.strip().upper() for p in select if p.strip()]
    ignore = [p.strip().upper() for p in ignore if p.strip()]
    for prefix in (*select, *ignore):
        if not any(r.code.startswith(prefix) for r in rules):
            raise ConfigError(f"rule selector {prefix!r} matches no rule (see `otbill rules`)")
    return [r for r in rules if is_selected(r.code, select, ignore)]


def check_profile_severities(profiles: Mapping[str, PayerProfile], rules: Sequence[Rule]) -> None:
    """Refuse a payer profile whose ``severity`` names a code no rule has (likely a typo)."""
    known = {r.code for r in rules}
    for name, profile in sorted(profiles.items()):
        unknown = sorted(set(profile.severity) - known)
        if unknown:
            raise ConfigError(
                f"payer profile {name}: severity names {', '.join(unknown)}, which no rule has "
                "(see `otbill rules`)"
            )
