"""MOD004 conflicting-modifiers."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.codes import modifiers
from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.modifier._lines import MAX_MODIFIERS, modifiers_of
from otbill.rules.registry import Applicability, Edit, Finding, Fix, Severity, rule

_X = frozenset({"XE", "XS", "XP", "XU"})
_DISCIPLINE = modifiers.DISCIPLINE
_MODALITY = frozenset({"95", "GT", "93"})  # audio-video (95, GT) and audio-only (93)


@rule("MOD004", "conflicting-modifiers", "modifier", Severity.ERROR, since="0.1.0")
def conflicting_modifiers(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A line's modifiers contradict each other (one twice, or two that cannot go
    together).
    What it checks: a line's modifiers do not contradict each other: no modifier twice; not 59
    together with an X{EPSU} modifier; at most one discipline modifier (GO, GP, GN); at most one
    of the telehealth modality modifiers 95, GT and 93; and no more than 4 modifiers.
    Why payers deny it: CMS says to use 59 only when no X{EPSU} modifier describes the service,
    never both; a line under two plans of care (GO and GP) or billed both as audio-video (95 or
    GT) and audio-only (93) or as 95 and GT states contradictory facts; the 837P service line
    (SV101) holds 4 modifiers, so a fifth is lost. Such lines are rejected or denied (CARC 4).
    Example: lines[1] 97530 with modifiers ['GO', '59', 'XU']; or ['GO', 'GP'].
    Fix: remove a duplicated modifier (safe: nothing is lost); otherwise keep the modifier the
    note supports and remove the other.
    Source: CMS MLN "Proper Use of Modifiers 59, XE, XP, XS, XU" and CR 8863 (X{EPSU}, 2015); Pub 100-04, ch. 5, §20.1 (one discipline modifier); X12 005010X222A1 837P, loop 2400 SV101-3 to SV101-6 (four modifiers).
    """
    for i, line in enumerate(claim.lines):
        raw = line.modifiers
        if len(raw) < 2:
            continue
        mods = modifiers_of(line)
        shown = list(raw)
        where = f"{wording.line(claim, i)}, with modifiers {', '.join(shown)},"
        if len(set(mods)) < len(mods):
            unique = tuple(dict.fromkeys(mods))
            twice = sorted({m for m in mods if mods.count(m) > 1})
            yield conflicting_modifiers.finding(
                f"{where} repeats {', '.join(twice)}",
                line=i,
                fix=Fix(
                    f"remove the repeated {', '.join(twice)} from line {i + 1}",
                    (Edit("modifiers", unique, line=i),),
                    Applicability.SAFE,
                ),
            )
            mods = unique
        if "59" in mods and not _X.isdisjoint(mods):
            xs = ", ".join(m for m in mods if m in _X)
            yield conflicting_modifiers.finding(
                f"{where} carries both 59 and {xs}: CMS allows one NCCI bypass modifier, the more "
                "specific X modifier when it describes the service",
                line=i,
                fix=Fix(f"remove 59 from line {i + 1} (keep {xs}) if it describes the service"),
            )
        for group, what in ((_DISCIPLINE, "discipline"), (_MODALITY, "telehealth modality")):
            found = [m for m in mods if m in group]
            if len(found) > 1:
                yield conflicting_modifiers.finding(
                    f"{where} carries {len(found)} {what} modifiers ({', '.join(found)}): a line "
                    f"takes one",
                    line=i,
                    fix=Fix(f"keep the {what} modifier the note supports on line {i + 1}"),
                )
        if len(mods) > MAX_MODIFIERS:
            yield conflicting_modifiers.finding(
                f"{where} holds {len(mods)} modifiers; a claim line carries at most "
                f"{MAX_MODIFIERS}",
                line=i,
                fix=Fix(f"keep the {MAX_MODIFIERS} modifiers that affect payment on line {i + 1}"),
            )
