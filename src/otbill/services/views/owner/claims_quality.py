"""Claim quality by month of service: clean-claim and first-pass resolution rates, and the denial
rate by root cause, by payer and by therapist.

- clean-claim rate: original claims accepted on their first submission without edits (never
  rejected, never replaced by a corrected claim), of the claims submitted;
- first-pass resolution rate: those clean claims that were paid without a denial or an appeal,
  of the claims submitted;
- denial rate: claims with a denial, of the claims the payer decided (a remittance was posted to
  them); the cause is the root cause read from the group code, CARC and remark code
  (:mod:`otbill.domain.denial_causes`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from otbill.domain.denial_causes import root_cause
from otbill.services.views.choices import payer_names, therapist_choices
from otbill.services.views.figures import Figure, Window, by_month, month_label, percent
from otbill.services.views.owner.report import SMALL_SAMPLE, Cell, Table
from otbill.storage import UnitOfWork

__all__ = ["claims_quality", "denials_by", "denials_by_cause", "first_pass"]

_TOP_CAUSES = 6
Decided = list[tuple[Any, ...]]  # (day of service, payer id, decided claims, of them denied)
_SMALL = f"small sample (under {SMALL_SAMPLE} claims)"


def first_pass(uow: UnitOfWork, window: Window) -> Table:
    rows = uow.owner_reports.submission_outcomes(window.first, window.end)
    sent = by_month((d, n) for d, n, _, _ in rows)
    clean = by_month((d, n) for d, _, n, _ in rows)
    resolved = by_month((d, n) for d, _, _, n in rows)
    months = [m for m in window.months() if sent.get(m)]
    labels = [month_label(m) for m in months]
    samples = [int(sent[m]) for m in months]
    clean_rate = [percent(clean.get(m, 0), sent[m]) for m in months]
    pass_rate = [percent(resolved.get(m, 0), sent[m]) for m in months]
    return Table(
        "first_pass",
        "Clean-claim and first-pass resolution rates",
        "Clean: accepted on the first submission without edits (never rejected, never replaced "
        "by a corrected claim). First-pass resolution: clean and paid without a denial or an "
        "appeal. Both of the original claims submitted, by month of service.",
        "Month of service",
        [
            "Claims submitted",
            "Clean",
            "Clean-claim rate",
            "Paid first time",
            "First-pass resolution rate",
        ],
        ["n", "n", "%", "n", "%"],
        [
            (
                label,
                [
                    int(sent[m]),
                    int(clean.get(m, 0)),
                    clean_rate[i],
                    int(resolved.get(m, 0)),
                    pass_rate[i],
                ],
            )
            for i, (label, m) in enumerate(zip(labels, months, strict=True))
        ],
        Figure(
            "first_pass",
            "Clean-claim and first-pass resolution rates",
            "Of the claims submitted each month of service.",
            "%",
            labels,
            [("Clean-claim rate", clean_rate), ("First-pass resolution rate", pass_rate)],
        ),
        samples,
        None if months else "No claims submitted in these months.",
    )


def _decided(uow: UnitOfWork, window: Window) -> Decided:
    return uow.reports.decided_claims(window.first, window.end)


def denials_by_cause(uow: UnitOfWork, window: Window, read: Decided | None = None) -> Table:
    """``read``: the window's decided claims when the caller has them (one read for both)."""
    decided = by_month((d, n) for d, _, n, _ in (_decided(uow, window) if read is None else read))
    counts: dict[str, dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    for day, group, carc, rarc, n in uow.owner_reports.denial_codes(window.first, window.end):
        cause = root_cause(group or "", carc or "", (rarc,) if rarc else ()).title
        counts[cause][day.replace(day=1)] += n
    ranked = sorted(counts, key=lambda c: -sum(counts[c].values()))
    causes = ranked[:_TOP_CAUSES]
    if len(ranked) > _TOP_CAUSES:
        other: dict[dt.date, float] = defaultdict(float)
        for cause in ranked[_TOP_CAUSES:]:
            for month, n in counts[cause].items():
                other[month] += n
        counts["Other causes"] = other
        causes.append("Other causes")
    months = [m for m in window.months() if decided.get(m)]
    series: list[tuple[str, list[float | None]]] = [
        (cause, [percent(counts[cause].get(m, 0), decided[m]) for m in months]) for cause in causes
    ]
    labels = [month_label(m) for m in months]
    rows: list[tuple[str, list[Cell]]] = [
        (label, [int(decided[m]), *(values[i] for _, values in series)])
        for i, (label, m) in enumerate(zip(labels, months, strict=True))
    ]
    return Table(
        "denials_by_cause",
        "Denial rate by cause",
        "Claims denied for each root cause (read from the group code, CARC and remark code), as "
        "a share of the claims the payers decided, by month of service.",
        "Month of service",
        ["Claims decided", *causes],
        ["n", *("%" for _ in causes)],
        rows,
        Figure(
            "denials_by_cause", "Denial rate by cause", "By month of service.", "%", labels, series
        )
        if causes
        else None,
        [int(decided[m]) for m in months] if causes else [],
        None if months else "No payer has decided a claim in these months (no 835 posted).",
    )


def denials_by(uow: UnitOfWork, window: Window, by: str, read: Decided | None = None) -> Table:
    """The denial rate per payer (``by="payer"``) or therapist, month by month (long form);
    ``read``: the window's decided claims by payer when the caller has them."""
    if by == "payer":
        raw = _decided(uow, window) if read is None else read
        names = payer_names(uow)
    else:
        raw = uow.owner_reports.decided_by_provider(window.first, window.end)
        names = dict(therapist_choices(uow))
    decided: dict[tuple[int, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    for day, key, n, denied in raw:
        cell = decided[(key, day.replace(day=1))]
        cell[0] += int(n)
        cell[1] += int(denied or 0)
    word = "payer" if by == "payer" else "therapist"
    order = sorted(decided, key=lambda k: (names.get(k[0], ""), k[1]))
    rows: list[tuple[str, list[Cell]]] = [
        (
            names.get(key, f"{word} {key}"),
            [month_label(month), n, denied, percent(denied, n), _SMALL if n < SMALL_SAMPLE else ""],
        )
        for key, month in order
        for n, denied in [decided[(key, month)]]
    ]
    return Table(
        f"denials_by_{word}",
        f"Denial rate by {word}",
        f"Claims with a denial, of each {word}'s decided claims, by month of service. A month "
        f"with fewer than {SMALL_SAMPLE} decided claims is marked as a small sample.",
        word.capitalize(),
        ["Month of service", "Claims decided", "Denied", "Denial rate", "Sample"],
        ["t", "n", "n", "%", "t"],
        rows,
        empty=None if rows else "No payer has decided a claim in these months (no 835 posted).",
    )


def claims_quality(uow: UnitOfWork, window: Window) -> list[Table]:
    decided = _decided(uow, window)  # the causes and the payers' rates share one read
    return [
        first_pass(uow, window),
        denials_by_cause(uow, window, decided),
        denials_by(uow, window, "payer", decided),
        denials_by(uow, window, "provider"),
    ]
