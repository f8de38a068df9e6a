"""Turn what the 837P reader collected for one claim into a validated :class:`Claim`.

Kept apart from the segment walk so each rule of the mapping reads as one small function, and so
every way a claim can fail — a value the model refuses, a fact the 837 lacks — is reported once,
as an error finding at the claim's CLM naming the field (the same shape as ``ClaimInputError``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any, Protocol

from pydantic import ValidationError

from otbill.domain.claim import (
    Address,
    BillingProvider,
    Claim,
    Patient,
    PayerRef,
    PriorAuthorization,
    Provider,
    ServiceFacility,
    ServiceLine,
    Subscriber,
)
from otbill.x12.findings import X12Finding
from otbill.x12.others_837p import OtherDraft, incomplete_others, other_coverages
from otbill.x12.parties_837p import LineDraft, Party, read_address

__all__ = ["ClaimContext", "ClaimDraft", "build_claim"]

_RELATIONSHIP: dict[str, Any] = {"01": "spouse", "19": "child"}
_TELEHEALTH_POS = frozenset({"02", "10"})


_CACHE_LIMIT = 50_000


def _interned(
    cache: dict[tuple[Any, ...], Any], key: tuple[Any, ...], build: Callable[[], Any]
) -> Any:
    """One validated record per distinct value: a file repeats its providers, payers, addresses
    and often its lines, and pydantic validation is the reader's largest cost."""
    found = cache.get(key)
    if found is None:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()  # bounded: streaming a huge file stays in flat memory
        found = cache[key] = build()
    return found


class _Unbuildable(Exception):
    """A fact the claim needs that the 837 does not give."""


@dataclass(slots=True)
class ClaimDraft:
    position: int
    claim_id: str
    total: Decimal
    place_of_service: str
    frequency: str
    diagnoses: list[str] = field(default_factory=list)
    refs: dict[str, str] = field(default_factory=dict)
    rendering: Party | None = None
    referring: Party | None = None
    facility: Party | None = None
    lines: list[LineDraft] = field(default_factory=list)
    others: list[OtherDraft] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class ClaimContext(Protocol):
    """The loops around the claim, as the reader holds them."""

    @property
    def billing(self) -> Party | None: ...
    @property
    def subscriber(self) -> Party | None: ...
    @property
    def patient(self) -> Party | None: ...
    @property
    def payer(self) -> Party | None: ...
    @property
    def filing(self) -> str: ...
    @property
    def relationship(self) -> str: ...
    @property
    def profile_for(self) -> Callable[[str, str], str]: ...
    @property
    def cache(self) -> dict[tuple[Any, ...], Any]: ...


def _dob(party: Party, loop: str) -> dt.date:
    if party.dob is None:
        raise _Unbuildable(f"{loop} NM1 at segment {party.position} has no DMG date of birth")
    return party.dob


def _billing(party: Party) -> BillingProvider:
    address = read_address(party)
    if address is None:
        raise _Unbuildable(f"billing provider (segment {party.position}) has no usable US address")
    if party.tax_id is None:
        raise _Unbuildable(f"billing provider (segment {party.position}) has no REF*EI tax ID")
    return BillingProvider(
        name=party.last,
        npi=party.ident,
        tax_id=party.tax_id,
        address=address,
        taxonomy=party.taxonomy,
        pay_to=read_address(party.pay_to) if party.pay_to is not None else None,
    )


def _facility(party: Party | None) -> ServiceFacility | None:
    address = read_address(party) if party is not None else None
    if party is None or address is None or not party.last:
        return None
    return ServiceFacility(name=party.last, address=address)


def _provider(party: Party | None) -> Provider | None:
    if party is None or not party.person or not (party.first and party.last and party.ident):
        return None  # an organisation, or no name or NPI: otbill's Provider is a person with one
    return Provider(
        npi=party.ident, first_name=party.first, last_name=party.last, taxonomy=party.taxonomy
    )


def _address(cache: dict[tuple[Any, ...], Any], party: Party) -> Address | None:
    key = ("address", party.line1, party.line2, party.city, party.state, party.zip)
    address: Address | None = cache.get(key)
    if address is None and key not in cache:
        address = cache[key] = read_address(party)
    return address


def _people(ctx: ClaimContext) -> tuple[Patient, Subscriber | None]:
    insured = ctx.subscriber
    if insured is None:
        raise _Unbuildable("no subscriber (2010BA NM1*IL) before the claim")
    if ctx.patient is None:
        patient = Patient(
            id=insured.ident,
            first_name=insured.first,
            last_name=insured.last,
            dob=_dob(insured, "2010BA"),
            sex=insured.sex,  # type: ignore[arg-type]
            member_id=insured.ident,
            address=_address(ctx.cache, insured),
        )
        return patient, None
    who = ctx.patient
    patient = Patient(
        id=insured.ident,
        first_name=who.first,
        last_name=who.last,
        dob=_dob(who, "2010CA"),
        sex=who.sex,  # type: ignore[arg-type]
        member_id=insured.ident,
        address=_address(ctx.cache, who),
    )
    subscriber = Subscriber(
        first_name=insured.first,
        last_name=insured.last,
        dob=insured.dob,  # situational in 2010BA when the subscriber is not the patient
        sex=insured.sex or "U",  # type: ignore[arg-type]
        member_id=insured.ident,
        address=_address(ctx.cache, insured),
        relationship=_RELATIONSHIP.get(ctx.relationship, "other"),
    )
    return patient, subscriber


def _line(line: LineDraft) -> ServiceLine:
    if line.date is None:
        raise _Unbuildable(f"service line at segment {line.position} has no DTP*472 date")
    if line.units != line.units.to_integral_value():
        raise _Unbuildable(f"SV104 at segment {line.position} is {line.units}, not whole units")
    minutes = int(line.units) if line.unit_basis == "MJ" else None
    return ServiceLine(
        date=line.date,
        code=line.code,
        charge=line.charge,
        units=0 if minutes is not None else int(line.units),
        minutes=minutes,
        modifiers=line.modifiers,
        dx_pointers=line.pointers,
        rendering_npi=line.rendering_npi,
    )


def _line_key(line: LineDraft) -> tuple[Any, ...]:
    return ("line", line.date, line.code, str(line.charge), str(line.units), line.unit_basis,
            line.modifiers, line.pointers, line.rendering_npi)  # fmt: skip


def _party_key(party: Party) -> tuple[Any, ...]:
    pay = party.pay_to
    pay_key = (pay.line1, pay.line2, pay.city, pay.state, pay.zip) if pay is not None else None
    return ("party", party.last, party.first, party.ident, party.person, party.line1, party.line2,
            party.city, party.state, party.zip, party.tax_id, party.taxonomy, pay_key)  # fmt: skip


def _cached_provider(cache: dict[tuple[Any, ...], Any], party: Party | None) -> Provider | None:
    if party is None:
        return None
    provider: Provider | None = _interned(cache, ("provider", *_party_key(party)),
                                          partial(_provider, party))  # fmt: skip
    return provider


def _claim(draft: ClaimDraft, ctx: ClaimContext) -> Claim:
    if draft.problems:
        raise _Unbuildable("; ".join(draft.problems))
    if ctx.billing is None or ctx.payer is None:
        raise _Unbuildable("no billing provider (NM1*85) or payer (NM1*PR) before the claim")
    patient, subscriber = _people(ctx)
    cache = ctx.cache
    lines = tuple(_interned(cache, _line_key(line), partial(_line, line)) for line in draft.lines)
    profile = ctx.profile_for(ctx.filing, ctx.payer.ident)
    payer_party = ctx.payer
    payer = _interned(
        cache,
        ("payer", profile, payer_party.ident, payer_party.last),
        partial(PayerRef, profile=profile, payer_id=payer_party.ident, name=payer_party.last),
    )
    auth = None
    if "G1" in draft.refs and lines:
        days = sorted(line.date for line in lines)
        auth = PriorAuthorization(number=draft.refs["G1"], from_=days[0], to=days[-1])  # type: ignore[call-arg]
    return Claim(
        claim_id=draft.claim_id,
        payer=payer,
        patient=patient,
        billing_provider=_interned(cache, _party_key(ctx.billing), partial(_billing, ctx.billing)),
        lines=lines,
        place_of_service=draft.place_of_service,
        diagnoses=tuple(draft.diagnoses),
        subscriber=subscriber,
        rendering_provider=_cached_provider(cache, draft.rendering),
        referring_provider=_cached_provider(cache, draft.referring),
        service_facility=_facility(draft.facility),
        prior_authorization=auth,
        other_coverages=other_coverages(
            draft.others, ctx.profile_for, partial(_address, ctx.cache)
        ),
        telehealth=draft.place_of_service in _TELEHEALTH_POS,
        frequency_code=draft.frequency,  # type: ignore[arg-type]
        original_claim_number=draft.refs.get("F8"),
        total_charge=draft.total,
        source="x12",
    )


def _explain(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '(claim)'}: {e['msg']}"
        for e in exc.errors(include_url=False)
    )


def build_claim(draft: ClaimDraft, ctx: ClaimContext, findings: list[X12Finding]) -> Claim | None:
    """The claim, or None with an error finding at its CLM saying why it cannot be built."""
    findings.extend(incomplete_others(draft.others, draft.position, draft.claim_id))
    try:
        return _claim(draft, ctx)
    except _Unbuildable as exc:
        message = str(exc)
    except ValidationError as exc:
        message = _explain(exc)
    findings.append(
        X12Finding(
            "error", draft.position, "CLM", None, f"claim {draft.claim_id!r} skipped: {message}"
        )
    )
    return None
