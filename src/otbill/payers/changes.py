"""Payer-profile changes a recurring denial proposes, and the profile with the accepted ones.

Some denials that recur are the payer's way, not the clinic's slip: the payer counts units per
code rather than pooling the minutes, applies the NCCI pair edits or the MUE limits the profile
switched off, wants GO on therapy lines, KX over Medicare's therapy threshold, or modifier 95 on
telehealth. Holding each claim (rule CLN001) would only delay them; the lasting fix is to bill
that payer its way. So such a pattern proposes one of :data:`CHANGES`: a person accepts or
dismisses it, and an accepted change is laid over the payer's profile (:func:`with_changes`) for
that payer alone, from then on, with the denial pattern named as the source of the changed topic.

A change is named by its key (``profile:<name>``, kept as the prevention check's cause) and maps
to one profile field, so what the scrubber and the unit counting read is the ordinary profile.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from otbill.payers.profile import PayerProfile, load_profiles

__all__ = ["CHANGES", "PREFIX", "ProfileChange", "change_named", "propose_change", "with_changes"]

PREFIX = "profile:"


@dataclass(frozen=True, slots=True)
class ProfileChange:
    """One payer-profile change: its key, the field it sets, and what it means in words."""

    key: str  # "profile:per-code": kept as the prevention check's cause
    topic: str  # the profile's ``sources`` topic the denial pattern becomes the source of
    words: str  # what accepting it does, in plain words
    update: Callable[[PayerProfile], dict[str, object]]  # the field values it sets

    def applies_to(self, profile: PayerProfile) -> bool:
        """Whether the profile does not bill this way yet (so the change would change it)."""
        update = self.update(profile)
        return any(getattr(profile, name) != value for name, value in update.items())


def _telehealth_95(profile: PayerProfile) -> dict[str, object]:
    return {"telehealth": profile.telehealth.model_copy(update={"modifier": "95"})}


@functools.cache
def _medicare_kx() -> dict[int, Decimal]:
    """Medicare's yearly therapy thresholds (the packaged profile): a plan that denies for the
    benefit limit without KX follows Medicare's threshold (a Medicare Advantage plan does)."""
    return dict(load_profiles()["medicare"].kx_thresholds)


def _kx_thresholds(profile: PayerProfile) -> dict[str, object]:
    return {"kx_thresholds": {**_medicare_kx(), **profile.kx_thresholds}}


CHANGES: dict[str, ProfileChange] = {
    c.key: c
    for c in (
        ProfileChange(
            "profile:per-code",
            "units",
            "count units per code (each code's own minutes), not pooled under the 8-minute rule",
            lambda p: {"units_method": "per-code"},
        ),
        ProfileChange(
            "profile:mue",
            "mue",
            "check units against the MUE limits (CMS practitioner table)",
            lambda p: {"mue": True},
        ),
        ProfileChange(
            "profile:ncci",
            "ncci",
            "check code pairs against the NCCI pair edits (59 or X{EPSU} on a distinct service)",
            lambda p: {"ncci": True},
        ),
        ProfileChange(
            "profile:go",
            "therapy_modifier",
            "put modifier GO on every OT line",
            lambda p: {"therapy_modifier": "GO"},
        ),
        ProfileChange(
            "profile:kx",
            "kx",
            "put KX on lines over Medicare's yearly therapy threshold (with the documentation)",
            _kx_thresholds,
        ),
        ProfileChange(
            "profile:tele-95",
            "telehealth",
            "put modifier 95 on telehealth lines",
            _telehealth_95,
        ),
    )
}


def change_named(cause: str) -> ProfileChange | None:
    """The change a prevention check's cause names, else None (a clinic rule)."""
    return CHANGES.get(cause) if cause.startswith(PREFIX) else None


def _candidates(cause: str, carc: str, paired: bool, telehealth: bool) -> tuple[str, ...]:
    """The changes a denial cause may come from, most likely first."""
    if telehealth and cause in ("modifier", "coding"):
        return ("profile:tele-95",)
    if cause in ("modifier", "bundling") and paired:
        return ("profile:ncci",)
    if cause == "modifier":
        return ("profile:go",)
    if cause == "benefit-limit" and carc in ("119", "96", "B1"):
        return ("profile:kx",)
    if cause == "units":
        return ("profile:mue", "profile:per-code") if carc == "151" else ("profile:per-code",)
    return ()


def propose_change(
    profile: PayerProfile, cause: str, carc: str, *, paired: bool = False, telehealth: bool = False
) -> ProfileChange | None:
    """The payer-profile change a recurring denial proposes, when the payer's profile does not
    bill that way yet; None when the denial is the clinic's to prevent (a clinic rule).

    >>> from otbill.payers import load_profiles
    >>> medicare = load_profiles()["medicare"]
    >>> propose_change(medicare, "units", "152").key
    'profile:per-code'
    >>> propose_change(medicare, "bundling", "97", paired=True) is None  # NCCI is on already
    True
    """
    for key in _candidates(cause, carc.strip().upper(), paired, telehealth):
        change = CHANGES[key]
        if change.applies_to(profile):
            return change
    return None


def with_changes(
    profile: PayerProfile, accepted: Iterable[tuple[ProfileChange, str]]
) -> PayerProfile:
    """The profile with each accepted change laid over it, each with its source (the denial
    pattern and the check that accepted it) as the source of the topic it changes."""
    update: dict[str, object] = {}
    sources = dict(profile.sources)
    for change, source in accepted:
        update.update(change.update(profile))
        sources[change.topic] = source
    if not update:
        return profile
    return profile.model_copy(update={**update, "sources": sources})
