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
from collections.abc import Mapping, Sequence

from otbill import clock
from otbill.domain.appeals import DenialEvent, Pattern, PreventionCheck, recurring
from otbill.domain.denial_causes import root_cause
from otbill.domain.lifecycle import Role
from otbill.domain.parties import Payer
from otbill.errors import OtbillError
from otbill.payers import PayerProfile, load_profiles
from otbill.payers.changes import change_named, propose_change, with_changes
from otbill.rules.context import ScrubContext
from otbill.services.clinic.setup import require_role
from otbill.storage import UnitOfWork

__all__ = ["AT_LEAST", "WINDOW_DAYS", "CheckDecided", "decide", "payer_profile", "propose_checks",
           "propose_for_denials", "source_of", "with_clinic_rules"]  # fmt: skip

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
        new.append(_propose(uow, pattern, profiles))
    return new


def _propose(
    uow: UnitOfWork, pattern: Pattern, profiles: Mapping[str, PayerProfile] | None
) -> PreventionCheck:
    """A new proposed check for ``pattern``, with its audit row."""
    cause = _cause(uow, pattern, profiles or _packaged_profiles())
    check = PreventionCheck(
        0, pattern.payer_id, pattern.code, pattern.carc, pattern.with_code, cause,
        pattern.count, pattern.first_on, pattern.last_on, "proposed", clock.utcnow(),
    )  # fmt: skip
    check_id = uow.appeals.add_check(check)
    after = {"payer_id": pattern.payer_id, "code": pattern.code, "carc": pattern.carc,
             "with_code": pattern.with_code, "denials": pattern.count, "cause": cause,
             "first_on": pattern.first_on, "last_on": pattern.last_on}  # fmt: skip
    uow.audit.record(uow.actor_id, "prevention.propose", "prevention_check", check_id, None, after)
    return dataclasses.replace(check, id=check_id)


_Key = tuple[int, str, str]  # payer, code, CARC


@dataclasses.dataclass
class _Proposals:
    """One payer and CARC's denial patterns as new denials are added one at a time: what
    :func:`propose_checks` called after each new denial leaves behind, from one read. Each
    pattern's size (events, last day); its events only where no check was proposed yet (a new
    check is made from them)."""

    uow: UnitOfWork
    today: dt.date
    sizes: dict[_Key, tuple[int, dt.date]]
    items: dict[_Key, list[DenialEvent]]
    kept: dict[_Key, PreventionCheck]
    counts: dict[_Key, tuple[int, dt.date]] = dataclasses.field(default_factory=dict)
    started: bool = False

    def add(self, events: Sequence[DenialEvent]) -> list[PreventionCheck]:
        """One new denial's events; the checks this proposes (as :func:`propose_checks`)."""
        touched = set()
        for e in events:
            if self.today - dt.timedelta(days=WINDOW_DAYS) <= e.denied_on <= self.today:
                key = (e.payer_id, e.code, e.carc)
                count, last = self.sizes.get(key, (0, e.denied_on))
                self.sizes[key] = (count + 1, max(last, e.denied_on))
                if key not in self.kept:
                    self.items.setdefault(key, []).append(e)
                touched.add(key)
        if not self.started:  # the first call looks at every pattern of the payer and CARC
            self.started, touched = True, set(self.sizes)
        new = []
        for key in sorted(touched):
            count, last = self.sizes[key]
            if count < AT_LEAST:
                continue
            kept = self.kept.get(key)
            if kept is None:
                [pattern] = recurring(self.items.pop(key), self.today, window_days=WINDOW_DAYS,
                                      at_least=AT_LEAST)  # fmt: skip
                kept = self.kept[key] = _propose(self.uow, pattern, None)
                new.append(kept)
            if kept.status == "proposed" and count != kept.denials:
                self.counts[key] = (count, last)
                self.kept[key] = dataclasses.replace(kept, denials=count, last_on=last)
        return new

    def counts_by_check(self) -> dict[int, tuple[int, dt.date]]:
        """Check id -> the count and last day to write (once each, as the last call left
        them)."""
        return {self.kept[key].id: size for key, size in self.counts.items()}


def _patterns(
    uow: UnitOfWork,
    today: dt.date,
    payer_id: int,
    carc: str,
    new: Mapping[int, list[DenialEvent]],
    kept: dict[_Key, PreventionCheck],
    sizes: dict[_Key, tuple[int, dt.date]],
) -> _Proposals:
    """The payer and CARC's patterns before the new denials: their ``sizes`` (counted in the
    database), and read event by event only when a pattern has no check yet."""
    since = today - dt.timedelta(days=WINDOW_DAYS)
    keys = set(sizes) | {(e.payer_id, e.code, e.carc) for events in new.values() for e in events}
    items: dict[_Key, list[DenialEvent]] = {}
    if keys - set(kept):
        for denial_id, e in uow.denials.events(since, payer_id, carc):
            if denial_id not in new and since <= e.denied_on <= today:
                items.setdefault((e.payer_id, e.code, e.carc), []).append(e)
    return _Proposals(uow, today, sizes, items, kept)


def propose_for_denials(
    uow: UnitOfWork, today: dt.date, opened: Sequence[tuple[int, int, str]]
) -> list[PreventionCheck]:
    """What :func:`propose_checks` (of the denial's payer and CARC, on ``today``) after each
    of these new denials — (denial id, payer id, CARC), in the order made, already written —
    would propose and update, with a few reads of the new denials and of each payer and CARC's
    patterns instead of a full read a denial (an 835 opens hundreds). Returns the new
    proposals."""
    since = today - dt.timedelta(days=WINDOW_DAYS)
    kinds = list(dict.fromkeys((p, c) for _, p, c in opened))
    by_denial: dict[int, list[DenialEvent]] = {i: [] for i, _, _ in opened}
    for denial_id, event in uow.denials.events(since, only=list(by_denial)):
        by_denial[denial_id].append(event)
    counts = uow.denials.event_counts(since, today, kinds, leave_out=list(by_denial))
    checks = uow.appeals.checks()
    states: dict[tuple[int, str], _Proposals] = {}
    for payer_id, carc in kinds:  # each payer and CARC's patterns, as their own reads gave them
        new = {i: by_denial[i] for i, p, c in opened if (p, c) == (payer_id, carc)}
        kept = {(c.payer_id, c.code, c.carc): c for c in checks
                if (c.payer_id, c.carc) == (payer_id, carc)}  # fmt: skip
        sizes = {k: size for k, size in counts.items() if (k[0], k[2]) == (payer_id, carc)}
        states[payer_id, carc] = _patterns(uow, today, payer_id, carc, new, kept, sizes)
    made = []
    for denial_id, payer_id, carc in opened:
        made += states[payer_id, carc].add(by_denial[denial_id])
    uow.appeals.count_checks(
        {i: n for s in states.values() for i, n in s.counts_by_check().items()}
    )
    return made


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
