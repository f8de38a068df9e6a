"""The ledger: reposting is a no-op, and the balance invariant holds after every operation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otbill.domain.ledger import Kind
from otbill.domain.record_errors import RecordError
from otbill.services.ledger import LedgerEntry, balances, post, reverse
from otbill.storage import Database
from support.clinickit import Ids, insert_claim, seed_clinic

ON = dt.date(2025, 3, 1)


def test_reposting_the_same_source_key_changes_nothing(db: Database) -> None:
    ids = seed_clinic(db)
    claim, (line, _) = insert_claim(db, ids, "C1")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        post(uow, LedgerEntry(f"charge:{line}", Kind.CHARGE, line, Decimal("90.00")), ON)
        pay = LedgerEntry("835:T1:C1:1:pay", Kind.PAYMENT, line, Decimal("40.00"))
        first = post(uow, pay, ON)
        again = post(uow, pay, ON)
        assert first[1] and not again[1] and first[0] == again[0]
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert post(uow, pay, ON)[1] is False
        b = balances(uow, claim_id=claim).by_claim[claim]
        assert (b.charges, b.payments, b.balance) == (
            Decimal("90.00"),
            Decimal("40.00"),
            Decimal("50.00"),
        )


def test_pr_is_a_transfer_and_adjustments_need_group_and_carc(db: Database) -> None:
    ids = seed_clinic(db)
    claim, (line, _) = insert_claim(db, ids, "C1")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        post(uow, LedgerEntry("c", Kind.CHARGE, line, Decimal("90.00")), ON)
        post(
            uow,
            LedgerEntry("a", Kind.ADJUSTMENT, line, Decimal("30.00"), group_code="CO", carc="45"),
            ON,
        )
        post(
            uow,
            LedgerEntry("t", Kind.TRANSFER, line, Decimal("12.00"), group_code="PR", carc="2"),
            ON,
        )
        post(uow, LedgerEntry("p", Kind.PAYMENT, line, Decimal("48.00")), ON)
        b = balances(uow, claim_id=claim)
        assert b.by_claim[claim].payer_balance == 0
        assert b.by_patient[ids.patient].patient_balance == Decimal("12.00")
        with pytest.raises(RecordError, match="group CO, OA or PI"):
            post(
                uow,
                LedgerEntry("x", Kind.ADJUSTMENT, line, Decimal("1"), group_code="PR", carc="1"),
                ON,
            )
        with pytest.raises(RecordError, match="negative"):
            post(uow, LedgerEntry("y", Kind.PAYMENT, line, Decimal("-1")), ON)


def test_reversal_undoes_once(db: Database) -> None:
    ids = seed_clinic(db)
    claim, (line, _) = insert_claim(db, ids, "C1")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        post(uow, LedgerEntry("c", Kind.CHARGE, line, Decimal("90.00")), ON)
        paid, _ = post(uow, LedgerEntry("p", Kind.PAYMENT, line, Decimal("90.00")), ON)
        reverse(uow, paid, "rev-p", ON)
        assert balances(uow, claim_id=claim).by_claim[claim].balance == Decimal("90.00")
        with pytest.raises(RecordError, match="already reversed"):
            reverse(uow, paid, "rev-p2", ON)


_AMOUNT = st.integers(min_value=0, max_value=20_000).map(lambda c: Decimal(c) / 100)
_OP = st.tuples(
    st.sampled_from(["payment", "patient_payment", "adjustment", "transfer", "reverse", "repost"]),
    st.integers(min_value=0, max_value=1),
    _AMOUNT,
    st.integers(min_value=0, max_value=50),
)


def _model_after(model: dict[str, Decimal], kind: str, amount: Decimal, sign: int) -> None:
    field = {
        "payment": "payments",
        "patient_payment": "payments",
        "adjustment": "adjustments",
        "transfer": "transferred",
        "charge": "charges",
    }[kind]
    model[field] += amount * sign


def _apply(
    db: Database, ids: Ids, lines: list[int], ops: list[tuple[str, int, Decimal, int]], tag: str
) -> None:
    model = {
        "charges": Decimal(0),
        "payments": Decimal(0),
        "adjustments": Decimal(0),
        "transferred": Decimal(0),
    }
    done: list[tuple[int, str, Decimal, LedgerEntry]] = []
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        for line in lines:
            post(uow, LedgerEntry(f"{tag}:charge:{line}", Kind.CHARGE, line, Decimal("150")), ON)
            _model_after(model, "charge", Decimal("150"), 1)
    for n, (op, which, amount, pick) in enumerate(ops):
        with db.unit_of_work(ids.clinic, ids.biller) as uow:
            if op == "reverse" and done:
                pid, kind, amt, _ = done.pop(pick % len(done))
                reverse(uow, pid, f"{tag}:rev:{pid}", ON)
                _model_after(model, kind, amt, -1)
            elif op == "repost" and done:
                post(uow, done[pick % len(done)][3], ON)  # no change
            elif op not in ("reverse", "repost"):
                entry = LedgerEntry(
                    f"{tag}:{n}",
                    Kind.PAYMENT if "payment" in op else Kind(op),
                    lines[which],
                    amount,
                    payer_side=op != "patient_payment",
                    group_code={"adjustment": "CO", "transfer": "PR"}.get(op),
                    carc="45" if op in ("adjustment", "transfer") else None,
                )
                pid, _ = post(uow, entry, ON)
                done.append((pid, op, amount, entry))
                _model_after(model, op, amount, 1)
            b = balances(uow, claim_id=_claim_of(uow, lines[0]))
            total = next(iter(b.by_claim.values()))
            assert total.charges == model["charges"]
            assert total.payments == model["payments"]
            assert total.adjustments == model["adjustments"]
            assert total.transferred == model["transferred"]
            assert total.balance == model["charges"] - model["payments"] - model["adjustments"]
            assert total.payer_balance + total.patient_balance == total.balance


def _claim_of(uow: object, line: int) -> int:
    from otbill.storage.tables import ClaimLineRow

    return uow.records.get(ClaimLineRow, line).claim_id  # type: ignore[attr-defined]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(_OP, min_size=1, max_size=12))
def test_invariant_over_random_operation_sequences(db: Database, ops: list) -> None:  # type: ignore[type-arg]
    if not hasattr(db, "_ids"):
        db._ids = seed_clinic(db)  # type: ignore[attr-defined]
        db._n = 0  # type: ignore[attr-defined]
    ids = db._ids  # type: ignore[attr-defined]
    db._n += 1  # type: ignore[attr-defined]
    _, lines = insert_claim(db, ids, f"H{db._n}")  # type: ignore[attr-defined]
    _apply(db, ids, lines, ops, f"h{db._n}")  # type: ignore[attr-defined]
