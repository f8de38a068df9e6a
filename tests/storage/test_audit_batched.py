"""Events appended in one bulk statement (``uow.audit.batched``, as an 835's steps and the CSV
import append them) carry the sequence numbers and hashes that appending them one at a time
gives, and ``audit verify`` finds the chain and its anchor intact."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager, nullcontext
from decimal import Decimal

import pytest
from sqlalchemy import select

from otbill.storage import Database
from otbill.storage import audit as audit_module
from otbill.storage.tables import AuditAnchorRow, AuditEventRow
from support.clinickit import Ids, seed_clinic

AT = dt.datetime(2025, 3, 10, 9, 30, 0, 123456)


class _Undo(Exception):
    """Rolls the unit of work back once its rows are read."""


def _append(db: Database, ids: Ids, batched: bool) -> list[tuple[object, ...]]:
    got: list[tuple[object, ...]] = []
    with pytest.raises(_Undo), db.unit_of_work(ids.clinic, ids.biller) as uow:
        start = uow.audit_reads.head_seq()
        block: AbstractContextManager[None] = uow.audit.batched() if batched else nullcontext()
        with block:
            for n in range(1, 40):
                after = {"amount": Decimal(n) / 4, "on": dt.date(2025, 3, n % 28 + 1), "n": n}
                uow.audit.record(ids.biller, "posting.payment", "posting", n, None, after)
            uow.audit.record_many([("denial.open", "denial", 7, {"codes": [{"carc": "50"}]})])
            awkward = {"note": 'Zoë "OT" \\ tab\t line\n\r ✓', "list": ["\\N", None, True]}
            uow.audit.record(ids.biller, "note.sign", "note", 8, awkward, {"k": awkward})
            uow.audit.record(None, "claim.transition", "claim", 3, {"status": "a"}, {"s": "b"})
        query = select(AuditEventRow).where(AuditEventRow.clinic_id == ids.clinic)
        rows = uow.session.scalars(query.where(AuditEventRow.seq > start).order_by("seq"))
        got += [(r.seq, r.actor_id, r.action, r.after, r.prev_hash, r.hash) for r in rows]
        anchor = uow.session.get(AuditAnchorRow, ids.clinic)
        assert anchor is not None
        got.append((anchor.row_count, anchor.hash))
        assert uow.audit_reads.verify() == []
        raise _Undo
    return got


def test_a_batched_append_chains_as_appends_one_at_a_time(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = seed_clinic(db)
    monkeypatch.setattr(audit_module, "utcnow", lambda: AT)
    one_by_one = _append(db, ids, batched=False)
    last = one_by_one[-2]
    assert len(one_by_one) == 43 and one_by_one[-1] == (last[0], last[5])  # the anchor
    assert _append(db, ids, batched=True) == one_by_one
