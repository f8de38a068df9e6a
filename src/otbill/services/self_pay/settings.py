"""The clinic's self-pay settings: discount rules (versioned by effective date) and packages.

An admin sets them (the admin setup page, ``otbill selfpay``). A rule is never edited: a change is
a new rule from a new date, so a visit keeps the discount of the rules in force on its day. A
sliding-scale change is a whole set of tiers from one date (each tier: household income up to a
percent of the poverty guideline, the percent off, and the guideline's figures for the year: the
HHS poverty guidelines, a household of one plus each person more).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from otbill.domain.lifecycle import Role
from otbill.domain.money import from_cents
from otbill.domain.record_errors import RecordError
from otbill.domain.self_pay import PROMPT_PAY, SLIDING_SCALE, DiscountRule, PackageOffer, in_force
from otbill.services.clinic.setup import require_actor_role
from otbill.storage import UnitOfWork

__all__ = [
    "Tier",
    "add_package",
    "set_package_offered",
    "set_prompt_pay",
    "set_sliding_scale",
    "settings_view",
]

MAX_CENTS = 100_000_000  # a million dollars: beyond it, a typing slip


@dataclass(frozen=True, slots=True)
class Tier:
    """One sliding-scale tier as typed: income up to ``income_up_to_percent`` of the guideline
    gets ``percent_off``."""

    income_up_to_percent: int
    percent_off: int


def _percent(value: int, what: str) -> int:
    if not 0 <= value <= 100:
        raise RecordError(f"{what} {value}: a whole percent from 0 to 100")
    return value


def _no_earlier_change(uow: UnitOfWork, kind: str, effective_from: dt.date) -> None:
    later = [
        r for r in uow.self_pay.rules() if r.kind == kind and r.effective_from >= effective_from
    ]
    if later:
        when = max(r.effective_from for r in later)
        raise RecordError(
            f"effective from {effective_from}: the {kind.replace('-', ' ')} rules already change on "
            f"{when}; a new rule starts after the latest one (visits keep the rules of their day)"
        )


def set_prompt_pay(uow: UnitOfWork, percent_off: int, effective_from: dt.date) -> int:
    """Prompt pay from ``effective_from``: ``percent_off`` when the patient pays at the visit
    (0 ends it)."""
    require_actor_role(uow, Role.ADMIN)
    _percent(percent_off, "percent off")
    _no_earlier_change(uow, PROMPT_PAY, effective_from)
    rule = DiscountRule(PROMPT_PAY, effective_from, percent_off)
    rule_id = uow.self_pay.add_rule(rule, by_user=uow.actor_id)
    uow.audit.record(uow.actor_id, "self-pay.rule", "self_pay_rule", rule_id, None,
                     {"kind": PROMPT_PAY, "percent_off": percent_off,
                      "effective_from": effective_from.isoformat()})  # fmt: skip
    return rule_id


def set_sliding_scale(
    uow: UnitOfWork,
    tiers: Sequence[Tier],
    effective_from: dt.date,
    *,
    guideline_first_cents: int,
    guideline_each_more_cents: int,
) -> list[int]:
    """The sliding scale from ``effective_from``: these tiers replace the ones before (no tiers:
    a tier of 0 percent ends it)."""
    require_actor_role(uow, Role.ADMIN)
    if (
        not 0 < guideline_first_cents <= MAX_CENTS
        or not 0 <= guideline_each_more_cents <= MAX_CENTS
    ):
        raise RecordError(
            "poverty guideline: the yearly amount for a household of one and for each person "
            "more, in dollars (e.g. 15650 and 5500)"
        )
    seen: set[int] = set()
    for tier in tiers:
        if not 1 <= tier.income_up_to_percent <= 1000:
            raise RecordError(
                f"income up to {tier.income_up_to_percent}%: a percent of the poverty guideline "
                "from 1 to 1000"
            )
        if tier.income_up_to_percent in seen:
            raise RecordError(f"income up to {tier.income_up_to_percent}%: given twice")
        seen.add(tier.income_up_to_percent)
        _percent(tier.percent_off, "percent off")
    _no_earlier_change(uow, SLIDING_SCALE, effective_from)
    rows = list(tiers) or [Tier(100, 0)]
    ids = []
    for tier in sorted(rows, key=lambda t: t.income_up_to_percent):
        rule = DiscountRule(SLIDING_SCALE, effective_from, tier.percent_off,
                            tier.income_up_to_percent, guideline_first_cents,
                            guideline_each_more_cents)  # fmt: skip
        ids.append(uow.self_pay.add_rule(rule, by_user=uow.actor_id))
    uow.audit.record(uow.actor_id, "self-pay.rule", "self_pay_rule", ids[0], None,
                     {"kind": SLIDING_SCALE, "effective_from": effective_from.isoformat(),
                      "tiers": [f"up to {t.income_up_to_percent}%: {t.percent_off}% off"
                                for t in rows],
                      "guideline": [guideline_first_cents, guideline_each_more_cents]})  # fmt: skip
    return ids


def add_package(uow: UnitOfWork, name: str, visits: int, price_cents: int, valid_days: int) -> int:
    """A package offered: ``visits`` visits for ``price_cents``, valid ``valid_days`` days."""
    require_actor_role(uow, Role.ADMIN)
    label = " ".join(name.split())
    if not label or len(label) > 80:
        raise RecordError("name: the package's name, 1 to 80 characters")
    if any(o.name.lower() == label.lower() for o in uow.self_pay.offers()):
        raise RecordError(f"name {label!r}: a package of that name is already offered")
    if not 1 <= visits <= 200:
        raise RecordError(f"visits {visits}: a whole number of visits from 1 to 200")
    if not 0 < price_cents <= MAX_CENTS:
        raise RecordError("price: dollars and cents, more than 0")
    if not 1 <= valid_days <= 3650:
        raise RecordError(f"valid for {valid_days} days: from 1 to 3650 days")
    offer_id = uow.self_pay.add_offer(label, visits, price_cents, valid_days)
    uow.audit.record(uow.actor_id, "self-pay.package", "self_pay_package", offer_id, None,
                     {"name": label, "visits": visits, "price": str(from_cents(price_cents)),
                      "valid_days": valid_days})  # fmt: skip
    return offer_id


def set_package_offered(uow: UnitOfWork, offer_id: int, offered: bool) -> PackageOffer:
    """Withdraw a package (packages already sold stay good) or offer it again."""
    require_actor_role(uow, Role.ADMIN)
    offer = uow.self_pay.offer(offer_id)
    uow.self_pay.set_offer_active(offer_id, offered)
    uow.audit.record(uow.actor_id, "self-pay.package", "self_pay_package", offer_id,
                     {"active": offer.active}, {"active": offered})  # fmt: skip
    return uow.self_pay.offer(offer_id)


def settings_view(uow: UnitOfWork, on: dt.date) -> dict[str, object]:
    """What the settings page and ``otbill selfpay show`` print: the rules in force on ``on``,
    every rule by date, and the packages."""
    rules = uow.self_pay.rules()
    prompt = in_force(rules, PROMPT_PAY, on)
    sliding = in_force(rules, SLIDING_SCALE, on)
    return {
        "on": on,
        "prompt_pay": prompt[0] if prompt else None,
        "sliding": [t for t in sliding if t.percent_off],
        "sliding_from": sliding[0].effective_from if sliding else None,
        "guideline": (sliding[0].guideline_first_cents, sliding[0].guideline_each_more_cents)
        if sliding
        else None,
        "rules": rules,
        "packages": uow.self_pay.offers(),
    }
