"""Pure decisions made while turning visits into claim lines: modifiers and the KX threshold.

Why pure: the same decisions must give the same answer in the claim builder, in tests and in a
re-scrub, with nothing but the payer profile and the facts from the records as input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from otbill.payers import PayerProfile

__all__ = ["claim_number", "crosses_kx_threshold", "line_modifiers"]


def crosses_kx_threshold(
    profile: PayerProfile, year: int, ytd_allowed: Decimal, claim_allowed: Decimal
) -> bool:
    """Whether this claim takes the patient's year-to-date allowed amount past the threshold."""
    threshold = profile.kx_threshold(year)
    return threshold is not None and ytd_allowed + claim_allowed > threshold


def line_modifiers(
    profile: PayerProfile,
    on: dt.date,
    *,
    assistant: bool,
    telehealth: bool,
    kx: bool,
    extra: Sequence[str] = (),
) -> tuple[str, ...]:
    """Modifiers for one line, in a fixed order: discipline, assistant, NCCI, KX, telehealth.

    GO when the profile asks for a therapy modifier; CO when an OT assistant furnished the service
    (from the profile's start date); KX when the threshold is crossed and the note documents
    medical necessity (``kx``); the profile's telehealth modifier (95) for telehealth visits.
    """
    mods: list[str] = []
    if profile.therapy_modifier:
        mods.append(profile.therapy_modifier)
    required_from = profile.assistant_modifier_required_from
    if assistant and required_from is not None and on >= required_from:
        mods.append("CO")
    mods.extend(m for m in extra if m not in mods)
    if kx:
        mods.append("KX")
    if telehealth and profile.telehealth.modifier:
        mods.append(profile.telehealth.modifier)
    return tuple(mods[:4])  # an 837P line carries at most four modifiers


def claim_number(patient_id: int, coverage_id: int, on: dt.date, taken: set[str]) -> str:
    """CLM01 for an original claim: patient, coverage and date, with a suffix for late charges."""
    base = f"P{patient_id}C{coverage_id}D{on:%Y%m%d}"
    number, n = base, 1
    while number in taken:
        n += 1
        number = f"{base}-{n}"
    return number
