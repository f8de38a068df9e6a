"""A biller's hands on a stored claim: apply the scrubber's safe fixes, edit a line.

Why here and not in the web: a fix is decided by the rules engine on the claim as the records
build it (the same claim a re-scrub judges), then written back to the stored lines in the caller's
unit of work with an audit row, the claim reopened as a draft and re-scrubbed — all or nothing.
The person who fixes or edits is recorded as one of the claim's editors
(:func:`otbill.services.claims.duties.record_editor`), so separation of duties
(:func:`otbill.services.claims.lifecycle.approve`) keeps them from approving it, whoever saves
after them; a save that changes nothing records nothing.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from otbill.domain.claim import Claim
from otbill.domain.claim_records import ClaimFacts, ClaimLine, StoredClaim
from otbill.domain.lifecycle import EDITABLE, ClaimStatus, Role
from otbill.domain.money import from_cents, to_cents
from otbill.domain.record_errors import IllegalTransition, NotFound, RecordError
from otbill.rules.context import BatchIndex, ScrubContext
from otbill.rules.engine import fix_claim, scrub_claim
from otbill.rules.fixes import apply_fixes
from otbill.rules.registry import Finding, Rule
from otbill.services.claims import lifecycle as claims
from otbill.services.claims.assemble import assemble_claim
from otbill.services.claims.context import load_snapshot
from otbill.services.claims.duties import record_editor
from otbill.services.claims.scrub import fixes_allowed
from otbill.services.clinic.setup import require_role
from otbill.storage import UnitOfWork

__all__ = [
    "FixOutcome",
    "apply_safe_fixes",
    "assembled_claim",
    "edit_claim_line",
    "line_unchanged",
    "parse_charge",
    "parse_modifiers",
]

_SAFE = fixes_allowed()  # the one-click button applies what `otbill scrub --fix` would
_MODIFIER = re.compile(r"^[A-Z0-9]{2}$")


@dataclasses.dataclass(frozen=True, slots=True)
class FixOutcome:
    applied: tuple[str, ...]  # "MOD001: add GO to lines[1].modifiers"
    status: str  # the claim's status after the re-scrub


def assembled_claim(uow: UnitOfWork, row: ClaimFacts) -> Claim:
    """The scrubber's claim for a stored claim, built from the current records."""
    visits = uow.claims.visits(row.id)
    if not visits:
        raise RecordError(f"claim {row.number}: bills no visit; its context cannot be built")
    original = uow.claims.original_number(row.original_claim_id)
    snap = load_snapshot(uow, [row.patient_id])
    return assemble_claim(snap, row, uow.claims.lines(row.id), visits, original)


def _editable(uow: UnitOfWork, claim_id: int) -> StoredClaim:
    require_role(uow, uow.actor_id or 0, Role.BILLER)
    claim = uow.claims.for_update(claim_id)
    if claim.status not in EDITABLE:
        raise IllegalTransition(
            f"claim {claim.number}", claim.status, "draft (edit)", tuple(s.value for s in EDITABLE)
        )
    return claim


def _fixed(
    claim: Claim, run: ScrubContext, rules: Sequence[Rule], rule: str | None
) -> tuple[Claim, list[Finding]]:
    if rule is None:
        fixed, applied, _ = fix_claim(claim, run, rules, _SAFE)
        return fixed, applied
    findings = [f for f in scrub_claim(claim, run, rules).findings if f.rule == rule]
    return apply_fixes(claim, findings, _SAFE)


def _write_back(
    uow: UnitOfWork, row: StoredClaim, before: Claim, after: Claim
) -> list[dict[str, Any]]:
    """Store what the fixes changed (line modifiers and units, claim POS and total)."""
    changes: list[dict[str, Any]] = []
    for line, old, new in zip(uow.claims.lines(row.id), before.lines, after.lines, strict=True):
        if old.modifiers != new.modifiers or old.units != new.units:
            modifiers = ",".join(new.modifiers)
            changes.append({"line": line.position, "modifiers": [line.modifiers, modifiers],
                            "units": [line.units, new.units]})  # fmt: skip
            uow.claims.change_line(line.id, modifiers=modifiers, units=new.units)
    if after.place_of_service != before.place_of_service:
        changes.append({"place_of_service": [row.place_of_service, after.place_of_service]})
        uow.claims.change(row.id, place_of_service=after.place_of_service)
    if after.total_charge is not None and after.total_charge != before.total_charge:
        changes.append({"total_charge": [str(before.total_charge), str(after.total_charge)]})
        uow.claims.change(row.id, total_charge_cents=to_cents(after.total_charge))
    return changes


def apply_safe_fixes(
    uow: UnitOfWork,
    claim_id: int,
    run: ScrubContext,
    rules: Sequence[Rule],
    *,
    rule: str | None = None,
) -> FixOutcome:
    """Apply the safe fixes (all, or one rule's), store them, reopen and re-scrub the claim."""
    row = _editable(uow, claim_id)
    alone = dataclasses.replace(run, batch=BatchIndex())  # not a duplicate of itself
    before = assembled_claim(uow, row)
    after, applied = _fixed(before, alone, rules, rule)
    if not applied:
        what = f"rule {rule}" if rule else "this claim"
        raise RecordError(f"claim {row.number}: no safe fix applies for {what}")
    descriptions = tuple(f"{f.rule}: {f.fix.description}" for f in applied if f.fix)
    changes = _write_back(uow, row, before, after)
    record_editor(uow, row.id, "applied a safe fix (" + ", ".join(f.rule for f in applied) + ")")
    uow.audit.record(uow.actor_id, "claim.fix", "claim", row.id, None,
                     {"fixes": list(descriptions), "changes": changes})  # fmt: skip
    claims.transition(
        uow, row.id, ClaimStatus.DRAFT, "safe fixes: " + ", ".join(f.rule for f in applied)
    )
    uow.flush()
    return FixOutcome(descriptions, claims.rescrub(uow, claim_id, run, rules))


def parse_modifiers(text: str) -> list[str]:
    """``"go, kx"`` → ``["GO", "KX"]``; at most four two-character modifiers."""
    mods = [m.strip().upper() for m in re.split(r"[,\s]+", text) if m.strip()]
    bad = [m for m in mods if not _MODIFIER.match(m)]
    if bad:
        raise RecordError(f"modifiers {', '.join(bad)}: a modifier is two letters or digits")
    if len(mods) > 4:
        raise RecordError(f"modifiers {', '.join(mods)}: a line carries at most four")
    return mods


def parse_charge(text: str) -> Decimal:
    try:
        amount = Decimal(text.strip().lstrip("$").replace(",", ""))
    except InvalidOperation:
        raise RecordError(f"charge {text!r}: not an amount (e.g. 120.00)") from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount >= 10**8:
        raise RecordError(f"charge {text!r}: an amount of dollars and cents, not negative")
    return amount


def _no_change(
    line: ClaimLine, modifiers: Sequence[str] | None, units: int | None, charge: Decimal | None
) -> bool:
    return (
        (modifiers is None or ",".join(modifiers) == line.modifiers)
        and (units is None or units == line.units)
        and (charge is None or to_cents(charge) == line.charge_cents)
    )


def line_unchanged(
    uow: UnitOfWork,
    claim_id: int,
    line_id: int,
    *,
    modifiers: Sequence[str] | None,
    units: int | None,
    charge: Decimal | None,
) -> bool:
    """Would this edit leave the claim's line as it is (Save pressed on an untouched line)?"""
    line = uow.claims.line(line_id)
    return line.claim_id == claim_id and _no_change(line, modifiers, units, charge)


def edit_claim_line(
    uow: UnitOfWork,
    claim_id: int,
    line_id: int,
    *,
    modifiers: Sequence[str] | None,
    units: int | None,
    charge: Decimal | None,
    run: ScrubContext,
    rules: Sequence[Rule],
) -> tuple[str, Decimal | None]:
    """A biller's edit of one line (through :func:`claims.edit_line`): the claim's new status, and
    the line's new charge when new units repriced it (a charge typed in the same edit wins)."""
    claim = _editable(uow, claim_id)
    line = uow.claims.line(line_id)
    if line.claim_id != claim.id:
        raise NotFound(f"claim {claim.number} line", line_id)
    if units is not None and not 0 <= units <= 999:
        raise RecordError(f"claim {claim.number} line {line.position}: units {units} not 0-999")
    if _no_change(line, modifiers, units, charge):
        return claim.status, None  # a no-change save records nothing: no audit row, no editor
    if charge is not None and to_cents(charge) != line.charge_cents:
        before = from_cents(line.charge_cents)
        uow.claims.change_line(line.id, charge_cents=to_cents(charge))
        total = sum(x.charge_cents for x in uow.claims.lines(claim.id))
        uow.claims.change(claim.id, total_charge_cents=total)
        uow.audit.record(uow.actor_id, "claim.edit", "claim", claim.id,
                         {"line": line.position, "charge": str(before)},
                         {"line": line.position, "charge": str(charge)})  # fmt: skip
    typed = charge is not None and to_cents(charge) != line.charge_cents
    status = claims.edit_line(uow, claim_id, line.position, modifiers=modifiers, units=units,
                              run=run, rules=rules, reprice=not typed)  # fmt: skip
    now = uow.claims.line(line_id).charge_cents
    return status, (from_cents(now) if not typed and now != line.charge_cents else None)
