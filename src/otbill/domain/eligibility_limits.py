"""Therapy visit limits that payers write in MSG free text, mined only where the wording is clear.

Payers often say "OT LIMITED TO 20 VISITS PER CALENDAR YEAR" in a MSG segment instead of an EB with
a quantity (005010X279A1 2110C MSG: free text, "not to be used for information that can be sent in
a codified form", which payers do anyway). A sentence is read only when it names a number of visits
next to a word that says what the number is (limit, maximum, per year, used, remaining);
"visits may be limited" or two different limits in one text give nothing. The text is always kept
as the evidence of what was read.
"""

from __future__ import annotations

import re

from otbill.domain.eligibility import TherapyLimit

__all__ = ["mine"]

_N = r"(\d{1,3})"  # at most 999 visits: a longer number is not a visit count
_VISITS = r"\s+(?:OUTPATIENT\s+)?(?:THERAPY\s+)?VISITS?\b"
_PERIOD = r"(CALENDAR YEAR|PLAN YEAR|BENEFIT YEAR|CONTRACT YEAR|SERVICE YEAR|YEAR|LIFETIME)"
_PATTERNS = [
    ("limit", re.compile(r"\b(?:LIMIT(?:ED)?\s+(?:OF|TO)|MAX(?:IMUM)?(?:\s+OF)?|UP\s+TO)\s+"
                         + _N + _VISITS, re.ASCII)),
    ("limit", re.compile(r"\b" + _N + _VISITS + r"\s+(?:PER|EACH|A|EVERY)\s+" + _PERIOD, re.ASCII)),
    ("used", re.compile(r"\b" + _N + _VISITS + r"\s+(?:HAVE\s+BEEN\s+|WERE\s+|ARE\s+)?USED\b",
                        re.ASCII)),
    ("used", re.compile(r"\bVISITS?\s+USED\s*:?\s*" + _N + r"\b", re.ASCII)),
    ("remaining", re.compile(r"\b" + _N + _VISITS + r"\s+(?:ARE\s+)?(?:REMAIN(?:ING)?|LEFT)\b",
                             re.ASCII)),
    ("remaining", re.compile(r"\bVISITS?\s+(?:REMAINING|LEFT)\s*:?\s*" + _N + r"\b", re.ASCII)),
]  # fmt: skip
_PERIOD_WORDS = re.compile(_PERIOD, re.ASCII)
_DISCIPLINES = (
    ("AD", re.compile(r"\b(?:OT|OCCUPATIONAL)\b", re.ASCII)),
    ("PT", re.compile(r"\b(?:PT|PHYSICAL\s+THERAPY)\b", re.ASCII)),
    ("AF", re.compile(r"\b(?:SLP|SPEECH)\b", re.ASCII)),
)


def mine(text: str, service_types: tuple[str, ...]) -> list[TherapyLimit]:
    """The visit limits ``text`` states clearly; its disciplines if named, else ``service_types``."""
    upper = " ".join(text.upper().split())
    named = tuple(code for code, pattern in _DISCIPLINES if pattern.search(upper))
    found: dict[str, set[int]] = {}
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(upper):
            found.setdefault(kind, set()).add(int(match.group(1)))
    period = _PERIOD_WORDS.search(upper)
    limits = []
    for kind, numbers in found.items():
        if len(numbers) != 1:  # two different limits in one sentence: not clear enough
            continue
        limits.append(
            TherapyLimit(
                visits=numbers.pop(),
                kind=kind,
                period=period.group(1).lower() if period and kind == "limit" else "",
                service_types=named or service_types,
                source="MSG",
                evidence=text,
            )
        )
    return limits
