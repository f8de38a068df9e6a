"""The kept tables after flushes of many postings at once (an 835's step writes hundreds), on
SQLite and PostgreSQL: the owner's line balances, open days and collection days and the
dashboard's rollups equal their sources summed afresh, whatever the batches hold (several
postings on one line in one flush, reversals of earlier batches, claims that close and reopen,
two claims and two therapists sharing a patient and day)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from otbill.storage import Database
from otbill.storage.audit import utcnow
from otbill.storage.repositories.dashboard_summary import rollup_mismatches
from otbill.storage.repositories.owner_collections import collection_day_mismatches
from otbill.storage.repositories.owner_open import open_day_mismatches
from otbill.storage.repositories.owner_summary import summary_mismatches
from otbill.storage.tables import PostingRow
from support.clinickit import Ids, another_clinic, insert_claim

ON = dt.date(2025, 3, 1)
_OP = st.tuples(
    st.sampled_from(["charge", "payment", "patient_payment", "adjustment", "transfer", "reverse"]),
    st.integers(min_value=0, max_value=3),  # which line (of two claims, two lines each)
    st.integers(min_value=1, max_value=20_000),  # cents
    st.integers(min_value=0, max_value=50),  # which earlier posting to reverse
)
_KINDS = {"patient_payment": "payment"}


def _lines(db: Database, ids: Ids) -> list[tuple[int, int]]:
    """(claim, line) of two claims of the patient on one day; each second line by the COTA."""
    out = []
    for n in (1, 2):
        claim, lines = insert_claim(db, ids, f"B-{n}")
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE claim_line SET rendering_provider_id = :p WHERE id = :i"),
                         {"p": ids.cota, "i": lines[1]})  # fmt: skip
        out += [(claim, line) for line in lines]
    return out


def _group(op: str, cents: int) -> str | None:
    """A transfer's PR; an adjustment's CO (contractual), or OA for odd cents (not counted)."""
    if op == "adjustment":
        return "OA" if cents % 2 else "CO"
    return "PR" if op == "transfer" else None


def _row(ids: Ids, key: str, op: str, where: tuple[int, int], cents: int) -> PostingRow:
    claim, line = where
    return PostingRow(
        clinic_id=ids.clinic, source_key=key, kind=_KINDS.get(op, op), amount_cents=cents,
        claim_id=claim, claim_line_id=line, patient_id=ids.patient, payer_id=ids.medicare,
        payer_side=op != "patient_payment", group_code=_group(op, cents), posted_on=ON,
        posted_at=utcnow(), posted_by=ids.biller,
    )  # fmt: skip


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batches=st.lists(st.lists(_OP, min_size=1, max_size=8), min_size=1, max_size=5))
def test_kept_tables_equal_their_sources_after_batches(db: Database, batches: list) -> None:  # type: ignore[type-arg]
    ids = another_clinic(db)
    lines = _lines(db, ids)
    charges = [("charge", i, 9000, 0) for i in range(4)]
    made: list[PostingRow] = []  # flushed, not yet reversed
    for b, batch in enumerate([charges, *batches]):
        with db.unit_of_work(ids.clinic, ids.biller) as uow:
            rows = []
            for n, (op, which, cents, pick) in enumerate(batch):
                key = f"B:{b}:{n}"
                if op != "reverse":
                    rows.append(_row(ids, key, op, lines[which], cents))
                elif made:
                    original = made.pop(pick % len(made))  # as the ledger's reverse makes one
                    where = (original.claim_id, original.claim_line_id)
                    reversal = _row(ids, key, "reversal", where, original.amount_cents)
                    reversal.reverses_id, reversal.payer_side = original.id, original.payer_side
                    rows.append(reversal)
            uow.session.add_all(rows)
            uow.flush()  # one flush: the listeners see the batch at once
            made += [r for r in rows if r.kind != "reversal"]
    with db.unit_of_work(ids.clinic) as uow:
        s = uow.session
        assert summary_mismatches(s, ids.clinic) == []
        assert open_day_mismatches(s, ids.clinic) == []
        assert collection_day_mismatches(s, ids.clinic) == []
        assert rollup_mismatches(s, ids.clinic) == []
