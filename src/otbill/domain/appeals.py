"""Denials and appeals: what a payer denied, by when to appeal at each level, the appeal letter
for the denial's cause, and the denials that recur (the source of prevention checks).

Medicare's appeal levels and deadlines follow 42 CFR 405 subpart I: redetermination within 120
days of the initial determination (405.942), reconsideration within 180 days of the
redetermination (405.962), then an ALJ hearing, Council review and judicial review within 60 days
each, the ALJ hearing and the court needing an amount in controversy set yearly (405.1006).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AMOUNT_IN_CONTROVERSY",
    "LETTERS",
    "MEDICARE_LEVELS",
    "OUTCOMES",
    "Appeal",
    "AppealLevel",
    "AppealPacket",
    "Denial",
    "DenialEvent",
    "Pattern",
    "PreventionCheck",
    "amount_in_controversy",
    "appeal_level",
    "fill_letter",
    "letter_template",
    "outcome_of",
    "recurring",
]


@dataclass(frozen=True, slots=True)
class Denial:
    """What the payer denied on a claim (every code, the amount), when, and by when to appeal."""

    id: int
    claim_id: int
    group_code: str
    carc: str
    denied_on: dt.date
    appeal_deadline: dt.date | None
    claim_line_id: int | None = None  # when one line alone was denied
    rarc: str | None = None
    remittance_id: int | None = None
    amount_cents: int = 0
    codes: tuple[Mapping[str, Any], ...] = ()  # group, carc, amount, line
    remarks: tuple[str, ...] = ()  # every RARC (LQ, MOA)


@dataclass(frozen=True, slots=True)
class Appeal:
    """An appeal filed against a denial, at a level (1 = redetermination), and its outcome."""

    id: int
    claim_id: int
    denial_id: int | None
    level: int
    filed_on: dt.date
    reason: str
    outcome: str = "pending"
    filed_by: int | None = None


# --- Appeal levels and deadlines -------------------------------------------------------------

MEDICARE_LEVELS: dict[int, tuple[str, str, int]] = {
    # level: (name, who decides, days to file from receipt of the decision before it)
    1: ("Redetermination", "the Medicare Administrative Contractor", 120),  # 42 CFR 405.942(a)
    2: ("Reconsideration", "the Qualified Independent Contractor", 180),  # 42 CFR 405.962(a)
    3: ("ALJ hearing", "an Administrative Law Judge (OMHA)", 60),  # 42 CFR 405.1014(b)
    4: ("Council review", "the Medicare Appeals Council", 60),  # 42 CFR 405.1102(a)
    5: ("Judicial review", "a federal district court", 60),  # 42 CFR 405.1136
}

# The amount that must remain in controversy for an ALJ hearing and for judicial review, by
# calendar year (42 CFR 405.1006; adjusted each year by a Federal Register notice; CY2026: FR
# document 2025-21879).
AMOUNT_IN_CONTROVERSY: dict[int, tuple[int, int]] = {
    2024: (180, 1840),
    2025: (190, 1900),
    2026: (200, 1960),
}

OUTCOMES = ("pending", "won", "partial", "lost")


@dataclass(frozen=True, slots=True)
class AppealLevel:
    """One level of appeal open to a denial: its name, who decides, the deadline to file, and the
    amount that must be in controversy (Medicare levels 3 and 5)."""

    level: int
    name: str
    decides: str
    days: int
    deadline: dt.date
    amount_in_controversy: int | None = None

    def qualifies(self, amount_cents: int) -> bool:
        """Whether the amount still in dispute meets this level's amount in controversy."""
        return (
            self.amount_in_controversy is None or amount_cents >= self.amount_in_controversy * 100
        )


def amount_in_controversy(level: int, year: int) -> int | None:
    """The ALJ (level 3) or court (level 5) threshold in whole dollars for ``year``; the latest
    known year's for later years; None for the levels that have none."""
    if level not in (3, 5):
        return None
    known = AMOUNT_IN_CONTROVERSY.get(year) or AMOUNT_IN_CONTROVERSY[max(AMOUNT_IN_CONTROVERSY)]
    return known[0] if level == 3 else known[1]


def appeal_level(
    medicare: bool, level: int, decided_on: dt.date, contract_days: int | None = None
) -> AppealLevel:
    """The appeal ``level`` against a decision dated ``decided_on``.

    Medicare's five levels follow 42 CFR 405 subpart I (the deadline counts from the decision's
    date; the rule adds 5 days for mail, which otbill leaves as margin). A commercial payer has
    the one level its contract gives (the payer's ``appeal_days``; 180 days when none is
    recorded)."""
    if medicare:
        if level not in MEDICARE_LEVELS:
            raise ValueError(f"Medicare has appeal levels 1 to 5, not {level}")
        name, decides, days = MEDICARE_LEVELS[level]
        aic = amount_in_controversy(level, decided_on.year)
        return AppealLevel(level, name, decides, days, decided_on + dt.timedelta(days), aic)
    days = contract_days or 180
    name = "Appeal" if level == 1 else f"Appeal, level {level}"
    return AppealLevel(level, name, "the payer", days, decided_on + dt.timedelta(days))


def outcome_of(denied_cents: int, recovered_cents: int) -> str:
    """won (all of the denied amount paid later), partial (some), else pending."""
    if recovered_cents <= 0:
        return "pending"
    return "won" if recovered_cents >= denied_cents else "partial"


# --- Appeal letters ----------------------------------------------------------------------------

LETTERS: dict[str, tuple[str, str]] = {
    # template: (title, body with {fields} filled from the record)
    "distinct-service": (
        "Distinct procedural service (modifier 59 / X{EPSU})",
        "{payer} denied {code} on claim {claim} for {patient} (date of service {dos}) as part "
        "of another service billed the same day (reason {reason}). The treatment note documents "
        "{code} as a distinct service: performed in its own time ({minutes} minutes), for a "
        "separate goal, and not part of the other procedure. We ask that the line be paid with "
        "modifier {modifier}.",
    ),
    "medical-necessity": (
        "Medical necessity",
        "{payer} denied {code} on claim {claim} for {patient} (date of service {dos}) as not "
        "medically necessary (reason {reason}). The enclosed plan of care, signed by the "
        "certifying physician on {signed}, orders this therapy for {diagnosis}. The notes "
        "record {minutes} minutes of skilled treatment and the patient's progress toward the "
        "plan's goals. We ask that the service be paid.",
    ),
    "kx-exception": (
        "Therapy above the threshold (KX exception)",
        "{payer} denied {code} on claim {claim} for {patient} (date of service {dos}) as over "
        "the therapy threshold (reason {reason}). The service was billed with the KX modifier: "
        "therapy above the threshold remains medically necessary, as the enclosed plan of care "
        "(signed {signed}) and the notes with minutes document. We ask that it be paid.",
    ),
    "timely-filing": (
        "Timely filing",
        "{payer} denied claim {claim} for {patient} (date of service {dos}) as filed late "
        "(reason {reason}). The claim was sent on {sent} and accepted: the enclosed "
        "acknowledgements (999 and 277CA) show the payer received it within the filing limit. "
        "We ask that it be processed.",
    ),
    "authorization": (
        "Authorization on file",
        "{payer} denied {code} on claim {claim} for {patient} (date of service {dos}) for a "
        "missing authorization (reason {reason}). Authorization {auth} covered this service "
        "from {auth_from} to {auth_to}; the enclosed authorization and its log show the "
        "payer's approval. We ask that the service be paid.",
    ),
}


def letter_template(cause_letter: str | None, modifiers: tuple[str, ...] = ()) -> str:
    """Which letter a denial gets: its cause's, a KX line's exception letter, else medical
    necessity (the reason most therapy denials are appealed on)."""
    if cause_letter in ("medical-necessity", None) and "KX" in modifiers:
        return "kx-exception"
    return cause_letter or "medical-necessity"


def fill_letter(template: str, facts: Mapping[str, str]) -> str:
    """The letter's text: the template filled from the record; a missing fact reads
    '[not on file]' so the biller sees what to add before finalising."""

    class _Facts(dict[str, str]):
        def __missing__(self, key: str) -> str:
            return "[not on file]"

    _title, body = LETTERS[template]
    return body.format_map(_Facts({k: v for k, v in facts.items() if v}))


# --- Prevention: recurring denial patterns ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DenialEvent:
    """One denied line as prevention reads it."""

    payer_id: int
    code: str
    carc: str
    denied_on: dt.date
    paired_with: tuple[str, ...] = ()  # the other codes billed that day
    telehealth: bool = False  # the claim was for a telehealth visit


@dataclass(frozen=True, slots=True)
class Pattern:
    """A denial that recurred: same payer, code and CARC, ``count`` times in the window."""

    payer_id: int
    code: str
    carc: str
    count: int
    first_on: dt.date
    last_on: dt.date
    with_code: str | None = None  # the code it was denied together with, when always the same
    telehealth: bool = False  # every one of the denials was of a telehealth visit


def recurring(
    events: Sequence[DenialEvent], today: dt.date, *, window_days: int = 90, at_least: int = 3
) -> list[Pattern]:
    """Denials that recur: the same payer, code and CARC ``at_least`` times within the last
    ``window_days`` days (a rolling window ending ``today``)."""
    since = today - dt.timedelta(days=window_days)
    groups: dict[tuple[int, str, str], list[DenialEvent]] = {}
    for e in events:
        if since <= e.denied_on <= today:
            groups.setdefault((e.payer_id, e.code, e.carc), []).append(e)
    out = []
    for (payer, code, reason), items in sorted(groups.items()):
        if len(items) < at_least:
            continue
        common = set(items[0].paired_with)
        for e in items[1:]:
            common &= set(e.paired_with)
        days = [e.denied_on for e in items]
        pair = min(common) if common else None
        remote = all(e.telehealth for e in items)
        out.append(Pattern(payer, code, reason, len(items), min(days), max(days), pair, remote))
    return out


# --- Records kept: appeal packets and prevention checks ---------------------------------------


@dataclass(frozen=True, slots=True)
class AppealPacket:
    """A denial's appeal packet: the letter as edited, draft until final, then sent."""

    id: int
    denial_id: int
    cause: str
    template: str
    level: int
    deadline: dt.date
    body: str
    status: str  # draft, final, sent
    edited_by: int
    edited_at: dt.datetime
    finalised_by: int | None = None
    finalised_at: dt.datetime | None = None
    pdf_sha256: str | None = None
    sent_on: dt.date | None = None
    appeal_id: int | None = None


@dataclass(frozen=True, slots=True)
class PreventionCheck:
    """A recurring denial proposed as a pre-submission check; accepted ones hold claims."""

    id: int
    payer_id: int
    code: str
    carc: str
    with_code: str | None
    cause: str
    denials: int
    first_on: dt.date
    last_on: dt.date
    status: str  # proposed, accepted, dismissed
    proposed_at: dt.datetime
    decided_by: int | None = None
    decided_at: dt.datetime | None = None
    payer_name: str = ""
    payer_code: str = ""

    @property
    def profile_change(self) -> str | None:
        """The payer-profile change this check proposes (its cause ``profile:<name>``, see
        :mod:`otbill.payers.changes`), else None: a clinic rule that holds claims (CLN001)."""
        return self.cause if self.cause.startswith("profile:") else None
