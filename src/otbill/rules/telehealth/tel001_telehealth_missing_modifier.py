"""TEL001 telehealth-missing-modifier."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.modifier._lines import appended, modifiers_of, replaced
from otbill.rules.registry import Applicability, Edit, Finding, Fix, Severity, rule
from otbill.rules.telehealth._policy import is_telehealth

_AUDIO_VIDEO = frozenset({"95", "GT"})
_AUDIO_ONLY = frozenset({"93", "FQ"})
# CMS asked for the in-person place of service with modifier 95 through 2023 (PHE rules as
# extended by the CY2023 PFS); POS 02/10 are required from 2024-01-01.
_POS_REQUIRED_FROM = dt.date(2024, 1, 1)
_HOME_POS_FROM = dt.date(2022, 1, 1)  # POS 10 exists from 2022-01-01


@rule("TEL001", "telehealth-missing-modifier", "telehealth", Severity.ERROR, since="0.1.0")
def telehealth_missing_modifier(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A telehealth service lacks the telehealth modifier the payer requires.
    What it checks: on a telehealth claim (claim.telehealth, or a telehealth place of service
    02/10), every therapy line carries the payer's telehealth modifier (Medicare: 95; some
    payers: GT; the telemedicine E/M codes 98000–98016 are telehealth by definition);
    and a claim the record marks as telehealth shows one of the payer's telehealth places of
    service for dates from 2024-01-01 (before 2024 CMS asked for the in-person place of service
    with modifier 95, so earlier dates are not checked).
    Why payers deny it: the modifier and the place of service tell the payer the service was
    furnished by telehealth and set the rate; Medicare pays therapy by telehealth only under the
    statutory waivers and only when the claim says so; a telehealth service billed as in-person
    misstates the place of service and is recouped on review.
    Example: claim.telehealth true, POS 10, lines[1] 97530 with modifiers ['GO'] (add 95); or
    claim.telehealth true with POS 12 (the patient's home: POS 10).
    Fix: add the payer's modifier (safe: the claim says telehealth), or swap GT/95 for the one
    the payer uses. Place of service: 12 (home) becomes 10, telehealth in the patient's home
    (safe: the record puts the patient at home); from 11 (office) the patient's location is not
    recorded, so 10 (home) or 02 (elsewhere) is a person's choice.
    Source: Medicare Claims Processing Manual, Pub 100-04, ch. 12, §190 (telehealth billing); CY2024 PFS final rule (POS 02/10 from 2024, modifier 95 for therapy); SSA §1834(m) and the Consolidated Appropriations Act, 2026 (therapists as telehealth practitioners through 2027-12-31); the payer profile's telehealth policy.
    """
    if not is_telehealth(claim, ctx):
        return
    policy = ctx.profile.telehealth
    source = ctx.profile.source("telehealth")
    wanted = policy.modifier
    if wanted is not None:
        for i, line in enumerate(claim.lines):
            info = ctx.infos[i]
            if wanted in line.modifiers or info is None or "EM" in info.disciplines:
                continue  # the telemedicine E/M codes are telehealth by definition
            mods = modifiers_of(line)
            if wanted in mods:
                continue
            yield _modifier_finding(claim, i, list(line.modifiers), mods, wanted, source)
    place = claim.place_of_service
    required = ctx.last_date >= _POS_REQUIRED_FROM
    if claim.telehealth and required and place not in policy.places_of_service:
        yield _place_finding(claim, ctx, place, source)


def _modifier_finding(
    claim: Claim, i: int, shown: list[str], mods: tuple[str, ...], wanted: str, source: str
) -> Finding:
    others = _AUDIO_VIDEO - {wanted}
    new: tuple[str, ...] | None
    if not others.isdisjoint(mods):
        new = replaced(mods, others, wanted)
        description = f"replace {'/'.join(sorted(others & set(mods)))} by {wanted} on line {i + 1}"
    else:
        new = appended(mods, wanted)
        description = f"add {wanted} to line {i + 1}"
    if new is None:
        fix = Fix(f"add {wanted} to line {i + 1} in place of a less needed modifier")
    else:
        audio_only = not _AUDIO_ONLY.isdisjoint(mods)
        fix = Fix(
            description + (" (the line says audio-only: check the visit had video)" * audio_only),
            (Edit("modifiers", new, line=i),),
            Applicability.UNSAFE if audio_only else Applicability.SAFE,
        )
    return telehealth_missing_modifier.finding(
        f"{wording.line(claim, i)} has no {wanted} modifier: the claim is a telehealth claim and "
        f"the payer requires {wanted} on each telehealth line",
        line=i,
        fix=fix,
        source=source,
    )


def _place_finding(claim: Claim, ctx: ClaimContext, place: str, source: str) -> Finding:
    places = ctx.profile.telehealth.places_of_service
    home = "10" in places and ctx.first_date >= _HOME_POS_FROM
    if home and place == "12":
        fix = Fix(
            "set the place of service to 10 (telehealth in the patient's home)",
            (Edit("place_of_service", "10"),),
            Applicability.SAFE,
        )
    elif home and place == "11":
        fix = Fix(
            "set the place of service to 10 if the patient was at home (02 if elsewhere)",
            (Edit("place_of_service", "10"),),
            Applicability.UNSAFE,
        )
    else:
        fix = Fix(f"set the place of service to one of {', '.join(places)}, where the patient was")
    return telehealth_missing_modifier.finding(
        f"the claim is marked telehealth but its place of service is {place}: the payer requires a "
        f"telehealth place of service ({', '.join(places)})",
        fix=fix,
        source=source,
    )
