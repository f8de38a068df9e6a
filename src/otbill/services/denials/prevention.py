"""Prevention: a denial that recurs becomes a proposed pre-submission check a person decides on.

When a denial is opened from an 835 (:mod:`otbill.services.denials.open`), the payer's denials of
the last :data:`WINDOW_DAYS` days are read again: a code denied with the same CARC at least
:data:`AT_LEAST` times (:func:`otbill.domain.appeals.recurring`) is proposed as a check. Where
the cause is the payer's way of billing (units per code, MUE or NCCI edits, GO, modifier 95 on
telehealth: :func:`otbill.payers.changes.propose_change`), the check is a payer-profile change
for that payer; otherwise it is a clinic rule — hold this code (with the other code it was always
billed with) for this payer. A biller accepts or dismisses it; accepted ones apply from then on
(:func:`with_clinic_rules`): clinic rules in every scrub run (rule CLN001), profile changes laid
over the payer's profile, which the scrubber and the unit counting read, each naming the denials
it came from. A dismissed check is not proposed again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Mapping

from otbill import clock
from otbill.domain.appeals import Pattern, PreventionCheck, recurring
from otbill.domain.denial_causes import root_cause
from otbill.domain.lifecycle import Role
from otbill.domain.parties import Payer
from otbill.errors import OtbillError
from otbill.payers import PayerProfile, load_profiles
from otbill.payers.changes import change_named, propose_change, with_changes
from otbill.rules.context import ScrubContext
from otbill.services.clinic.setup import require_role
from otbill.storage import UnitOfWork

__all__ = ["AT_LEAST", "WINDOW_DAYS", "CheckDecided", "decide", "payer_profile", "propose_checks", "source_of",
           "with_clinic_rules"]  # fmt: skip

WINDOW_DAYS = 90
AT_LEAST = 3


class CheckDecided(OtbillError):
    """The check was accepted or dismissed already."""


@functools.cache
def _packaged_profiles() -> Mapping[str, PayerProfile]:
    """The packaged payer profiles, read once (a denial posted from an 835 has no wiring)."""
    return load_profiles()


def _cause(uow: UnitOfWork, pattern: Pattern, profiles: Mapping[str, PayerProfile]) -> str:
    """The payer-profile change the pattern proposes (``profile:<name>``), else its root cause
    (a clinic rule). A payer on a profile not loaded here gets a clinic rule."""
    cause = root_cause("CO", pattern.carc).cause.value
    profile = profiles.get(uow.payers.get(pattern.payer_id).profile)
    if profile is None:
        return cause
    change = propose_change(profile, cause, pattern.carc, paired=pattern.with_code is not None,
                            telehealth=pattern.telehealth)  # fmt: skip
    return change.key if change else cause


def propose_checks(
    uow: UnitOfWork,
    today: dt.date,
    payer_id: int | None = None,
    carc: str | None = None,
    profiles: Mapping[str, PayerProfile] | None = None,
) -> list[PreventionCheck]:
    """Propose a check for each denial pattern that recurred (of one payer and CARC, or all); a
    pattern already proposed has its count brought up to date. Returns the new proposals.
    ``profiles`` are the payer profiles the clinic bills with (the packaged ones when None)."""
    since = today - dt.timedelta(days=WINDOW_DAYS)
    events = uow.appeals.denial_events(since, payer_id, carc)
    new = []
    for pattern in recurring(events, today, window_days=WINDOW_DAYS, at_least=AT_LEAST):
        kept = uow.appeals.check_for(pattern.payer_id, pattern.code, pattern.carc)
        if kept is not None:
            if kept.status == "proposed" and pattern.count != kept.denials:
                uow.appeals.update_check(kept.id, denials=pattern.count, last_on=pattern.last_on)
            continue
        cause = _cause(uow, pattern, profiles or _packaged_profiles())
        check = PreventionCheck(
            0, pattern.payer_id, pattern.code, pattern.carc, pattern.with_code, cause,
            pattern.count, pattern.first_on, pattern.last_on, "proposed", clock.utcnow(),
        )  # fmt: skip
        check_id = uow.appeals.add_check(check)
        after = {"payer_id": pattern.payer_id, "code": pattern.code, "carc": pattern.carc,
                 "with_code": pattern.with_code, "denials": pattern.count, "cause": cause,
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
    decided = uow.appeals.check(check_id)
    after: dict[str, object] = {"status": status}
    change = change_named(check.cause)
    if change is not None:  # what the payer's profile does from now on, and why
        after |= {"payer_profile_change": change.words, "source": source_of(decided)}
    uow.audit.record(
        uow.actor_id,
        f"prevention.{'accept' if accept else 'dismiss'}",
        "prevention_check",
        check_id,
        {"status": "proposed"},
        after,
    )
    return decided


def source_of(check: PreventionCheck) -> str:
    """The denial pattern an accepted check came from, as its findings and profile name it."""
    pair = f" with {check.with_code}" if check.with_code else ""
    return (
        f"prevention check {check.id}: {check.denials} denials of {check.code}{pair} by "
        f"{check.payer_name or 'the payer'}, reason code {check.carc}, {check.first_on} to "
        f"{check.last_on}; accepted {check.decided_at:%Y-%m-%d}"
        if check.decided_at
        else f"prevention check {check.id}"
    )


def _changed(base: PayerProfile, checks: list[PreventionCheck]) -> PayerProfile:
    """``base`` with the accepted payer-profile changes of ``checks`` laid over it."""
    changes = [(change_named(c.cause), source_of(c)) for c in checks]
    return with_changes(base, [(ch, src) for ch, src in changes if ch is not None])


def payer_profile(
    uow: UnitOfWork, payer: Payer, profiles: Mapping[str, PayerProfile]
) -> PayerProfile:
    """The profile the payer's visits and claims follow: its named profile with the clinic's
    accepted payer-profile changes for this payer (the units a visit counts, the modifiers)."""
    mine = [c for c in uow.appeals.checks("accepted") if c.payer_id == payer.id]
    return _changed(profiles[payer.profile], [c for c in mine if c.profile_change is not None])


def with_clinic_rules(uow: UnitOfWork, run: ScrubContext) -> ScrubContext:
    """The scrub run with the clinic's accepted prevention checks: clinic rules (rule CLN001)
    and each payer's profile with its accepted payer-profile changes."""
    accepted = uow.appeals.checks("accepted")
    rules = tuple(c for c in accepted if c.profile_change is None)
    changed = [c for c in accepted if c.profile_change is not None]
    if not changed:
        return dataclasses.replace(run, clinic_rules=rules)
    payers = {p.id: p for p in uow.payers.all()}
    by_payer: dict[int, list[PreventionCheck]] = {}
    for check in changed:
        by_payer.setdefault(check.payer_id, []).append(check)
    own: dict[str, PayerProfile] = dict(run.payer_profiles)
    for payer_id, checks in by_payer.items():
        payer = payers[payer_id]
        base = run.profiles.get(payer.profile)
        if base is not None:
            own[payer.payer_code.strip().upper()] = _changed(base, checks)
    return dataclasses.replace(run, clinic_rules=rules, payer_profiles=own)
