"""Coordination of benefits, the pure facts: crossover words, places, the prior adjudication, and
the ledger handoff along a chain (property tests: the ledger's invariants hold and the patient
ends owing exactly what the last payer left)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count

from hypothesis import given, settings
from hypothesis import strategies as st

from otbill.domain.coordination import (
    AdjudicationFact,
    PriorAdjustment,
    crossover_reason,
    handoff,
    is_prior_payer_adjustment,
    next_sequence,
    prior_adjudication,
)
from otbill.domain.ledger import Kind, Posting, check_invariants, realize

ON = dt.date(2025, 3, 5)
PATIENT = 7


def test_forwarded_statuses_and_remarks_are_crossover_and_a_reversal_is_not() -> None:
    for status in ("19", "20", "21"):
        assert "forwarded" in (crossover_reason(status, ()) or "")
    assert crossover_reason("22", ()) is None  # a reversal of a payment
    assert crossover_reason("1", ()) is None
    assert "MA18" in (crossover_reason("1", ("N130", "MA18")) or "")
    assert "N89" in (crossover_reason("1", ("N89",)) or "")


def test_places_follow_in_order() -> None:
    assert (next_sequence("P"), next_sequence("S"), next_sequence("T")) == ("S", "T", None)


def test_only_a_later_payers_carc_23_is_the_prior_payers_part() -> None:
    assert is_prior_payer_adjustment("OA", "23") and is_prior_payer_adjustment("CO", "23")
    assert not is_prior_payer_adjustment("PR", "23")
    assert not is_prior_payer_adjustment("CO", "45")


def _fact(line: int, kind: Kind, amount: str, key: str, group=None, carc=None):  # type: ignore[no-untyped-def]
    return AdjudicationFact(line, kind, Decimal(amount), group, carc, key, ON)


def test_claim_level_cas_go_to_2320_and_line_cas_to_2430() -> None:
    facts = [
        _fact(1, Kind.PAYMENT, "56", "835:X:T:C1#1:L1pay"),
        _fact(1, Kind.ADJUSTMENT, "20", "835:X:T:C1#1:L1a1", "CO", "45"),
        _fact(1, Kind.TRANSFER, "14", "835:X:T:C1#1:L1a2", "PR", "2"),
        _fact(2, Kind.PAYMENT, "40", "835:X:T:C1#1:L2pay"),
        _fact(1, Kind.ADJUSTMENT, "6", "835:X:T:C1#1:ca1:1", "CO", "253"),
        _fact(2, Kind.ADJUSTMENT, "4", "835:X:T:C1#1:ca1:2", "CO", "253"),
    ]
    lines = [(1, "97530", ("GO",), 2), (2, "97110", ("GO",), 1)]
    decided = prior_adjudication(facts, lines)
    assert decided is not None
    assert (decided.paid, decided.patient_responsibility, decided.adjudicated_on) == (
        Decimal("96"),
        Decimal("14"),
        ON,
    )
    assert decided.adjustments == (PriorAdjustment(group="CO", reason="253", amount=Decimal("10")),)
    one, two = decided.lines
    assert (one.line, one.code, one.paid, one.units) == (1, "97530", Decimal("56"), 2)
    assert [(a.group, a.reason, a.amount) for a in one.adjustments] == [
        ("CO", "45", Decimal("20")),
        ("PR", "2", Decimal("14")),
    ]
    assert (two.paid, two.adjustments) == (Decimal("40"), ())
    assert prior_adjudication([], lines) is None


# --- the chain, in memory: what the services post, as postings --------------------------------

CENTS = st.integers(min_value=0, max_value=50_000)


class Book:
    def __init__(self) -> None:
        self.postings: list[Posting] = []
        self.ids = count(1)

    def add(self, kind: Kind, cents: int, claim: int, line: int, payer: int, **kw) -> Posting:  # type: ignore[no-untyped-def]
        p = Posting(next(self.ids), f"k{len(self.postings)}", kind, Decimal(cents) / 100, claim,
                    line, PATIENT, payer, **kw)  # fmt: skip
        self.postings.append(p)
        return p

    def reverse(self, posting_id: int) -> None:
        o = next(p for p in self.postings if p.id == posting_id)
        self.postings.append(Posting(next(self.ids), f"r{posting_id}", Kind.REVERSAL, o.amount,
                                     o.claim_id, o.line_id, PATIENT, o.payer_id,
                                     reverses=o.id))  # fmt: skip

    def adjudicate(self, claim: int, payer: int, line: int, basis: int, split: tuple[int, int]):  # type: ignore[no-untyped-def]
        """A payer's 835 on one line: pays, writes off (CO), leaves the patient the rest (PR)."""
        paid = min(split[0], basis)
        co = min(split[1], basis - paid)
        self.add(Kind.PAYMENT, paid, claim, line, payer)
        self.add(Kind.ADJUSTMENT, co, claim, line, payer, group_code="CO", carc="45")
        self.add(Kind.TRANSFER, basis - paid - co, claim, line, payer, group_code="PR", carc="2")
        return basis - paid - co

    def hand_off(self, prior: int, nxt: int, lines: list[int], payer: int) -> dict[int, int]:
        """As services.claims.handoff: reverse PR, OA 23 on the prior line, charge the next."""
        prior_lines = [(n, prior * 100 + n) for n in lines]
        next_lines = [(n, nxt * 100 + n) for n in lines]
        basis = {}
        for move in handoff([p for p in self.postings if p.claim_id == prior], prior_lines,
                            next_lines):  # fmt: skip
            prior_payer = next(p.payer_id for p in self.postings if p.claim_id == prior)
            for tid in move.transfer_ids:
                self.reverse(tid)
            cents = int(move.amount * 100)
            if cents:
                self.add(Kind.ADJUSTMENT, cents, prior, move.prior_line_id, prior_payer,
                         group_code="OA", carc="23")  # fmt: skip
            self.add(Kind.CHARGE, cents, nxt, move.next_line_id, payer)
            basis[move.position] = cents
        return basis


SPLIT = st.tuples(CENTS, CENTS)


@settings(max_examples=200, deadline=None)
@given(
    charges=st.lists(st.integers(min_value=1, max_value=50_000), min_size=1, max_size=4),
    data=st.data(),
    tertiary=st.booleans(),
)
def test_the_chain_keeps_the_ledger_whole_and_the_patient_owes_what_the_last_payer_left(
    charges: list[int], data: st.DataObject, tertiary: bool
) -> None:
    book = Book()
    lines = list(range(1, len(charges) + 1))
    primary, secondary, third = 1, 2, 3
    for n, cents in zip(lines, charges, strict=True):
        book.add(Kind.CHARGE, cents, primary, primary * 100 + n, 10)
        book.adjudicate(primary, 10, primary * 100 + n, cents, data.draw(SPLIT))
    left = {}
    basis = book.hand_off(primary, secondary, lines, 20)
    for n in lines:
        left[n] = book.adjudicate(secondary, 20, secondary * 100 + n, basis[n], data.draw(SPLIT))
    last = secondary
    if tertiary:
        basis = book.hand_off(secondary, third, lines, 30)
        for n in lines:
            left[n] = book.adjudicate(third, 30, third * 100 + n, basis[n], data.draw(SPLIT))
        last = third
    balances = realize(book.postings)
    check_invariants(balances)
    owed = Decimal(sum(left.values())) / 100
    patient = balances.by_patient[PATIENT]
    assert patient.balance == owed and patient.patient_balance == owed
    assert patient.charges == Decimal(sum(charges)) / 100 + sum(
        (b.charges for c, b in balances.by_claim.items() if c != primary), Decimal(0)
    )
    for claim, b in balances.by_claim.items():
        assert b.payer_balance == 0  # every payer has decided its part
        assert b.balance == (owed if claim == last else 0)  # only the last claim is still open
