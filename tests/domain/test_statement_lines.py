"""Patient statements (pure): lines, aging, cycles, due date; the amounts add up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from otbill.domain.ledger import Kind, Posting
from otbill.domain.patient_account import PatientEntry
from otbill.domain.statements import (
    Aging,
    Cycle,
    Guarantee,
    LineActivity,
    SentBefore,
    StatementTerms,
    aging_buckets,
    build_statement,
    next_cycle,
    patient_reason,
)

D = Decimal
ON = dt.date(2025, 6, 30)
WHO = Guarantee(
    "patient:1", "Ana Ruiz", "1 Main St", "Austin", "TX", "78701", "A-1", ((1, "Ana Ruiz"),)
)


def _p(pid: int, kind: Kind, amount: str, line: int = 10, **kw: object) -> Posting:
    return Posting(pid, f"k{pid}", kind, D(amount), 100, line, 1, 5, **kw)  # type: ignore[arg-type]


def _a(posting: Posting, on: dt.date, code: str = "97110") -> LineActivity:
    return LineActivity(posting, on, dt.date(2025, 3, 1), code)


def test_a_line_with_deductible_and_copay_in_words() -> None:
    day = dt.date(2025, 4, 1)
    activity = [
        _a(_p(1, Kind.CHARGE, "150.00"), dt.date(2025, 3, 2)),
        _a(_p(2, Kind.PAYMENT, "60.00"), day),
        _a(_p(3, Kind.ADJUSTMENT, "40.00", group_code="CO", carc="45"), day),
        _a(_p(4, Kind.TRANSFER, "30.00", group_code="PR", carc="1"), day),
        _a(_p(5, Kind.TRANSFER, "20.00", group_code="PR", carc="3"), day),
        _a(_p(6, Kind.PAYMENT, "20.00", payer_side=False), dt.date(2025, 4, 10)),
    ]
    s = build_statement(WHO, activity, [], on=ON, terms=StatementTerms(), last=None)
    (line,) = s.lines
    assert (line.charge, line.insurance_paid, line.insurance_adjusted) == (
        D("150"),
        D("60"),
        D("40"),
    )
    assert (line.your_share, line.you_paid, line.left) == (D("50"), D("20"), D("30"))
    assert dict(line.reasons) == {"Applied to your deductible": D("30"), "Your copay": D("20")}
    assert s.amount_due == D("30.00")
    assert s.aging == Aging(days_61_90=D("30.00"))  # arose 2025-04-01, 90 days before
    assert s.cycle is Cycle.FIRST and s.due_on == dt.date(2025, 7, 21)
    assert s.oldest_open == day


def test_a_reversed_transfer_leaves_nothing_due() -> None:
    day = dt.date(2025, 6, 1)
    activity = [
        _a(_p(1, Kind.CHARGE, "100.00"), day),
        _a(_p(2, Kind.TRANSFER, "25.00", group_code="PR", carc="2"), day),
        _a(Posting(3, "k3", Kind.REVERSAL, D("25.00"), 100, 10, 1, 5, reverses=2), day),
    ]
    s = build_statement(WHO, activity, [], on=ON, terms=StatementTerms(), last=None)
    assert s.amount_due == 0 and s.lines == () and s.cycle is None


def test_account_entries_and_minimum() -> None:
    opening = PatientEntry(1, 1, "opening-balance", D("4.00"), dt.date(2025, 1, 1), "old system")
    s = build_statement(WHO, [], [opening], on=ON, terms=StatementTerms(), last=None)
    assert s.amount_due == D("4.00") and s.cycle is None  # at or below the $5.00 minimum
    assert s.aging == Aging(over_90=D("4.00"))
    assert s.entries[0].description.startswith("Balance brought forward")
    s = build_statement(WHO, [], [opening], on=ON, terms=StatementTerms(minimum=D("0")), last=None)
    assert s.cycle is Cycle.FIRST


def test_cycles_thirty_days_apart_then_collections() -> None:
    old = dt.date(2025, 1, 1)
    assert next_cycle(None, ON, old) is Cycle.FIRST
    assert next_cycle(SentBefore(Cycle.FIRST, ON - dt.timedelta(days=29)), ON, old) is None
    assert next_cycle(SentBefore(Cycle.FIRST, ON - dt.timedelta(days=30)), ON, old) is Cycle.SECOND
    assert next_cycle(SentBefore(Cycle.SECOND, ON - dt.timedelta(days=30)), ON, old) is Cycle.FINAL
    assert (
        next_cycle(SentBefore(Cycle.FINAL, ON - dt.timedelta(days=31)), ON, old)
        is Cycle.COLLECTIONS
    )
    assert (
        next_cycle(SentBefore(Cycle.COLLECTIONS, ON - dt.timedelta(days=1)), ON, old)
        is Cycle.COLLECTIONS
    )
    # everything on the last statement paid, a new share since: a new first statement
    assert (
        next_cycle(SentBefore(Cycle.FINAL, dt.date(2025, 6, 1)), ON, dt.date(2025, 6, 20))
        is Cycle.FIRST
    )


def test_reason_words() -> None:
    assert patient_reason("2").startswith("Your coinsurance")
    assert "reason code 45" in patient_reason("45")


_amounts = st.decimals(min_value=D("0.01"), max_value=D("900"), places=2)
_days = st.integers(min_value=0, max_value=400)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(_days, _amounts), max_size=12),
    st.lists(_amounts, max_size=6),
)
def test_buckets_add_up_to_debits_less_credits(
    debits: list[tuple[int, Decimal]], credits: list[Decimal]
) -> None:
    dated = [(ON - dt.timedelta(days=d), a) for d, a in debits]
    aging = aging_buckets(dated, credits, ON)
    assert aging.total == max(D("0"), sum((a for _, a in dated), D("0")) - sum(credits, D("0")))
    assert min(aging.current, aging.days_31_60, aging.days_61_90, aging.over_90) >= 0


_posting = st.tuples(
    st.sampled_from(["pay", "adj", "pr1", "pr2", "pr3", "pr96", "you"]),
    _amounts,
    st.integers(min_value=1, max_value=3),  # line
    _days,
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_posting, max_size=15),
    st.lists(
        st.tuples(st.decimals(min_value=D("-300"), max_value=D("300"), places=2), _days), max_size=4
    ),
    st.booleans(),
)
def test_statement_amounts_add_up(
    postings: list[tuple[str, Decimal, int, int]], entries: list[tuple[Decimal, int]], reverse: bool
) -> None:
    activity = [
        _a(_p(100 + line, Kind.CHARGE, "500.00", line), ON - dt.timedelta(days=400))
        for line in (1, 2, 3)
    ]
    for i, (what, amount, line, days) in enumerate(postings):
        on = ON - dt.timedelta(days=days)
        if what == "pay":
            p = _p(i + 1, Kind.PAYMENT, str(amount), line)
        elif what == "adj":
            p = _p(i + 1, Kind.ADJUSTMENT, str(amount), line, group_code="CO", carc="45")
        elif what == "you":
            p = _p(i + 1, Kind.PAYMENT, str(amount), line, payer_side=False)
        else:
            p = _p(i + 1, Kind.TRANSFER, str(amount), line, group_code="PR", carc=what[2:])
        activity.append(_a(p, on))
    if reverse and postings:
        first = activity[3].posting
        activity.append(
            _a(
                Posting(
                    999,
                    "r",
                    Kind.REVERSAL,
                    first.amount,
                    100,
                    first.line_id,
                    1,
                    5,
                    reverses=first.id,
                ),
                ON,
            )
        )
    account = [
        PatientEntry(i, 1, "opening-balance", a, ON - dt.timedelta(days=d), "x")
        for i, (a, d) in enumerate(entries)
        if a
    ]
    s = build_statement(
        WHO, activity, account, on=ON, terms=StatementTerms(minimum=D("0")), last=None
    )
    owed = sum((li.your_share - li.you_paid for li in s.lines), D("0")) + sum(
        (e.amount for e in s.entries), D("0")
    )
    assert s.amount_due == owed
    for li in s.lines:
        assert sum((a for _, a in li.reasons), D("0")) == li.your_share
    if s.amount_due > 0:
        assert s.aging.total == s.amount_due
        assert s.cycle is Cycle.FIRST
    else:
        assert s.aging.total == 0 and s.cycle is None


def test_siblings_with_the_same_parent_get_one_statement() -> None:
    from otbill.domain.registration import Guarantor
    from otbill.domain.statements import Addressee, group_by_guarantor

    mom = Guarantor("Maria", "Diaz", "parent", "5 Elm St", "Austin", "TX", "78701")
    same = Guarantor("MARIA", " Diaz ", "parent", "5 Elm  St", "Austin", "TX", "78701")
    kids = [
        Addressee(2, "Mia Diaz", "5 Elm St", "Austin", "TX", "78701", "A-2", same),
        Addressee(1, "Leo Diaz", "5 Elm St", "Austin", "TX", "78701", "A-1", mom),
        Addressee(3, "Ann Lee", "1 Main St", "Austin", "TX", "78702", "A-3", None),
    ]
    family, alone = group_by_guarantor(kids)
    assert (family.name, family.patients) == ("Maria Diaz", ((1, "Leo Diaz"), (2, "Mia Diaz")))
    assert family.key.startswith("guarantor:") and family.account_number == "A-1"
    assert (alone.key, alone.name, alone.zip) == ("patient:3", "Ann Lee", "78702")
