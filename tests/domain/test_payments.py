"""Patient payments in the domain: card numbers refused, allocation oldest first or by choice,
overpayment left as credit, write-off refusals, and the deposit's totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otbill.domain.payments import (
    DepositLine,
    Method,
    Owed,
    WriteOffKind,
    allocate,
    card_number_refusal,
    check_card_reference,
    deposit_of,
    luhn_ok,
    parse_amount,
    write_off_refusal,
)
from otbill.domain.record_errors import RecordError

D = Decimal


def _owed(key: str, on: dt.date, amount: str) -> Owed:
    target, number = key.split(":")
    return Owed(key, target, int(number), on, D(amount), key)


OWED = [
    _owed("line:5", dt.date(2025, 3, 10), "30.00"),
    _owed("entry:1", dt.date(2024, 12, 31), "45.00"),
    _owed("line:4", dt.date(2025, 2, 14), "12.50"),
]


def test_oldest_first_by_date_of_service() -> None:
    pieces, credit = allocate(D("60.00"), OWED)
    assert [(p.key, p.amount) for p in pieces] == [("entry:1", D("45.00")), ("line:4", D("12.50")),
                                                   ("line:5", D("2.50"))]  # fmt: skip
    assert credit == 0


def test_by_choice_pays_only_the_chosen_items_in_order() -> None:
    pieces, credit = allocate(D("40.00"), OWED, ["line:5", "line:4"])
    assert [(p.key, p.amount) for p in pieces] == [("line:5", D("30.00")), ("line:4", D("10.00"))]
    assert credit == 0
    with pytest.raises(RecordError, match="line:9 is not owed"):
        allocate(D("1.00"), OWED, ["line:9"])


def test_overpayment_is_left_as_credit() -> None:
    pieces, credit = allocate(D("100.00"), OWED)
    assert sum(p.amount for p in pieces) == D("87.50")
    assert credit == D("12.50")
    pieces, credit = allocate(D("20.00"), OWED, [])  # a copay before its visit is billed
    assert pieces == [] and credit == D("20.00")


@given(
    st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2),
    st.lists(st.decimals(min_value=D("0.01"), max_value=D("2000"), places=2), max_size=8),
    st.booleans(),
)
def test_allocations_never_exceed_what_is_owed_and_sum_to_the_payment(
    amount: Decimal, owed_amounts: list[Decimal], pick: bool
) -> None:
    owed = [Owed(f"line:{i}", "line", i, dt.date(2025, 1, 1 + i % 28), a, "x")
            for i, a in enumerate(owed_amounts)]  # fmt: skip
    chosen = [o.key for o in reversed(owed)][::2] if pick else None
    pieces, credit = allocate(amount, owed, chosen)
    by_key = {o.key: o.amount for o in owed}
    assert all(0 < p.amount <= by_key[p.key] for p in pieces)
    assert len({p.key for p in pieces}) == len(pieces)
    assert sum((p.amount for p in pieces), D(0)) + credit == amount
    assert credit >= 0
    if credit > 0:  # something left over only when every item that could be paid was paid
        paid = {p.key: p.amount for p in pieces}
        wanted = chosen if chosen is not None else list(by_key)
        assert all(paid.get(k) == by_key[k] for k in wanted)


def test_luhn() -> None:
    assert luhn_ok("4242424242424242") and luhn_ok("378282246310005")
    assert not luhn_ok("4242424242424241") and not luhn_ok("42x2")


@pytest.mark.parametrize(
    "text", ["4242424242424242", "4242 4242 4242 4242", "4242-4242-4242-4242",
             "ref 378282246310005 ok", "6011111111111117", "4242 4242 4242 4242 0000"],
)  # fmt: skip
def test_a_whole_card_number_is_refused_in_plain_words(text: str) -> None:
    refusal = card_number_refusal(text, "reference")
    assert refusal is not None
    assert "looks like a whole card number" in refusal and "last 4 digits" in refusal
    with pytest.raises(RecordError, match="otbill never keeps card numbers"):
        check_card_reference(Method.CARD, text, "4242")


def test_references_that_are_not_card_numbers_pass() -> None:
    assert card_number_refusal("A1B2C3", "reference") is None
    assert card_number_refusal("4242424242424241", "reference") is None  # fails Luhn
    assert card_number_refusal("123456789012", "reference") is None  # 12 digits
    assert check_card_reference(Method.CARD, " AUTH-99812 ", "4242") == ("AUTH-99812", "4242")
    assert check_card_reference(Method.CHECK, "1043", "") == ("1043", None)
    assert check_card_reference(Method.CASH, "", "") == (None, None)


def test_card_and_check_need_their_references() -> None:
    with pytest.raises(RecordError, match="last 4 digits: the card's last four"):
        check_card_reference(Method.CARD, "A1", "42")
    with pytest.raises(RecordError, match="authorization reference"):
        check_card_reference(Method.CARD, "", "4242")
    with pytest.raises(RecordError, match="check number"):
        check_card_reference(Method.CHECK, "", "")


@pytest.mark.parametrize(
    ("text", "message"),
    [("0", "more than \\$0"), ("-5", "more than \\$0"), ("1.234", "two decimals"),
     ("abc", "not an amount"), ("50000.01", "at most"), ("NaN", "two decimals")],
)  # fmt: skip
def test_amounts_are_bounded(text: str, message: str) -> None:
    with pytest.raises(RecordError, match=message):
        parse_amount(text)
    assert parse_amount("$1,234.5") == D("1234.50")


def test_write_off_refusals() -> None:
    small = WriteOffKind.SMALL_BALANCE
    assert write_off_refusal(small, D("4.00"), D("4.00"), "too small to bill") is None
    assert "reason" in (write_off_refusal(small, D("4.00"), D("4.00"), " ") or "")
    assert "not under the clinic's small-balance limit of $10.00" in (
        write_off_refusal(small, D("4.00"), D("40.00"), "x") or "")  # fmt: skip
    assert "more than the $4.00" in (write_off_refusal(small, D("5.00"), D("4.00"), "x") or "")
    assert write_off_refusal(WriteOffKind.HARDSHIP, D("400.00"), D("900.00"), "lost job") is None


def test_deposit_totals_and_its_balance_check() -> None:
    lines = [
        DepositLine(1, "payment", Method.CASH, D("20.00"), "Ann", "Fay", "cash"),
        DepositLine(2, "payment", Method.CHECK, D("45.00"), "Bo", "Fay", "check 1043"),
        DepositLine(3, "payment", Method.CARD, D("30.00"), "Cy", "Gus", "card ending 4242"),
        DepositLine(4, "refund", Method.CHECK, D("5.00"), "Bo", "Gus", "check 77"),
    ]
    deposit = deposit_of(dt.date(2025, 4, 1), lines)
    assert deposit.by_method == {"cash": D("20.00"), "check": D("45.00"), "card": D("30.00")}
    assert deposit.by_person == {"Fay": D("65.00"), "Gus": D("30.00")}
    assert deposit.bank_slip == D("65.00") and deposit.refunds_total == D("5.00")
    assert deposit.net == D("90.00")
    assert deposit.balance_problems(D("95.00"), D("5.00")) == []
    problems = deposit.balance_problems(D("90.00"), D("0.00"))
    assert len(problems) == 2 and "the ledger and account hold $90.00" in problems[0]
