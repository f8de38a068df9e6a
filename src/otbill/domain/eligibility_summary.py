"""What a 271 means for a visit on a date, in figures and in plain words.

Which benefits count: those for the therapy service type asked about (``AD``, ``PT``), and when
the payer sent none for it, those for ``30`` (health benefit plan coverage) or with no service
type; the TR3 (005010X279A1 1.4.7) has payers answer ``30`` always and a specific type when they
support it. Individual coverage (EB02 ``IND``) is preferred to family figures. In network means
EB12 ``Y`` (or ``W``, both); out of network ``N`` (or ``W``).

Active on a date: an EB01 of 1-5 says active and 6-8 inactive (TR3 EB01); then the plan's dates
(DTP 346/347 and the like) must hold the date. With AAA rejections and no benefit the status is
unknown (None): the check did not find the person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from otbill.domain.eligibility import Benefit, EligibilityAnswer, OtherPayer, TherapyLimit
from otbill.domain.eligibility_codes import ACTIVE, INACTIVE, PERIODS, reject

__all__ = ["Coverage271", "Pair", "summarize"]


@dataclass(frozen=True, slots=True)
class Pair:
    """A figure in network and out of network (None: the payer did not say)."""

    in_network: Decimal | None = None
    out_of_network: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Coverage271:
    """The figures a front desk needs from one 271 answer, for one date and service type."""

    on: dt.date
    active: bool | None
    status: str  # plain words
    service_type: str  # the type the figures are for: AD, PT or 30
    plan_name: str = ""
    plan_begin: dt.date | None = None
    plan_end: dt.date | None = None
    coinsurance_percent: Pair = Pair()
    copay: Pair = Pair()
    deductible_remaining: Pair = Pair()
    out_of_pocket_remaining: Pair = Pair()
    visit_limit: int | None = None
    visits_used: int | None = None
    visits_remaining: int | None = None
    limit_period: str = ""
    limit_evidence: tuple[str, ...] = ()
    authorization_required: bool | None = None
    other_payers: tuple[OtherPayer, ...] = ()
    problems: tuple[tuple[str, str], ...] = ()  # AAA: (what the payer said, the fix)
    messages: tuple[str, ...] = field(default=())


def _general(answer: EligibilityAnswer) -> list[Benefit]:
    return [b for b in answer.benefits if not b.service_types or "30" in b.service_types]


def _relevant(answer: EligibilityAnswer, asked: tuple[str, ...]) -> tuple[str, list[Benefit]]:
    for service_type in asked:
        chosen = [b for b in answer.benefits if service_type in b.service_types]
        if chosen:
            return service_type, chosen
    return "30", _general(answer)


def _figure(
    chosen: list[Benefit],
    general: list[Benefit],
    keep: Callable[[Benefit], bool],
    value: Callable[[Benefit], Decimal | None],
) -> Pair:
    """From the service type's benefits, else the plan's (a deductible is usually plan-wide)."""
    pair = _pick([b for b in chosen if keep(b)], value)
    if pair == Pair():
        pair = _pick([b for b in general if keep(b)], value)
    return pair


def _pick(benefits: list[Benefit], want: Callable[[Benefit], Decimal | None]) -> Pair:
    ordered = sorted(benefits, key=lambda b: (b.coverage_level not in ("IND", ""), b.position))
    inside = next((v for b in ordered if b.network in "YW" and (v := want(b)) is not None), None)
    outside = next((v for b in ordered if b.network in "NW" and (v := want(b)) is not None), None)
    if inside is None and outside is None:  # the payer did not say which network: in network
        inside = next((v for b in ordered if not b.network and (v := want(b)) is not None), None)
    return Pair(inside, outside)


def _status(
    answer: EligibilityAnswer, chosen: list[Benefit], on: dt.date
) -> tuple[bool | None, str]:
    codes = [b.code for b in chosen] + [b.code for b in answer.benefits]
    active_code = next((c for c in codes if c in ACTIVE or c in INACTIVE), None)
    if active_code is None:
        return None, "not found: the payer answered no coverage status"
    if active_code in INACTIVE:
        return False, INACTIVE[active_code]
    begin, end = answer.plan_begin, answer.plan_end
    if begin is not None and on < begin:
        return False, f"not yet active on {on}: the plan begins {begin}"
    if end is not None and on > end:
        return False, f"inactive on {on}: the plan ended {end}"
    return True, ACTIVE[active_code]


def _visits(
    limits: list[TherapyLimit],
) -> tuple[int | None, int | None, int | None, str, list[str]]:
    by_kind: dict[str, TherapyLimit] = {}
    for limit in sorted(limits, key=lambda x: x.source != "EB"):  # codified first, MSG after
        by_kind.setdefault(limit.kind, limit)
    total, used, left = (by_kind.get(k) for k in ("limit", "used", "remaining"))
    limit_n, used_n = (total.visits if total else None), (used.visits if used else None)
    left_n = left.visits if left else None
    if left_n is None and limit_n is not None and used_n is not None:
        left_n = max(limit_n - used_n, 0)
    period = total.period if total else ""
    evidence = [x.evidence for x in (total, used, left) if x is not None]
    return limit_n, used_n, left_n, PERIODS.get(period, period), evidence


def summarize(answer: EligibilityAnswer, on: dt.date, asked: tuple[str, ...]) -> Coverage271:
    """The figures of ``answer`` for a visit on ``on`` for the service types ``asked``."""
    service_type, chosen = _relevant(answer, asked)
    general = _general(answer)
    active, status = _status(answer, chosen, on)
    problems = tuple(reject(r.code, r.follow_up) for r in answer.rejections)
    if active is None and problems:
        status = "not verified: " + problems[0][0]
    plan = next((b.plan for b in answer.benefits if b.code in ACTIVE and b.plan), "")
    limits = [x for x in answer.limits if not x.service_types or service_type in x.service_types
              or set(x.service_types) & {"30"}]  # fmt: skip
    limit, used, left, period, evidence = _visits(limits)
    auth = [b.authorization for b in chosen if b.authorization in ("Y", "N")]
    return Coverage271(
        on=on,
        active=active,
        status=status,
        service_type=service_type,
        plan_name=plan,
        plan_begin=answer.plan_begin,
        plan_end=answer.plan_end,
        coinsurance_percent=_percent(_figure(chosen, general, _code("A"), _pct)),
        copay=_figure(chosen, general, _code("B"), _amount),
        deductible_remaining=_figure(chosen, general, _remaining("C"), _amount),
        out_of_pocket_remaining=_figure(chosen, general, _remaining("G"), _amount),
        visit_limit=limit,
        visits_used=used,
        visits_remaining=left,
        limit_period=period,
        limit_evidence=tuple(evidence),
        authorization_required=("Y" in auth) if auth else None,
        other_payers=answer.other_payers,
        problems=problems,
        messages=tuple(m for b in chosen for m in b.messages),
    )


def _pct(b: Benefit) -> Decimal | None:
    return b.percent


def _percent(pair: Pair) -> Pair:
    """EB08 is a fraction (0.2); a front desk reads 20 (per cent)."""

    def scale(v: Decimal | None) -> Decimal | None:
        return None if v is None else _plain(v * 100 if v <= 1 else v)

    return Pair(scale(pair.in_network), scale(pair.out_of_network))


def _amount(b: Benefit) -> Decimal | None:
    return b.amount


def _code(code: str) -> Callable[[Benefit], bool]:
    return lambda b: b.code == code


def _remaining(code: str) -> Callable[[Benefit], bool]:
    """EB06 29 (remaining) or 33 (lifetime remaining): what is left, not the yearly total."""
    return lambda b: b.code == code and b.period in ("29", "33")


def _plain(value: Decimal) -> Decimal:
    """20.00 → 20 and 12.50 → 12.5, never 2E+1."""
    return Decimal(format(value.normalize(), "f"))
