"""The underpayment queue, variance by payer and what-if as the pages and commands use them:
the window of dates, a payer named by the user, proposed rates read from CSV, and CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from otbill.domain.parties import Payer
from otbill.domain.record_errors import RecordError
from otbill.services.money.expected import (
    DEFAULT_TOLERANCE,
    LineCheck,
    PayerVariance,
    UnderpaidGroup,
    load_checks,
    underpayment_queue,
    variance_by_payer,
)
from otbill.services.views.what_if import Change, WhatIf
from otbill.storage import UnitOfWork

__all__ = [
    "ExpectedReport",
    "expected_report",
    "find_payer",
    "queue_csv",
    "read_rates",
    "recent_window",
    "what_if_csv",
]


def recent_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """Dates of service from a year before ``today`` through ``today``: ``[first, end)``."""
    try:
        first = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        first = today.replace(year=today.year - 1, day=28)
    return first, today + dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ExpectedReport:
    first: dt.date
    end: dt.date
    tolerance: Decimal
    checks: tuple[LineCheck, ...]
    queue: tuple[UnderpaidGroup, ...]
    variance: tuple[PayerVariance, ...]

    @property
    def last(self) -> dt.date:
        """The last date of service included."""
        return self.end - dt.timedelta(days=1)

    @property
    def unpriced(self) -> int:
        return sum(1 for c in self.checks if c.expected_paid is None and not c.denied)


def expected_report(
    uow: UnitOfWork,
    dirs: list[Path],
    first: dt.date,
    end: dt.date,
    tolerance: Decimal = DEFAULT_TOLERANCE,
) -> ExpectedReport:
    """Remitted lines served in ``[first, end)``: the queue and the variance by payer."""
    if tolerance < 0:
        raise RecordError("the tolerance is an amount in dollars, 0 or more")
    checks = load_checks(uow, dirs, first, end)
    return ExpectedReport(
        first,
        end,
        tolerance,
        tuple(checks),
        tuple(underpayment_queue(checks, tolerance)),
        tuple(variance_by_payer(checks, tolerance)),
    )


def find_payer(uow: UnitOfWork, text: str) -> Payer:
    """The payer whose EDI payer ID or name is ``text`` (names case-insensitive)."""
    wanted = text.strip().lower()
    for payer in uow.payers.all():
        if wanted in (payer.payer_code.lower(), payer.name.lower()):
            return payer
    names = ", ".join(f"{p.name} ({p.payer_code})" for p in uow.payers.all())
    raise RecordError(f"no payer {text!r}; the clinic's payers: {names}")


def read_rates(text: str) -> dict[str, Decimal]:
    """Proposed rates from CSV ``code,allowed`` (allowed per unit in dollars; a header row is
    optional)."""
    rates: dict[str, Decimal] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip():
            continue
        if len(row) < 2:
            raise RecordError(f"proposed rates, line {number}: expected code,allowed")
        code, amount = row[0].strip().upper(), row[1].strip().lstrip("$")
        if number == 1 and code == "CODE":
            continue
        try:
            value = Decimal(amount)
        except InvalidOperation:
            raise RecordError(
                f"proposed rates, line {number}: allowed {amount!r} is not an amount"
            ) from None
        if len(code) != 5 or not code.isalnum() or value < 0:
            raise RecordError(f"proposed rates, line {number}: {code} {amount} is not a rate")
        rates[code] = value
    if not rates:
        raise RecordError("proposed rates: no code,allowed rows")
    return rates


def _write(rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def queue_csv(queue: Iterable[UnderpaidGroup]) -> str:
    """One row per underpaid line, with the evidence."""
    head = (
        "payer", "code", "claim", "date_of_service", "units", "modifiers", "charge",
        "expected_allowed", "patient_share", "expected_paid", "paid", "shortfall",
        "adjustments", "basis",
    )  # fmt: skip
    rows: list[Iterable[object]] = [head]
    for group in queue:
        for li in group.lines:
            adjustments = " ".join(f"{g}-{c} {a}" for g, c, a in li.adjustments)
            row = (
                li.payer_name, li.code, li.claim_number, li.date.isoformat(), li.units,
                li.modifiers, li.charge, li.expected_allowed, li.patient_share,
                li.expected_paid, li.paid, li.shortfall, adjustments, li.basis,
            )  # fmt: skip
            rows.append(row)
    return _write(rows)


def what_if_csv(result: WhatIf) -> str:
    """The change per payer, code and month, one row each."""
    rows: list[Iterable[object]] = [("by", "label", "before", "after", "change", "percent")]
    parts: Mapping[str, tuple[Change, ...]] = {
        "payer": result.by_payer,
        "code": result.by_code,
        "month": result.by_month,
    }
    for by, changes in parts.items():
        for c in changes:
            rows.append((by, c.label, c.before, c.after, c.change, c.percent))
    rows.append(
        ("total", "all", result.total.before, result.total.after, result.total.change,
         result.total.percent)
    )  # fmt: skip
    return _write(rows)
