"""Prevention: a denial that recurs becomes a proposed pre-submission check a person decides on.

When a denial is opened from an 835 (:mod:`otbill.services.denials.open`), the payer's denials of
the last :data:`WINDOW_DAYS` days are read again: a code denied with the same CARC at least
:data:`AT_LEAST` times (:func:`otbill.domain.appeals.recurring`) is proposed as a check — hold this
code (with the other code it was always billed with) for this payer. A biller accepts or dismisses
it; accepted checks go into every scrub run from then on (:func:`with_clinic_rules`, rule
CLN001), naming the denials they came from. A dismissed check is not proposed again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from otbill import clock
from otbill.domain.appeals import PreventionCheck, recurring
from otbill.domain.denial_causes import root_cause
from otbill.domain.lifecycle import Role
from otbill.errors import OtbillError
from otbill.rules.context import ScrubContext
from otbill.services.clinic.setup import require_role
from otbill.storage import UnitOfWork

__all__ = ["AT_LEAST", "WINDOW_DAYS", "CheckDecided", "decide", "propose_checks",
           "with_clinic_rules"]  # fmt: skip

WINDOW_DAYS = 90
AT_LEAST = 3


class CheckDecided(OtbillError):
    """The check was accepted or dismissed already."""


def propose_checks(
    uow: UnitOfWork, today: dt.date, payer_id: int | None = None, carc: str | None = None
) -> list[PreventionCheck]:
    """Propose a check for each denial pattern that recurred (of one payer and CARC, or all); a
    pattern already proposed has its count brought up to date. Returns the new proposals."""
    since = today - dt.timedelta(days=WINDOW_DAYS)
    events = uow.appeals.denial_events(since, payer_id, carc)
    new = []
    for pattern in recurring(events, today, window_days=WINDOW_DAYS, at_least=AT_LEAST):
        kept = uow.appeals.check_for(pattern.payer_id, pattern.code, pattern.carc)
        if kept is not None:
            if kept.status == "proposed" and pattern.count != kept.denials:
                uow.appeals.update_check(kept.id, denials=pattern.count, last_on=pattern.last_on)
            continue
        cause = root_cause("CO", pattern.carc).cause.value
        check = PreventionCheck(
            0, pattern.payer_id, pattern.code, pattern.carc, pattern.with_code, cause,
            pattern.count, pattern.first_on, pattern.last_on, "proposed", clock.utcnow(),
        )  # fmt: skip
        check_id = uow.appeals.add_check(check)
        after = {"payer_id": pattern.payer_id, "code": pattern.code, "carc": pattern.carc,
                 "with_code": pattern.with_code, "denials": pattern.count,
                 "first_on": pattern.first_on, "last_on": pattern.last_on}  # fmt: skip
        uow.audit.record(
            uow.actor_id, "prevention.propose", "prevention_check", check_id, None, after
        )
        new.append(dataclasses.replace(check, id=check_id))
    return new


def decide(uow: UnitOfWork, check_id: int, *, accept: bool) -> PreventionCheck:
    """A biller accepts (the scrubber runs it from now on) or dismisses a proposed check."""
    if uow.actor_id is None:
        raise CheckDecided("a prevention check is decided by a signed-in biller")
    require_role(uow, uow.actor_id, Role.BILLER)
    check = uow.appeals.check(check_id)
    if check.status != "proposed":
        raise CheckDecided(f"prevention check {check_id} was already {check.status}")
    status = "accepted" if accept else "dismissed"
    uow.appeals.update_check(
        check_id, status=status, decided_by=uow.actor_id, decided_at=clock.utcnow()
    )
    uow.audit.record(
        uow.actor_id,
        f"prevention.{'accept' if accept else 'dismiss'}",
        "prevention_check",
        check_id,
        {"status": "proposed"},
        {"status": status},
    )
    return uow.appeals.check(check_id)


def with_clinic_rules(uow: UnitOfWork, run: ScrubContext) -> ScrubContext:
    """The scrub run with the clinic's accepted prevention checks (rule CLN001)."""
    return dataclasses.replace(run, clinic_rules=tuple(uow.appeals.checks("accepted")))
