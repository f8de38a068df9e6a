"""Year-to-year code changes: codes, prices, MUE, NCCI pairs, KX, telehealth, and which visits
each touches."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from otbill.domain.code_changes import (
    compare_codes,
    compare_kx,
    compare_mue,
    compare_pairs,
    compare_prices,
    compare_telehealth,
    price,
    touching,
)

VISITS = [  # visit, codes, modifiers, telehealth
    (1, frozenset({"97530", "97110"}), frozenset({"GO"}), False),
    (2, frozenset({"97530"}), frozenset({"GO", "KX"}), True),
    (3, frozenset({"97110", "97140"}), frozenset({"GO", "59"}), True),
]


def test_codes_added_and_deleted() -> None:
    changes = compare_codes({"97110", "97750"}, {"97110", "98979"}, {"98979": "monitoring"})
    assert [(c.kind, c.codes) for c in changes] == [
        ("code-added", ("98979",)),
        ("code-deleted", ("97750",)),
    ]


def test_revalued_code_touches_the_visits_that_billed_it() -> None:
    cf25, cf26 = Decimal("32.3465"), Decimal("33.4009")
    before = {"97530": price(Decimal("1.07"), cf25), "97110": price(Decimal("0.89"), cf25)}
    after = {"97530": price(Decimal("1.05"), cf26), "97110": price(Decimal("0.89"), cf25)}
    [change] = compare_prices(before, after)
    assert (change.codes, change.before, change.after) == (("97530",), "$34.61", "$35.07")
    assert "+1.33%" in change.detail
    assert touching(change, VISITS) == (1, 2)


def test_mue_and_pairs() -> None:
    [mue] = compare_mue({"97530": 8}, {"97530": 6})
    assert (mue.before, mue.after) == ("8 a day", "6 a day")
    pairs = compare_pairs({("97140", "97530"): 1}, {("97140", "97110"): 1, ("97140", "97530"): 0})
    kinds = [(c.kind, c.codes) for c in pairs]
    assert ("ncci-added", ("97140", "97110")) in kinds
    assert ("ncci-added", ("97140", "97530")) in kinds  # the indicator changed
    added = next(c for c in pairs if c.codes == ("97140", "97110"))
    assert touching(added, VISITS) == (3,)  # both codes on the same visit


def test_kx_touches_visits_billed_with_kx_and_telehealth_only_telehealth_visits() -> None:
    [kx] = compare_kx(Decimal("2410"), Decimal("2480"), 2026)
    assert (kx.before, kx.after) == ("$2,410.00", "$2,480.00")
    assert touching(kx, VISITS) == (2,)
    assert compare_kx(Decimal("2480"), Decimal("2480"), 2027) == []
    [gone] = compare_telehealth({"97530", "97110"}, {"97110"})
    assert gone.kind == "telehealth-removed" and touching(gone, VISITS) == (2,)


@given(
    st.dictionaries(st.sampled_from(["97110", "97530", "97140", "97535"]), st.integers(1, 9)),
    st.dictionaries(st.sampled_from(["97110", "97530", "97140", "97535"]), st.integers(1, 9)),
)
def test_mue_changes_are_exactly_the_codes_that_differ(
    before: dict[str, int], after: dict[str, int]
) -> None:
    changed = {c.codes[0] for c in compare_mue(before, after)}
    assert changed == {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
