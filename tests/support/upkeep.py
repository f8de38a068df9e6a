"""Writing rows as the code of an older schema did: without the listeners that keep the derived
tables (owner's summaries, dashboard rollups), whose tables an older revision does not have."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session

from otbill.storage.repositories.dashboard_claim_months import keep_claim_months
from otbill.storage.repositories.dashboard_summary import keep_rollups
from otbill.storage.repositories.dashboard_unbilled import keep_unbilled
from otbill.storage.repositories.owner_collections import keep_collection_days
from otbill.storage.repositories.owner_open import keep_open_days
from otbill.storage.repositories.owner_summary import keep_summaries

__all__ = ["without_upkeep"]

#: Every after-flush listener that keeps a derived table, in the order they are registered.
KEEPERS = (keep_summaries, keep_open_days, keep_collection_days, keep_rollups,
           keep_claim_months, keep_unbilled)  # fmt: skip


@contextmanager
def without_upkeep() -> Iterator[None]:
    """Flushes inside write only what they are given; the listeners come back after, in the
    order they had (the dashboard's open balances read the owner's line balances kept first)."""
    registered = [k for k in KEEPERS if event.contains(Session, "after_flush", k)]
    for keeper in registered:
        event.remove(Session, "after_flush", keeper)
    try:
        yield
    finally:
        for keeper in registered:
            event.listen(Session, "after_flush", keeper)
