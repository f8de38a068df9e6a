"""What a running otbill loads once: payer profiles, the rules, and the reference-table lookups.

Why once: profiles are YAML files validated on load, the rules are a registry of modules, and the
NCCI/MUE/fee lookups keep every release they have read; rebuilding them for each request or command
repeats that work and lets two routes disagree. The web app factory loads a :class:`Wiring` at start
and hands it to routes (``app.state.wiring``); a scrub run asks it for a context dated the day it
runs (:meth:`Wiring.scrub_context`), which is cheap: the lookups are shared, only the batch index of
claims already seen is new.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from otbill import clock
from otbill.payers import PayerProfile
from otbill.rules.context import BatchIndex, ScrubContext
from otbill.rules.registry import Rule, load_rules
from otbill.services.claims.scrub import build_scrub_context, load_payer_profiles
from otbill.settings import Settings

__all__ = ["Wiring", "load_payer_profiles"]


@dataclass(frozen=True)
class Wiring:
    """Settings with the profiles, rules and reference lookups loaded from them, once."""

    settings: Settings
    profiles: Mapping[str, PayerProfile]
    rules: tuple[Rule, ...]
    _scrub: ScrubContext  # the shared ingredients of every scrub run (its date is not used)

    @classmethod
    def load(cls, settings: Settings, extra_profile_dirs: list[Path] | None = None) -> Wiring:
        profiles = load_payer_profiles(settings, extra_profile_dirs)
        template = build_scrub_context(settings, clock.today(), profiles=profiles)
        return cls(settings, profiles, tuple(load_rules()), template)

    @property
    def rule_codes(self) -> frozenset[str]:
        return frozenset(rule.code for rule in self.rules)

    def scrub_context(self, today: dt.date) -> ScrubContext:
        """A scrub run as of ``today``: shared profiles and lookups, a fresh batch index."""
        return dataclasses.replace(self._scrub, today=today, batch=BatchIndex())
