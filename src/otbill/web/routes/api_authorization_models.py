"""The JSON API's authorization models (OpenAPI schemas): requests, the log, the work queue.

Dates are ISO 8601. Inputs map one to one onto :mod:`otbill.services.frontdesk.authorizations`,
so the API and the web forms check the same things; used counts are read-only (counted from
visits, never typed).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from otbill.services.frontdesk.authorization_queue import (
    AuthorizationPage,
    AuthorizationSummary,
    EntryView,
)
from otbill.services.frontdesk.authorizations import (
    MAX_CODES,
    MAX_TEXT,
    MAX_UNITS,
    MAX_VISITS,
)

__all__ = [
    "AuthorizationIn",
    "AuthorizationOut",
    "AuthorizationQueueOut",
    "AuthorizationSummaryOut",
    "EntryIn",
    "StatusIn",
]

_Visits = Field(None, ge=0, le=MAX_VISITS)
_Units = Field(None, ge=0, le=MAX_UNITS)
_Owner = Field(None, description="the user who owns the next step")


class AuthorizationIn(BaseModel):
    """Open a request on a coverage (or enter one the payer already approved)."""

    coverage_id: int
    number: str = Field(min_length=1, max_length=80, description="authorization or request ref")
    start: dt.date
    end: dt.date
    codes: list[str] = Field(
        default_factory=list, max_length=MAX_CODES, description="empty: every code"
    )
    status: Literal["requested", "approved"] = "requested"
    visits_authorized: int | None = _Visits
    units_authorized: int | None = _Units
    note: str = Field("", max_length=MAX_TEXT)
    owner_id: int | None = _Owner
    due_on: dt.date | None = None


class EntryIn(BaseModel):
    """One step in the channel: a call names its reference and the person spoken to."""

    kind: Literal["request", "reply", "call", "fax", "portal", "document", "note"]
    text: str = Field("", max_length=MAX_TEXT)
    reference: str | None = Field(None, max_length=80)
    contact: str | None = Field(None, max_length=120)
    document: str | None = Field(None, max_length=300)
    owner_id: int | None = _Owner
    due_on: dt.date | None = None


class StatusIn(BaseModel):
    """A status move, with what the payer granted."""

    status: Literal["pending", "approved", "partially-approved", "denied"]
    number: str | None = Field(None, min_length=1, max_length=80)
    visits_authorized: int | None = _Visits
    units_authorized: int | None = _Units
    start: dt.date | None = None
    end: dt.date | None = None
    codes: list[str] | None = Field(None, max_length=MAX_CODES)
    note: str = Field("", max_length=MAX_TEXT)
    owner_id: int | None = _Owner
    due_on: dt.date | None = None


class AuthorizationSummaryOut(BaseModel):
    id: int
    number: str
    patient_id: int
    patient: str
    payer: str
    priority: str
    status: str = Field(description="as shown: expired once an approval's end date has passed")
    start: dt.date
    end: dt.date
    codes: list[str]
    visits_authorized: int | None
    units_authorized: int | None
    visits_used: int
    units_used: int
    visits_left: int | None
    units_left: int | None
    owner: str | None
    owner_id: int | None
    follow_up: dt.date | None

    @classmethod
    def of(cls, s: AuthorizationSummary) -> AuthorizationSummaryOut:
        fields: dict[str, Any] = dataclasses.asdict(s)
        usage = fields.pop("usage")
        return cls(**fields, **usage)


class AuthorizationOut(AuthorizationSummaryOut):
    entries: list[EntryView] = Field(description="the log, in the order it was written")
    moves: list[str] = Field(description="the statuses it may move to now")
    pending_use: int | None = Field(
        None, description="scheduled visits not yet seen; null until the schedule is in use"
    )

    @classmethod
    def of_page(cls, page: AuthorizationPage) -> AuthorizationOut:
        summary = AuthorizationSummaryOut.of(page.summary).model_dump()
        return cls(
            **summary, entries=page.entries, moves=list(page.moves), pending_use=page.pending_use
        )


class AuthorizationQueueOut(BaseModel):
    pending: list[AuthorizationSummaryOut]
    running_out: list[AuthorizationSummaryOut]
    denied: list[AuthorizationSummaryOut]
