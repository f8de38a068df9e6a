"""Held claims grouped by the rule of their error findings: what the held queue's side panel lists.

Grouping reads every held claim's findings (inside the database: ``uow.queues.error_rule_counts``),
so the result is kept in the app's :class:`QueueCache` until the clinic's records change.
"""

from __future__ import annotations

from dataclasses import dataclass

from otbill.rules.registry import load_rules
from otbill.services.views.queue_cache import QueueCache
from otbill.storage import UnitOfWork
from otbill.storage.repositories.queues import QueueFilter

__all__ = ["RuleGroup", "held_rule_groups"]

_HELD = ("held",)


@dataclass(frozen=True, slots=True)
class RuleGroup:
    code: str
    name: str
    claims: int
    meaning: str = ""  # the rule's "In short": what is wrong, in plain words


def _meaning(code: str) -> str:
    """The rule's one-sentence explanation (its docstring's "In short"); empty for the engine's
    own notices (COD000), which the page then shows by name."""
    found = next((r for r in load_rules(preview=True) if r.code == code), None)
    return found.doc.summary if found else ""


def held_rule_groups(
    uow: UnitOfWork,
    f: QueueFilter | None = None,
    held: int | None = None,
    cache: QueueCache | None = None,
    head: int | None = None,
) -> list[RuleGroup]:
    """Held claims by the rule of their error findings (a claim counts once per rule).

    Every change to a claim writes an audit row, which moves the audit chain's head; ``held`` (the
    held count, when the caller has it) also catches rows written without one. The rule filter
    itself is not applied: the panel lists every rule, under the other filters. ``head``: the
    audit head's sequence number, when the caller has read it for this request.
    """
    f = f or QueueFilter()
    others = QueueFilter(f.payer_id, f.provider_id, f.date_from, f.date_to)

    def group() -> list[RuleGroup]:
        return [
            RuleGroup(*counts, meaning=_meaning(counts[0]))
            for counts in uow.queues.error_rule_counts(_HELD, others)
        ]

    if cache is None:
        return group()
    stamp = (uow.audit_reads.head_seq() if head is None else head, held)
    return cache.get(("held-rules", uow.clinic_id, others), stamp, group)
