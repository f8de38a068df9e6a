"""Why a claim was denied, as a root cause a biller can act on, from the 835's group code, CARC
and RARCs.

A remittance gives reasons only as codes (CAS01 group, CAS02 CARC, LQ02/MOA RARCs). A biller
needs one cause, in plain words, with what fixes it and whether an appeal or a corrected claim is
the way out. :func:`root_cause` reads the codes in that order of strength: a remark code that names
the problem exactly (M62: authorization number missing) beats the CARC's general family (CARC 16:
information missing), and the CARC beats the group code. The families follow the X12 Claim
Adjustment Reason Code and Remittance Advice Remark Code lists (x12.org, maintained by the Code
Maintenance Committee and CMS); the wording and the fixes are otbill's own.

>>> root_cause("CO", "50", ("N115",)).cause is Cause.DOCUMENTATION
True
>>> root_cause("CO", "16", ("M62",)).cause is Cause.AUTHORIZATION
True
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["CAUSES", "Cause", "CauseInfo", "Remedy", "root_cause"]


class Cause(enum.StrEnum):
    ELIGIBILITY = "eligibility"
    AUTHORIZATION = "authorization"
    CODING = "coding"
    MODIFIER = "modifier"
    BUNDLING = "bundling"
    UNITS = "units"
    DOCUMENTATION = "documentation"
    DUPLICATE = "duplicate"
    TIMELY_FILING = "timely-filing"
    BENEFIT_LIMIT = "benefit-limit"
    COORDINATION = "coordination"
    PAYER_ERROR = "payer-error"
    UNKNOWN = "unknown"


class Remedy(enum.StrEnum):
    """The way out of a denial: appeal it, or correct and send the claim again."""

    APPEAL = "appeal"
    CORRECT = "correct"
    REOPEN = "reopen"  # ask the payer to fix its own mistake (a reopening or a call)
    REVIEW = "review"


@dataclass(frozen=True, slots=True)
class CauseInfo:
    cause: Cause
    title: str
    words: str  # what happened, in plain words
    fix: str  # what the biller does about it
    remedy: Remedy
    letter: str | None = None  # the appeal letter template for this cause (domain.appeals)


CAUSES: dict[Cause, CauseInfo] = {
    c.cause: c
    for c in (
        CauseInfo(
            Cause.ELIGIBILITY,
            "Front end / eligibility",
            "The payer could not match the patient to active coverage on the date of service.",
            "Check the member ID, name and date of birth against the card and a new eligibility "
            "check (270/271); correct the claim, or bill the right payer or the patient.",
            Remedy.CORRECT,
        ),
        CauseInfo(
            Cause.AUTHORIZATION,
            "Authorization",
            "The payer has no prior authorization on file for these services, or the services "
            "fall outside the one it has.",
            "If an authorization covered the dates, appeal with its number and the payer's "
            "approval; otherwise ask for a retro-authorization.",
            Remedy.APPEAL,
            "authorization",
        ),
        CauseInfo(
            Cause.CODING,
            "Coding",
            "The procedure or diagnosis codes do not fit together or are not valid as billed.",
            "Check the codes against the signed note; send a corrected claim (frequency 7).",
            Remedy.CORRECT,
        ),
        CauseInfo(
            Cause.MODIFIER,
            "Modifier",
            "A modifier is missing, not valid for the code, or not allowed for this payer.",
            "Add or fix the modifier (GO, CO/CQ, 59 or X{EPSU}, KX) and send a corrected claim.",
            Remedy.CORRECT,
        ),
        CauseInfo(
            Cause.BUNDLING,
            "Bundling / NCCI",
            "The payer paid this service as part of another one billed the same day (an NCCI "
            "procedure-to-procedure pair).",
            "If the note documents a distinct service in its own time, appeal with modifier 59 "
            "or X{EPSU} and the note; if not, the denial stands.",
            Remedy.APPEAL,
            "distinct-service",
        ),
        CauseInfo(
            Cause.UNITS,
            "Units / MUE",
            "More units than the payer accepts for the code on one day (a medically unlikely "
            "edit) or than the minutes support.",
            "Check the minutes against the 8-minute rule; correct the units, or appeal with the "
            "timed note when the MUE allows an appeal (MAI 1 or 3).",
            Remedy.CORRECT,
        ),
        CauseInfo(
            Cause.DOCUMENTATION,
            "Documentation / medical necessity",
            "The payer decided the records do not show the service was medically necessary, or "
            "it asked for records it did not get.",
            "Appeal with the signed plan of care, the notes with minutes and the progress "
            "toward goals.",
            Remedy.APPEAL,
            "medical-necessity",
        ),
        CauseInfo(
            Cause.DUPLICATE,
            "Duplicate",
            "The payer already has this claim or service.",
            "Check whether the first claim was paid; if this was a different service, send a "
            "corrected claim that shows why (modifier 76 or 59), never the same claim again.",
            Remedy.REVIEW,
        ),
        CauseInfo(
            Cause.TIMELY_FILING,
            "Timely filing",
            "The payer says the claim arrived after its filing limit.",
            "Appeal only with proof the claim was sent and accepted in time (the 999 and "
            "277CA); a Medicare late claim has no appeal without an exception.",
            Remedy.APPEAL,
            "timely-filing",
        ),
        CauseInfo(
            Cause.BENEFIT_LIMIT,
            "Benefit limit / KX",
            "The patient's visits or dollars for the period are used up, or the therapy "
            "threshold was passed without the KX modifier.",
            "When therapy beyond the threshold is medically necessary, appeal with KX and the "
            "documentation that justifies it; otherwise bill the patient under a notice (ABN).",
            Remedy.APPEAL,
            "kx-exception",
        ),
        CauseInfo(
            Cause.COORDINATION,
            "Coordination of benefits",
            "The payer says another insurance pays first, or adjusted for what it paid.",
            "Ask the patient about other coverage, update the order of payers and bill the "
            "primary first; then send the secondary claim with its remittance.",
            Remedy.CORRECT,
        ),
        CauseInfo(
            Cause.PAYER_ERROR,
            "Payer error",
            "The payer processed the claim wrongly (a wrong fee, wrong processing information, "
            "a reversal in error).",
            "Call the payer or ask for a reopening with the contract rate or the correct facts.",
            Remedy.REOPEN,
        ),
        CauseInfo(
            Cause.UNKNOWN,
            "Other",
            "The codes do not point to one cause otbill knows.",
            "Read the payer's reason and remark codes and decide between a corrected claim and "
            "an appeal.",
            Remedy.REVIEW,
        ),
    )
}

# Remark codes that name the problem more exactly than their CARC (the X12 RARC list).
_BY_RARC: dict[str, Cause] = {
    "M62": Cause.AUTHORIZATION,
    "N54": Cause.AUTHORIZATION,
    "M141": Cause.DOCUMENTATION,
    "M135": Cause.DOCUMENTATION,
    "M127": Cause.DOCUMENTATION,
    "N115": Cause.DOCUMENTATION,
    "N386": Cause.DOCUMENTATION,
    "N435": Cause.DOCUMENTATION,
    "N20": Cause.BUNDLING,
    "M15": Cause.BUNDLING,
    "M80": Cause.BUNDLING,
    "N362": Cause.UNITS,
    "N430": Cause.UNITS,
    "N640": Cause.BENEFIT_LIMIT,
    "M86": Cause.DUPLICATE,
    "M51": Cause.CODING,
    "M77": Cause.CODING,
    "N519": Cause.MODIFIER,
    "N822": Cause.MODIFIER,
}

_BY_CARC: dict[str, Cause] = {
    **dict.fromkeys(
        ("26", "27", "31", "32", "33", "109", "140", "177", "200", "204", "B7"), Cause.ELIGIBILITY
    ),
    **dict.fromkeys(("15", "62", "197", "198", "284", "288", "39"), Cause.AUTHORIZATION),
    **dict.fromkeys(
        ("5", "6", "7", "8", "9", "10", "11", "146", "167", "181", "182"), Cause.CODING
    ),
    **dict.fromkeys(("4",), Cause.MODIFIER),
    **dict.fromkeys(("97", "231", "234", "236", "B15"), Cause.BUNDLING),
    **dict.fromkeys(("151", "152", "154", "155"), Cause.UNITS),
    **dict.fromkeys(("50", "56", "57", "150", "252", "272", "226"), Cause.DOCUMENTATION),
    **dict.fromkeys(("18", "B13"), Cause.DUPLICATE),
    **dict.fromkeys(("29",), Cause.TIMELY_FILING),
    **dict.fromkeys(("35", "96", "119", "149", "273", "B1"), Cause.BENEFIT_LIMIT),
    **dict.fromkeys(("22", "23", "24", "B20"), Cause.COORDINATION),
    **dict.fromkeys(("129",), Cause.PAYER_ERROR),
    **dict.fromkeys(("16",), Cause.CODING),  # information missing: refined by its RARC
}

# CARCs whose family is general: a RARC refines them (CARC 16 with M62 is an authorization).
_GENERAL = frozenset({"16", "96", "B1"})


def root_cause(group: str, carc: str, rarcs: Iterable[str] = ()) -> CauseInfo:
    """The root cause of a denial from its group code, CARC and remark codes."""
    code = carc.strip().upper()
    remarks = [r.strip().upper() for r in rarcs if r]
    by_carc = _BY_CARC.get(code)
    if by_carc is None or code in _GENERAL:
        for remark in remarks:
            if remark in _BY_RARC:
                return CAUSES[_BY_RARC[remark]]
    if group.upper() == "PI" and code == "45":
        # a payer-initiated cut below the fee schedule: the contract, not the patient, decides
        return CAUSES[Cause.PAYER_ERROR]
    if by_carc is not None:
        return CAUSES[by_carc]
    if group.upper() == "PI" and not remarks:
        return CAUSES[Cause.PAYER_ERROR]
    return CAUSES[Cause.UNKNOWN]
