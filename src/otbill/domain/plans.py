"""Referrals and plans of care: the certifying physician, the referral, the plan's dates.

The dates follow the Medicare Benefit Policy Manual, Pub 100-02, ch. 15, §220.1.3: the physician
or NPP certifies (signs and dates) the plan within 30 days of its start (the evaluation), and
recertifies it at least every 90 days. A certification that comes later is accepted only with the
reason for the delay recorded (a delayed certification).

``certified_on`` on a plan is the date the clinic received the signed plan back; the scrubber's
POC001 reads it as the certification date.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

__all__ = [
    "CERTIFY_WITHIN_DAYS",
    "RECERTIFY_EVERY_DAYS",
    "RECERT_WARNING_DAYS",
    "Physician",
    "PlanDetail",
    "PlanState",
    "Referral",
    "certification_deadline",
    "frequency_from_text",
    "plan_state",
    "recert_due_from",
]

CERTIFY_WITHIN_DAYS = 30
RECERTIFY_EVERY_DAYS = 90
RECERT_WARNING_DAYS = 14  # the queue shows a plan this many days before its recertification


@dataclass(frozen=True, slots=True)
class Physician:
    """A referring and certifying physician or NPP."""

    id: int
    first_name: str
    last_name: str
    npi: str
    fax: str = ""
    phone: str = ""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class Referral:
    """A physician's referral of a patient to therapy, with the diagnoses it names."""

    id: int
    patient_id: int
    physician_id: int
    referred_on: dt.date
    diagnoses: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class PlanDetail:
    """The plan-of-care facts beyond :class:`otbill.domain.care.PlanOfCare`: who certifies it,
    the referral it answers, the evaluation that started it, the plan it recertifies, and the
    reason for a delayed certification."""

    plan_id: int
    physician_id: int | None = None
    referral_id: int | None = None
    evaluation_visit_id: int | None = None
    recertifies_id: int | None = None
    delay_reason: str = ""


class PlanState(enum.StrEnum):
    AWAITING_SIGNATURE = "awaiting signature"
    SIGNATURE_LATE = "signature late"  # awaiting and past the 30-day deadline
    RECERT_DUE = "recertification due"
    RECERT_OVERDUE = "recertification overdue"
    CERTIFIED = "certified"
    RECERTIFIED = "recertified"  # a later plan continues it


def certification_deadline(start: dt.date) -> dt.date:
    """The last day the first certification is on time.

    >>> certification_deadline(dt.date(2026, 1, 10))
    datetime.date(2026, 2, 9)
    """
    return start + dt.timedelta(days=CERTIFY_WITHIN_DAYS)


def recert_due_from(start: dt.date) -> dt.date:
    """The last day a plan starting on ``start`` covers before it must be recertified.

    >>> recert_due_from(dt.date(2026, 1, 10))
    datetime.date(2026, 4, 9)
    """
    return start + dt.timedelta(days=RECERTIFY_EVERY_DAYS - 1)


def plan_state(
    start: dt.date,
    certified_on: dt.date | None,
    recert_due: dt.date | None,
    today: dt.date,
    *,
    recertified: bool = False,
) -> PlanState:
    """Where a plan stands on ``today`` (the queue's columns)."""
    if recertified:
        return PlanState.RECERTIFIED
    if certified_on is None:
        late = today > certification_deadline(start)
        return PlanState.SIGNATURE_LATE if late else PlanState.AWAITING_SIGNATURE
    due = recert_due or recert_due_from(start)
    if due < today:
        return PlanState.RECERT_OVERDUE
    if due <= today + dt.timedelta(days=RECERT_WARNING_DAYS):
        return PlanState.RECERT_DUE
    return PlanState.CERTIFIED


_PER_WEEK = re.compile(r"(\d{1,2})\s*(?:x|times)\s*(?:/|per|a|each)\s*(?:wk|week)", re.I)
_WEEKS = re.compile(r"(?:for|x|over)\s*(\d{1,2})\s*(?:wks?|weeks?)", re.I)


def frequency_from_text(text: str) -> tuple[int, int]:
    """Visits per week and weeks, as a therapist writes them in a note (0 when not written).

    >>> frequency_from_text("Goals: dress independently. Plan: 2x/week for 8 weeks.")
    (2, 8)
    >>> frequency_from_text("3 times per week x 6 wks")
    (3, 6)
    >>> frequency_from_text("no frequency here")
    (0, 0)
    """
    per_week = _PER_WEEK.search(text)
    weeks = _WEEKS.search(text)
    return (int(per_week.group(1)) if per_week else 0, int(weeks.group(1)) if weeks else 0)
