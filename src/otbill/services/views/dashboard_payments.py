"""Dashboard figures from the payers' answers: denial rates, A/R aging, payment per visit.

The balances follow :mod:`otbill.domain.ledger` exactly (a reversal negates the posting it
reverses; a transfer moves the payer's share to the patient) but are summed in SQL per claim,
so the clinic's 100,000 claims never travel to Python one by one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, select
from sqlalchemy.orm import aliased

from otbill.services.views.figures import (
    Figure,
    Window,
    by_month,
    in_window,
    month_label,
    payer_names,
    percent,
    trim_months,
)
from otbill.storage import UnitOfWork
from otbill.storage.tables import ClaimRow, ClaimVisitRow, DenialRow, PostingRow

__all__ = ["AGING_BUCKETS", "ar_aging", "denials", "payment_per_visit"]

_TOP_CAUSES = 5
AGING_BUCKETS = (("0–30", 30), ("31–60", 60), ("61–90", 90), ("91–120", 120), ("120+", None))

_ORIGINAL = aliased(PostingRow)
_REVERSAL = PostingRow.kind == "reversal"
_KIND = case((_REVERSAL, _ORIGINAL.kind), else_=PostingRow.kind)
_PAYER_SIDE = case((_REVERSAL, _ORIGINAL.payer_side), else_=PostingRow.payer_side)
_AMOUNT = PostingRow.amount_cents * case((_REVERSAL, -1), else_=1)
_PAYMENT = _KIND == "payment"
_PAYER_EFFECT = case(
    (_KIND == "charge", _AMOUNT),
    (_KIND.in_(("adjustment", "transfer")), -_AMOUNT),
    (and_(_PAYMENT, _PAYER_SIDE.is_(True)), -_AMOUNT),
    else_=0,
)
_PATIENT_EFFECT = case(
    (_KIND == "transfer", _AMOUNT),
    (and_(_PAYMENT, _PAYER_SIDE.is_(False)), -_AMOUNT),
    else_=0,
)


def _decided(uow: UnitOfWork) -> ColumnElement[bool]:
    """The claim has a remittance posted to it: the payer decided (paid, reduced or denied)."""
    return exists(
        select(PostingRow.id).where(
            PostingRow.clinic_id == uow.clinic_id,
            PostingRow.claim_id == ClaimRow.id,
            PostingRow.remittance_id.is_not(None),
        )
    )


def denials(uow: UnitOfWork, window: Window) -> tuple[Figure, Figure]:
    """Denial rate by cause (group code + CARC) and by payer, by month of service."""
    denied = exists(select(DenialRow.id).where(DenialRow.claim_id == ClaimRow.id))
    rows = list(
        uow.session.execute(
            select(
                ClaimRow.date_of_service,
                ClaimRow.payer_id,
                func.count(),
                func.sum(case((denied, 1), else_=0)),
            )
            .where(ClaimRow.clinic_id == uow.clinic_id, *in_window(window), _decided(uow))
            .group_by(ClaimRow.date_of_service, ClaimRow.payer_id)
        )
    )
    decided = by_month((day, n) for day, _, n, _ in rows)
    months = trim_months(window.months(), decided)
    empty = None if months else "No payments posted yet: denial rates appear once 835s are posted."
    return _by_cause(uow, window, months, decided, empty), _by_payer(uow, months, rows, empty)


def _by_cause(
    uow: UnitOfWork,
    window: Window,
    months: list[dt.date],
    decided: Mapping[dt.date, float],
    empty: str | None,
) -> Figure:
    query = (
        select(
            ClaimRow.date_of_service,
            DenialRow.group_code,
            DenialRow.carc,
            func.count(func.distinct(DenialRow.claim_id)),
        )
        .join(ClaimRow, ClaimRow.id == DenialRow.claim_id)
        .where(DenialRow.clinic_id == uow.clinic_id, *in_window(window))
        .group_by(ClaimRow.date_of_service, DenialRow.group_code, DenialRow.carc)
    )
    counts: dict[str, dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    for day, group, carc, n in uow.session.execute(query):
        counts[f"{group}-{carc}" if carc else group][day.replace(day=1)] += n
    ranked = sorted(counts, key=lambda c: -sum(counts[c].values()))
    causes = ranked[:_TOP_CAUSES]
    if len(ranked) > _TOP_CAUSES:
        other: dict[dt.date, float] = defaultdict(float)
        for cause in ranked[_TOP_CAUSES:]:
            for month, n in counts[cause].items():
                other[month] += n
        counts["other codes"] = other
        causes.append("other codes")
    series: list[tuple[str, list[float | None]]] = [
        (cause, [percent(counts[cause].get(m, 0), decided.get(m, 0)) or 0.0 for m in months])
        for cause in causes
    ]
    return Figure(
        "denials_by_cause",
        "Denial rate by cause",
        "Claims denied, by group code and claim adjustment reason code (CARC), as a share of "
        "the claims the payers decided, by month of service.",
        "%",
        [month_label(m) for m in months],
        series,
        [("Claims decided", [f"{int(decided.get(m, 0)):,}" for m in months])],
        empty or (None if series else "No denials: every decided claim was paid."),
    )


def _by_payer(uow: UnitOfWork, months: list[dt.date], rows: list[Any], empty: str | None) -> Figure:
    names = payer_names(uow)
    decided: dict[int, dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    denied: dict[int, dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    for day, payer, n, n_denied in rows:
        decided[payer][day.replace(day=1)] += n
        denied[payer][day.replace(day=1)] += n_denied or 0
    series = [
        (names.get(p, f"payer {p}"), [percent(denied[p].get(m, 0), decided[p].get(m, 0)) for m in months])
        for p in sorted(decided, key=lambda p: names.get(p, ""))
    ]  # fmt: skip
    return Figure(
        "denials_by_payer",
        "Denial rate by payer",
        "Claims with a denial, as a share of each payer's decided claims, by month of service.",
        "%",
        [month_label(m) for m in months],
        series,
        empty=empty,
    )


def _bucket(days: int) -> int:
    for i, (_, limit) in enumerate(AGING_BUCKETS):
        if limit is None or days <= limit:
            return i
    return len(AGING_BUCKETS) - 1


def ar_aging(uow: UnitOfWork, today: dt.date) -> Figure:
    """Unpaid balances (insurance and patient) by days since the date of service."""
    payer = func.sum(_PAYER_EFFECT)
    patient = func.sum(_PATIENT_EFFECT)
    per_claim = (
        select(PostingRow.claim_id, payer.label("payer"), patient.label("patient"))
        .outerjoin(_ORIGINAL, _ORIGINAL.id == PostingRow.reverses_id)
        .where(PostingRow.clinic_id == uow.clinic_id)
        .group_by(PostingRow.claim_id)
        .having(payer + patient > 0)
        .subquery()
    )
    query = (
        select(
            ClaimRow.date_of_service,
            func.sum(per_claim.c.payer),
            func.sum(per_claim.c.patient),
            func.count(),
        )
        .join(per_claim, per_claim.c.claim_id == ClaimRow.id)
        .group_by(ClaimRow.date_of_service)
    )
    totals = [[0, 0, 0] for _ in AGING_BUCKETS]
    for day, payer_cents, patient_cents, n in uow.session.execute(query):
        row = totals[_bucket((today - day).days)]
        row[0] += payer_cents or 0
        row[1] += patient_cents or 0
        row[2] += n
    has_charges = uow.records.first(PostingRow, PostingRow.kind == "charge") is not None
    empty = None
    if not has_charges:
        empty = "No charges posted yet: claims enter accounts receivable when they are approved."
    elif not any(r[2] for r in totals):
        empty = "Nothing outstanding: every posted charge is paid or adjusted."
    return Figure(
        "ar_aging",
        "Accounts receivable aging",
        "Unpaid balances of claims, by days since the date of service, owed by insurance and "
        "by patients (from the ledger).",
        "$",
        [label for label, _ in AGING_BUCKETS],
        [
            ("Insurance", [max(r[0], 0) / 100 for r in totals]),
            ("Patient", [max(r[1], 0) / 100 for r in totals]),
        ],
        [("Claims", [f"{r[2]:,}" for r in totals])],
        empty,
    )


def payment_per_visit(uow: UnitOfWork, window: Window) -> Figure:
    """Payments received / visits billed, per payer, over claims that received a payment."""
    paid = (
        select(
            ClaimRow.payer_id,
            func.sum(case((_PAYER_SIDE.is_(True), _AMOUNT), else_=0)),
            func.sum(case((_PAYER_SIDE.is_(False), _AMOUNT), else_=0)),
        )
        .select_from(PostingRow)
        .outerjoin(_ORIGINAL, _ORIGINAL.id == PostingRow.reverses_id)
        .join(ClaimRow, ClaimRow.id == PostingRow.claim_id)
        .where(PostingRow.clinic_id == uow.clinic_id, PostingRow.kind.in_(("payment", "reversal")))
        .where(_PAYMENT)
        .where(ClaimRow.date_of_service >= window.first, ClaimRow.date_of_service < window.end)
        .group_by(ClaimRow.payer_id)
    )
    money = {p: (a or 0, b or 0) for p, a, b in uow.session.execute(paid)}
    paid_claims = select(PostingRow.claim_id).where(
        PostingRow.clinic_id == uow.clinic_id, PostingRow.kind == "payment"
    )
    visit_rows = uow.session.execute(
        select(ClaimRow.payer_id, func.count(ClaimVisitRow.id))
        .join(ClaimRow, ClaimRow.id == ClaimVisitRow.claim_id)
        .where(ClaimVisitRow.clinic_id == uow.clinic_id, ClaimVisitRow.claim_id.in_(paid_claims))
        .where(ClaimRow.date_of_service >= window.first, ClaimRow.date_of_service < window.end)
        .group_by(ClaimRow.payer_id)
    )
    visits: dict[int, int] = defaultdict(int, {payer: n for payer, n in visit_rows})
    names = payer_names(uow)
    payers = sorted((p for p in money if visits[p]), key=lambda p: names.get(p, ""))
    return Figure(
        "payment_per_visit",
        "Average payment per visit",
        "Payments received from the payer and from patients, divided by the visits billed on "
        "the claims that received a payment, by payer.",
        "$",
        [names.get(p, f"payer {p}") for p in payers],
        [
            ("From the payer", [round(money[p][0] / 100 / visits[p], 2) for p in payers]),
            ("From patients", [round(money[p][1] / 100 / visits[p], 2) for p in payers]),
        ],
        [("Visits", [f"{visits[p]:,}" for p in payers])],
        None if payers else "No payments posted yet.",
    )
