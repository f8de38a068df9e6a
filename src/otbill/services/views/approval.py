"""What the claim page and the approval queue say about approving: may the user approve, why not
(in names), who may, and each claim's findings in a line.

The rule is :func:`otbill.domain.approval.approval_refusal` (through
:func:`otbill.services.claims.duties.approval_checks`); this module only words it for a page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from otbill.domain.approval import Involvement
from otbill.services.claims.duties import ApprovalCheck, approval_checks
from otbill.storage import UnitOfWork

__all__ = ["claim_approval", "queue_approvals"]


def _sentence(check: ApprovalCheck, number: str) -> str | None:
    """The refusal without its ``claim N:`` label (the page is the claim's), as a sentence."""
    if check.refusal is None:
        return None
    text = check.refusal.removeprefix(f"claim {number}: ")
    return text[:1].upper() + text[1:] + "."


def _who(check: ApprovalCheck) -> str:
    if check.approvers:
        return ", ".join(check.approvers)
    return "nobody yet: every approver created or changed this claim; an administrator can add one"


def claim_approval(uow: UnitOfWork, claim_id: int) -> dict[str, Any]:
    """For the claim page: ``allowed``, ``why_not`` (a sentence naming the user), ``who`` may
    approve, and ``involved`` (who created or changed it, and when)."""
    claim = uow.claims.get(claim_id)
    check = approval_checks(uow, [(claim.id, claim.number)])[claim.id]
    return {
        "allowed": check.allowed,
        "why_not": _sentence(check, claim.number),
        "who": _who(check),
        "involved": list(check.involved),
    }


def _finding(f: Mapping[str, Any]) -> dict[str, str]:
    return {
        "rule": str(f.get("rule", "")),
        "severity": str(f.get("severity", "")),
        "message": str(f.get("message", "")),
    }


def queue_approvals(uow: UnitOfWork, rows: Sequence[dict[str, Any]]) -> None:
    """Add to each ready-queue row (``id``, ``number``, ``stored_findings``, ``created``: the
    page's claim rows, :func:`otbill.services.views.work_queues.list_queue`) its findings, whether
    the user may approve it, and why not; one query for the page's editors."""
    changes = uow.claims.editors.changes(r["id"] for r in rows)
    involved: dict[int, list[Involvement]] = {}
    for row in rows:
        creator = [Involvement(row["created"][0], "created the claim", row["created"][1])]
        involved[row["id"]] = (creator if row["created"] else []) + changes.get(row["id"], [])
    checks = approval_checks(uow, [(r["id"], r["number"]) for r in rows], involved)
    for row in rows:
        check = checks[row["id"]]
        row["findings"] = [_finding(f) for f in row["stored_findings"]]
        row["may_approve"] = check.allowed
        row["why_not"] = _sentence(check, row["number"])
