"""Year-to-date allowed amounts line by line, shared by the threshold rules (no rules here).

The allowed amount of a line is the fee schedule's allowed amount per unit × units (national,
non-facility; a line furnished in part by an assistant at the profile's assistant payment
percent, from 2022-01-01), else — no fee schedule, or the code not in it — the line's charge,
which usually overstates what the payer allows. The multiple-procedure payment reduction is
ignored, so the estimate errs toward a higher total.

Only lines of therapy in the claim's discipline count (the OT threshold is separate from the
PT+SLP one; E/M codes count toward neither), and only lines in the calendar year of the claim's
first date of service: ``ytd_therapy_allowed`` is that year's amount.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext
from otbill.rules.modifier._lines import modifiers_of

__all__ = ["Running", "Step", "money", "running"]

_ASSISTANT = frozenset({"CO", "CQ"})
_REDUCED_FROM = dt.date(2022, 1, 1)  # CMS: CQ/CO lines paid at 85% from 2022-01-01
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)


class Step(NamedTuple):
    at: int  # 0-based line index
    amount: Decimal  # this line's estimated allowed amount
    before: Decimal  # ytd + earlier lines of the claim (date order)
    after: Decimal  # before + amount
    day_end: Decimal  # ytd + every counted line up to the end of this line's date


class Running(NamedTuple):
    year: int
    ytd: Decimal
    steps: tuple[Step, ...]
    from_charges: bool  # some amount was estimated from the line charge

    @property
    def total(self) -> Decimal:
        return self.steps[-1].after if self.steps else self.ytd


def money(value: Decimal) -> str:
    return f"${value:,.2f}"


def running(claim: Claim, ctx: ClaimContext) -> Running:
    """The claim's lines in date order with year-to-date allowed amounts (computed once per claim)."""
    return ctx.memo("threshold.running", lambda: _compute(claim, ctx))


def _compute(claim: Claim, ctx: ClaimContext) -> Running:
    lines = claim.lines
    year = ctx.first_date.year
    discipline = claim.discipline
    fees = ctx.run.fee_schedule
    percent = ctx.profile.assistant_payment_percent
    order: Iterable[int] = range(len(lines))
    if any(lines[i].date > lines[i + 1].date for i in range(len(lines) - 1)):
        order = sorted(order, key=lambda i: (lines[i].date, i))
    total = ytd = claim.ytd_therapy_allowed
    from_charges = False
    counted: list[tuple[int, Decimal, Decimal]] = []
    for i in order:
        line = lines[i]
        info = ctx.infos[i]
        if info is None or line.date.year != year or discipline not in info.disciplines:
            continue
        if "EM" in info.disciplines:
            continue
        per_unit = None if fees is None else fees.allowed(info.code, on=line.date)
        if per_unit is None:
            amount = line.charge
            from_charges = True
        else:
            amount = per_unit * line.units
            if (
                percent
                and line.modifiers
                and line.date >= _REDUCED_FROM
                and not _ASSISTANT.isdisjoint(modifiers_of(line))
            ):
                amount = amount * percent / _HUNDRED
        counted.append((i, amount, total))
        total += amount
    steps: list[Step] = [Step(0, _ZERO, _ZERO, _ZERO, _ZERO)] * len(counted)
    day_end = total
    for n in range(len(counted) - 1, -1, -1):
        i, amount, before = counted[n]
        if n + 1 < len(counted) and lines[counted[n + 1][0]].date != lines[i].date:
            day_end = counted[n + 1][2]
        steps[n] = Step(i, amount, before, before + amount, day_end)
    return Running(year, ytd, tuple(steps), from_charges)
