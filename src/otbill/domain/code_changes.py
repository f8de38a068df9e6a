"""What changed between two code-set and fee-schedule years (pure: the tables are handed in).

Year N's tables are those in force on 31 December of N (what last year's visits were billed
under), year N+1's those in force on 1 January of N+1. Compared:

- **Codes** added or deleted in otbill's therapy catalog (``codes/data/cpt_catalog.csv``).
- **Revalued codes**: the Medicare national non-facility amount, (work + practice expense +
  malpractice RVU) × conversion factor (Medicare Physician Fee Schedule, 42 CFR 414.20), and the
  RVU total; a code whose amount or RVUs moved is listed with both values.
- **MUE**: a code's medically unlikely edit (most units a day) added, removed or changed.
- **NCCI PTP**: procedure-to-procedure pairs active on one date and not the other.
- **KX threshold**: the per-beneficiary OT amount above which KX is required (Pub 100-04 ch. 5
  §10.3; the payer profile's ``kx_thresholds``).
- **Telehealth**: codes that joined or left the Medicare telehealth list for therapists.

Each change names the codes it concerns; :func:`touching` finds the visits it touches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "KINDS",
    "Change",
    "PairKey",
    "Price",
    "compare_codes",
    "compare_kx",
    "compare_mue",
    "compare_pairs",
    "compare_prices",
    "compare_telehealth",
    "over_limit",
    "touching",
]

KINDS = {
    "code-added": "Code added",
    "code-deleted": "Code deleted",
    "revalued": "Revalued (RVUs or price)",
    "mue": "MUE changed",
    "ncci-added": "NCCI pair added",
    "ncci-deleted": "NCCI pair deleted",
    "kx": "KX threshold",
    "telehealth-added": "Added to the telehealth list",
    "telehealth-removed": "Removed from the telehealth list",
}

PairKey = tuple[str, str]  # (column 1, column 2)
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Price:
    """A code's RVU total and its national non-facility amount in one year."""

    rvu_total: Decimal
    amount: Decimal | None  # None: no conversion factor that year


@dataclass(frozen=True, slots=True)
class Change:
    """One change between the years. ``codes``: the codes a visit must bill to be touched (all
    of them on the same visit for a pair); empty for a change that touches by modifier (KX)."""

    kind: str
    codes: tuple[str, ...]
    before: str
    after: str
    detail: str
    modifier: str = ""  # KX: the visits billed with this modifier

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def compare_codes(before: set[str], after: set[str], describe: Mapping[str, str]) -> list[Change]:
    out = [
        Change("code-added", (c,), "not in force", "in force", describe.get(c, ""))
        for c in sorted(after - before)
    ]
    out += [
        Change("code-deleted", (c,), "in force", "deleted", describe.get(c, ""))
        for c in sorted(before - after)
    ]
    return out


def price(rvu_total: Decimal, cf: Decimal | None) -> Price:
    amount = None if cf is None else (rvu_total * cf).quantize(_CENT, ROUND_HALF_UP)
    return Price(rvu_total, amount)


def _money(value: Decimal | None) -> str:
    return "-" if value is None else f"${value:,.2f}"


def compare_prices(before: Mapping[str, Price], after: Mapping[str, Price]) -> list[Change]:
    """Codes priced in both years whose RVU total or amount moved (added/deleted ones are
    reported by :func:`compare_codes`)."""
    out = []
    for code in sorted(set(before) & set(after)):
        b, a = before[code], after[code]
        if b == a:
            continue
        detail = f"RVUs {b.rvu_total} -> {a.rvu_total}"
        if b.amount is not None and a.amount is not None and b.amount:
            pct = (a.amount - b.amount) / b.amount * 100
            detail += f"; amount {pct:+.2f}%"
        out.append(Change("revalued", (code,), _money(b.amount), _money(a.amount), detail))
    return out


def compare_mue(before: Mapping[str, int], after: Mapping[str, int]) -> list[Change]:
    out = []
    for code in sorted(set(before) | set(after)):
        b, a = before.get(code), after.get(code)
        if b == a:
            continue
        out.append(
            Change(
                "mue",
                (code,),
                "none" if b is None else f"{b} a day",
                "none" if a is None else f"{a} a day",
                "most units of the code on one day of service",
            )
        )
    return out


def compare_pairs(before: Mapping[PairKey, int], after: Mapping[PairKey, int]) -> list[Change]:
    """Pairs with their modifier indicator (0: never together, 1: a modifier may bypass)."""
    out = []
    for pair in sorted(set(after) - set(before)):
        out.append(
            Change(
                "ncci-added",
                pair,
                "no edit",
                f"{pair[1]} denied with {pair[0]}",
                _indicator(after[pair]),
            )
        )
    for pair in sorted(set(before) - set(after)):
        out.append(
            Change(
                "ncci-deleted",
                pair,
                f"{pair[1]} denied with {pair[0]}",
                "no edit",
                _indicator(before[pair]),
            )
        )
    for pair in sorted(set(before) & set(after)):
        if before[pair] != after[pair]:
            out.append(
                Change(
                    "ncci-added",
                    pair,
                    _indicator(before[pair]),
                    _indicator(after[pair]),
                    "modifier indicator changed",
                )
            )
    return out


def _indicator(value: int) -> str:
    return {0: "never billed together", 1: "a modifier such as 59 or XU may bypass"}.get(
        value, f"modifier indicator {value}"
    )


def compare_kx(before: Decimal | None, after: Decimal | None, year: int) -> list[Change]:
    if before == after:
        return []
    return [
        Change(
            "kx",
            (),
            _money(before),
            _money(after),
            f"OT therapy amount per patient for {year - 1} -> {year}; visits billed with KX "
            f"last year are those near the line",
            modifier="KX",
        )
    ]


def compare_telehealth(before: set[str], after: set[str]) -> list[Change]:
    out = [
        Change("telehealth-added", (c,), "not on the list", "on the list", "")
        for c in sorted(after - before)
    ]
    out += [
        Change("telehealth-removed", (c,), "on the list", "not on the list", "")
        for c in sorted(before - after)
    ]
    return out


def touching(
    change: Change, visits: Iterable[tuple[int, frozenset[str], frozenset[str], bool]]
) -> tuple[int, ...]:
    """The visits a change touches, from (visit, codes billed, modifiers, telehealth).

    A code change touches the visits that billed the code; a pair, the visits that billed both
    codes; KX, the visits billed with KX; a telehealth-list change, the telehealth visits that
    billed the code.
    """
    hits = []
    for visit_id, codes, modifiers, telehealth in visits:
        if change.modifier:
            hit = change.modifier in modifiers
        else:
            hit = bool(change.codes) and set(change.codes) <= codes
            if change.kind.startswith("telehealth"):
                hit = hit and telehealth
        if hit:
            hits.append(visit_id)
    return tuple(sorted(hits))


def over_limit(
    code: str, limit: int | None, units: Iterable[tuple[int, Mapping[str, int]]]
) -> tuple[int, ...]:
    """The visits that billed more units of ``code`` on the day than the new MUE ``limit``,
    from (visit, units by code); none when the code has no limit.

    >>> over_limit("97530", 4, [(1, {"97530": 4}), (2, {"97530": 5}), (3, {})])
    (2,)
    """
    if limit is None:
        return ()
    return tuple(sorted(v for v, by_code in units if by_code.get(code, 0) > limit))
