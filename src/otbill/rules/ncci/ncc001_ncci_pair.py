"""NCC001 ncci-pair."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.codes.modifiers import NCCI_BYPASS
from otbill.domain.claim import Claim, HistoryLine
from otbill.rules import wording
from otbill.rules.context import ClaimContext, PtpEditLike
from otbill.rules.ncci._facts import BYPASS_TO_ADD, DayGroup, day_groups, ptp_source
from otbill.rules.registry import Applicability, Case, Edit, Finding, Fix, Severity, rule


@rule(
    "NCC001",
    "ncci-pair",
    "ncci",
    Severity.ERROR,
    since="0.1.0",
    cases={
        "column-2-already-billed": Case(
            Severity.WARNING,
            "the column 2 code was billed on an earlier claim, so the denial falls on that claim",
        ),
    },
)
def ncci_pair(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: Two codes billed the same day are a pair payers pay only one of, unless the
    services were distinct.
    What it checks: for each date of service and rendering provider, the pairs of codes billed
    (on this claim, and on the patient's earlier claims for the same date and rendering NPI)
    that an active NCCI procedure-to-procedure (PTP) edit forbids together. Modifier indicator 0:
    the column 2 code is never paid with the column 1 code. Indicator 1: it is paid only when
    the column 2 (or column 1) line carries 59 or XE/XS/XP/XU, showing a distinct service.
    Why payers deny it: Medicare and most payers run the quarterly NCCI PTP table; the column 2
    line is denied (CARC 236 or 97, RARC M80/N20) when both codes are billed for the same
    patient, provider and day without a bypass modifier the edit allows.
    Example: 97150 (group therapy, column 1) and 97530 (column 2, indicator 1) on 2025-02-14
    with no modifier 59 on 97530; or 97167 with 97165 (indicator 0) the same day. No edit
    pairs 97110 with 97530, and 97140 with 97530 was deleted on 2019-12-31.
    Fix: indicator 1 — add 59 to the column 2 line when the note records it as a distinct
    service in its own 15-minute intervals (automatic when lines[].distinct_service is true;
    otherwise only after someone checks the note). Indicator 0 — no modifier helps: remove the
    column 2 line.
    Source: CMS NCCI PTP edits, practitioner table (quarterly; the release in use is named in each finding); NCCI Policy Manual for Medicare Services, ch. I (modifier 59, X{EPSU}) and ch. XI (physical medicine and rehabilitation).
    """
    table = ctx.run.ncci
    if table is None or not ctx.profile.ncci:
        return
    source = ""
    for group in day_groups(claim, ctx):
        codes = group.codes()
        if len(codes) < 2:
            continue
        for edit in table.active_pairs_for(codes, group.date):
            if edit.column1 == edit.column2:
                continue
            source = source or ptp_source(ctx)
            yield from _findings(claim, group, edit, source)


def _findings(claim: Claim, group: DayGroup, edit: PtpEditLike, source: str) -> Iterator[Finding]:
    col1, col2 = edit.column1, edit.column2
    lines1, lines2 = group.lines.get(col1, []), group.lines.get(col2, [])
    if not lines2:
        if lines1 and edit.modifier_indicator == 0:
            yield _already_billed(
                claim, group, edit, lines1[0], group.history.get(col2, []), source
            )
        return  # indicator 1 with column 2 on an earlier claim: its modifiers are not recorded
    col1_bypassed = any(not NCCI_BYPASS.isdisjoint(claim.lines[j].modifiers) for j in lines1)
    where = _where(lines1, group.history.get(col1, []))
    day = f"on {wording.day(group.date)} (rendering NPI {group.npi})"
    for i in lines2:
        modifiers = claim.lines[i].modifiers
        head = (
            f"{wording.line(claim, i)} is column 2 of an NCCI PTP edit with {col1} "
            f"(column 1, {where}) {day}, modifier indicator {edit.modifier_indicator}"
        )
        if edit.modifier_indicator == 0:
            bypass = [m for m in modifiers if m in NCCI_BYPASS]
            note = f" (modifier {', '.join(bypass)} cannot bypass it)" if bypass else ""
            yield ncci_pair.finding(
                f"{head}: {col2} is never paid with {col1} for the same patient, provider and "
                f"day{note}",
                line=i,
                fix=Fix(f"remove line {i + 1} ({col2}); no modifier bypasses this edit"),
                source=source,
            )
        elif not col1_bypassed and NCCI_BYPASS.isdisjoint(modifiers):
            yield ncci_pair.finding(
                f"{head}: {col2} is denied unless modifier 59 or XE/XS/XP/XU shows a distinct "
                f"service, and line {i + 1} carries neither",
                line=i,
                fix=_bypass_fix(i, col1, col2, modifiers, claim.lines[i].distinct_service),
                source=source,
            )


def _bypass_fix(i: int, col1: str, col2: str, modifiers: tuple[str, ...], distinct: bool) -> Fix:
    if len(modifiers) >= 4:
        return Fix(
            f"line {i + 1} already has four modifiers; if {col2} was distinct from {col1}, "
            f"replace a non-pricing modifier with {BYPASS_TO_ADD}, otherwise remove the line"
        )
    edits = (Edit("modifiers", (*modifiers, BYPASS_TO_ADD), line=i),)
    if distinct:
        return Fix(
            f"add modifier {BYPASS_TO_ADD} to line {i + 1}: the note records {col2} as a "
            f"distinct service from {col1} (separate intervals)",
            edits,
            Applicability.SAFE,
        )
    return Fix(
        f"add modifier {BYPASS_TO_ADD} to line {i + 1} only if the note shows {col2} and {col1} "
        "were done in distinct, separate intervals (the record does not say so); "
        f"otherwise remove line {i + 1}",
        edits,
        Applicability.UNSAFE,
    )


def _where(lines: list[int], history: list[HistoryLine]) -> str:
    parts = []
    if lines:
        parts.append(
            "line" + ("s " if len(lines) > 1 else " ") + ", ".join(str(j + 1) for j in lines)
        )
    parts.extend(f"already billed on claim {h.claim_id}" for h in history[:2])
    return "; ".join(parts)


def _already_billed(
    claim: Claim,
    group: DayGroup,
    edit: PtpEditLike,
    i: int,
    history: list[HistoryLine],
    source: str,
) -> Finding:
    claims = ", ".join(sorted({h.claim_id for h in history}))
    return ncci_pair.finding(
        f"{wording.line(claim, i)} is column 1 of an NCCI PTP edit with {edit.column2} "
        f"(column 2, already billed on claim {claims}) on {wording.day(group.date)} (rendering NPI "
        f"{group.npi}), modifier indicator 0: the two are never paid together for the same "
        f"patient, provider and day; the payer will deny or recoup {edit.column2}",
        line=i,
        case="column-2-already-billed",
        fix=Fix(
            f"decide which service the notes support: keep line {i + 1} and correct claim "
            f"{claims}, or remove line {i + 1}"
        ),
        source=source,
    )
