"""Applying a 999 or a 277CA to the claims we sent: rejected claims return to the biller's queue.

- 999: each acknowledged group names our file (AK102 = the GS06 we wrote) and each set our ST02;
  the claims of a rejected set go back to ``rejected`` with the set's errors in words. An accepted
  set changes nothing (a 999 accepts syntax; the 277CA accepts claims).
- 277CA: per claim (TRN02 = our claim number): accepted → ``accepted`` (keeping the payer's claim
  number, REF*1K); rejected → ``rejected`` with the reason in plain words (e.g. "Acknowledgement/
  Rejected for Invalid Information: Subscriber and Subscriber Id not found"). Rejected claims are
  the biller's queue (``otbill claims list --status rejected``); editing reopens them as drafts.

Both are idempotent: the same file (SHA-256) applied twice reports "already applied" and changes
nothing, and a claim already in the acknowledged state is left alone. A claim we cannot match, or
one no longer waiting for an acknowledgement that the payer rejects, goes to the work queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from otbill.domain.lifecycle import ClaimStatus
from otbill.errors import OtbillError
from otbill.services.claims import lifecycle as claims
from otbill.services.exchange.files import add_work_item, file_digest, find_file, record_file
from otbill.storage import Database, UnitOfWork
from otbill.x12.findings import X12Error, X12Finding
from otbill.x12.read_277ca import ClaimAck, read_277ca
from otbill.x12.read_999 import GroupAck, SetAck, read_999
from otbill.x12.tokens import read_segments

__all__ = ["AckRefused", "AckReport", "apply_acknowledgement", "apply_acknowledgement_in"]


class AckRefused(OtbillError):
    """An acknowledgement file with error findings (e.g. a wrong count): nothing was applied."""

    def __init__(self, name: str, findings: list[X12Finding]) -> None:
        self.findings = findings
        super().__init__(f"{name}: {findings[0]}; nothing applied")


@dataclass(slots=True)
class AckReport:
    file: str
    kind: str = ""
    already_applied: bool = False
    accepted: int = 0
    rejected: int = 0
    unchanged: int = 0
    unmatched: int = 0
    rejections: list[tuple[str, str]] = field(default_factory=list)  # (claim number, reason)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "already_applied": self.already_applied,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "unchanged": self.unchanged,
            "unmatched": self.unmatched,
            "rejections": [{"claim": n, "reason": r} for n, r in self.rejections],
        }

    def summary(self) -> str:
        if self.already_applied:
            return f"{self.file}: already applied; nothing changed"
        head = (
            f"{self.file} ({self.kind}): {self.accepted} accepted, {self.rejected} rejected, "
            f"{self.unchanged} unchanged, {self.unmatched} unmatched (work queue)"
        )
        return head + "".join(f"\n  {n}: rejected: {r}" for n, r in self.rejections)


def apply_acknowledgement(
    db: Database, clinic_id: int, actor_id: int, source: Path | bytes, *, name: str | None = None
) -> AckReport:
    """Apply a 999 or 277CA (a path or its bytes) for one clinic, in one transaction."""
    data = source.read_bytes() if isinstance(source, Path) else source
    label = name or (source.name if isinstance(source, Path) else "ack")
    with db.unit_of_work(clinic_id, actor_id) as uow:
        return apply_acknowledgement_in(uow, data, label)


def _kind(data: bytes) -> str:
    for seg in read_segments(data):
        if seg.id == "ST":
            if seg.el(1) == "999":
                return "999"
            if seg.el(1) == "277":
                return "277CA"
            raise X12Error(
                f"a {seg.el(1)} is not an acknowledgement (999 or 277CA expected)",
                position=seg.position,
                segment_id="ST",
                element="ST01",
            )
    raise X12Error("no ST segment: not an X12 transaction set", position=1)


def apply_acknowledgement_in(uow: UnitOfWork, data: bytes, name: str) -> AckReport:
    report = AckReport(name, _kind(data))
    sha = file_digest(data)
    if find_file(uow, "in", sha) is not None:
        report.already_applied = True
        return report
    if report.kind == "999":
        read = read_999(data)
        _refuse_errors(name, read.findings)
        for group in read.groups:
            _apply_group(uow, report, group, sha)
    else:
        read277 = read_277ca(data)
        _refuse_errors(name, read277.findings)
        for ack in read277.claims:
            _apply_claim(uow, report, ack, sha)
    summary = {k: v for k, v in report.as_json().items() if k != "rejections"}
    record_file(uow, direction="in", kind=report.kind, name=name, sha256=sha, summary=summary)
    return report


def _refuse_errors(name: str, findings: list[X12Finding]) -> None:
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise AckRefused(name, errors)


def _set_reason(ack: SetAck) -> str:
    parts = [*ack.set_errors]
    for err in ack.segment_errors:
        elements = "; ".join(f"element {e.position}: {e.text}" for e in err.elements)
        parts.append(
            f"segment {err.segment_id} at {err.position}: {err.text}"
            + (f" ({elements})" if elements else "")
        )
    return f"999: transaction set {ack.status_text}" + (": " + "; ".join(parts) if parts else "")


def _apply_group(uow: UnitOfWork, report: AckReport, group: GroupAck, sha: str) -> None:
    sent = None
    if group.control_number.isascii() and group.control_number.isdigit():  # "²" passes isdigit
        sent = uow.exchange.sent_837_id(int(group.control_number))
    if sent is None:
        reason = f"999 for group {group.control_number!r}, which otbill did not send"
        report.unmatched += int(
            add_work_item(
                uow,
                f"999:{sha[:16]}:{group.control_number}",
                kind="999",
                reference=group.control_number,
                reason=reason,
            )
        )
        return
    for ack in group.sets:
        for claim_id in uow.exchange.submitted_claim_ids(sent, ack.control_number):
            claim = uow.claims.for_update(claim_id)
            if ack.accepted or claim.status != ClaimStatus.SUBMITTED:
                report.unchanged += 1
                continue
            reason = _set_reason(ack)
            claims.transition(uow, claim.id, ClaimStatus.REJECTED, reason[:2000])
            report.rejected += 1
            report.rejections.append((claim.number, reason))


def _apply_claim(uow: UnitOfWork, report: AckReport, ack: ClaimAck, sha: str) -> None:
    number = ack.patient_control_number
    claim = uow.claims.by_number(number)
    key = f"277CA:{sha[:16]}:{number}:{ack.position}"
    if claim is None or ack.outcome == "unknown":
        why = f"no claim numbered {number!r}" if claim is None else f"status unclear: {ack.reason}"
        report.unmatched += int(
            add_work_item(
                uow,
                key,
                kind="277CA",
                reference=number,
                reason=why,
                claim_id=claim.id if claim else None,
            )
        )
        return
    target = ClaimStatus.ACCEPTED if ack.accepted else ClaimStatus.REJECTED
    if claim.status != ClaimStatus.SUBMITTED:
        if not ack.accepted and claim.status != target:
            why = f"rejected by 277CA while {claim.status}: {ack.reason}"
            report.unmatched += int(
                add_work_item(
                    uow, key, kind="277CA", reference=number, reason=why, claim_id=claim.id
                )
            )
        else:
            report.unchanged += 1
        return
    if ack.accepted:
        claims.respond(uow, claim.id, True, ack.payer_claim_number)
        report.accepted += 1
        return
    reason = f"277CA: {ack.reason}"
    claims.transition(uow, claim.id, ClaimStatus.REJECTED, reason[:2000])
    report.rejected += 1
    report.rejections.append((number, ack.reason))
