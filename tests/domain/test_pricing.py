"""domain.pricing: PFS amounts, MPPR, CQ/CO and sequestration; Hypothesis on the MPPR rules."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from otbill.domain.pricing import (
    DayLine,
    Gpcis,
    Rvus,
    price_day,
    sequestered,
    total,
    unit_amount,
)

CF_2025 = Decimal("32.3465")
RATES = {  # CY2025 PPRRVU RVU25D, national, non-facility
    "97530": Rvus(Decimal("0.44"), Decimal("0.62"), Decimal("0.01")),
    "97110": Rvus(Decimal("0.45"), Decimal("0.43"), Decimal("0.01")),
    "97140": Rvus(Decimal("0.43"), Decimal("0.40"), Decimal("0.01")),
    "97535": Rvus(Decimal("0.45"), Decimal("0.53"), Decimal("0.01")),
    "97165": Rvus(Decimal("1.54"), Decimal("1.53"), Decimal("0.04")),
    "97129": Rvus(Decimal("0.50"), Decimal("0.16"), Decimal("0.01"), therapy_mppr=False),
}


def test_cms_published_national_amounts() -> None:
    assert unit_amount(RATES["97530"], CF_2025) == Decimal("34.61")
    assert unit_amount(RATES["97110"], CF_2025) == Decimal("28.79")
    assert unit_amount(RATES["97165"], CF_2025) == Decimal("100.60")


def test_gpci_weights_each_component() -> None:
    gpci = Gpcis(Decimal("1.0"), Decimal("1.1"), Decimal("0.5"))
    # (0.44 + 0.62 x 1.1 + 0.01 x 0.5) x 32.3465 = 1.127 x 32.3465 = 36.4545...
    assert unit_amount(RATES["97530"], CF_2025, gpci) == Decimal("36.45")


def test_evaluation_with_treatment_the_evaluation_is_paid_in_full() -> None:
    ev, ex = price_day([DayLine("97110", 2), DayLine("97165", 1)], RATES, CF_2025)
    assert ev is not None and ex is not None
    assert (ex.full_units, ex.reduced_units) == (1, 0)
    assert ex.allowed == Decimal("100.60")
    assert (ev.full_units, ev.reduced_units) == (0, 2)
    assert ev.allowed == Decimal("43.66")  # 2 x 21.83


def test_code_without_indicator_5_is_not_reduced_nor_first() -> None:
    cog, ex = price_day([DayLine("97129", 1), DayLine("97110", 1)], RATES, CF_2025)
    assert cog is not None and ex is not None
    assert cog.reduced_units == 0 and ex.full_units == 1


def test_unknown_code_is_unpriced() -> None:
    assert price_day([DayLine("99999", 1)], RATES, CF_2025) == (None,)


def test_sequestration_is_two_percent_of_the_payment() -> None:
    assert sequestered(Decimal("100.00")) == Decimal("98.00")
    assert sequestered(Decimal("0.00")) == Decimal("0.00")


codes = st.sampled_from(sorted(RATES))
day = st.lists(
    st.builds(DayLine, codes, st.integers(min_value=0, max_value=6), st.booleans()),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(day)
def test_mppr_never_raises_a_price(lines: list[DayLine]) -> None:
    reduced = price_day(lines, RATES, CF_2025)
    full = price_day(lines, RATES, CF_2025, mppr=False)
    for a, b in zip(reduced, full, strict=True):
        assert a is not None and b is not None
        assert a.allowed <= b.allowed
    assert total(reduced) <= total(full)


@settings(max_examples=300, deadline=None)
@given(day, st.randoms(use_true_random=False))
def test_order_of_lines_does_not_change_the_day(lines: list[DayLine], rnd) -> None:
    shuffled = list(lines)
    rnd.shuffle(shuffled)
    assert total(price_day(lines, RATES, CF_2025)) == total(price_day(shuffled, RATES, CF_2025))


@settings(max_examples=300, deadline=None)
@given(day)
def test_exactly_one_full_unit_goes_to_the_highest_pe(lines: list[DayLine]) -> None:
    priced = [p for p in price_day(lines, RATES, CF_2025) if p is not None]
    reducible = [p for p in priced if RATES[p.code].therapy_mppr and p.units > 0]
    full = [p for p in reducible if p.full_units]
    if not reducible:
        assert not full
        return
    assert len(full) == 1 and full[0].full_units == 1
    top = max(RATES[p.code].pe for p in reducible)
    assert RATES[full[0].code].pe == top
    assert sum(p.full_units + p.reduced_units for p in priced) == sum(p.units for p in priced)
