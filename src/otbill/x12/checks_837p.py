"""Why a claim cannot go into an 837P: the writer's refusals, each naming the claim field.

These are not scrubber rules (payer policy lives in ``rules/``); they are what the 005010X222A1
format itself needs: values the segments require, element lengths, and no separator characters
inside data (a ``*`` in a name would shift every later element of its segment).
"""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Address, Claim, Provider

__all__ = ["SEPARATORS", "check_claim"]

SEPARATORS = frozenset("*:^~")
_MAX_DIAGNOSES = 12


def _text(value: str | None, name: str, max_len: int) -> Iterator[str]:
    if value is None:
        return
    bad = sorted(SEPARATORS.intersection(value))
    if bad:
        yield f"{name} contains the X12 separator {''.join(bad)!r}"
    if not value.isascii():
        yield f"{name} has characters outside ASCII, which X12 5010 does not carry"
    if len(value) > max_len:
        yield f"{name} is {len(value)} characters, the 837P allows {max_len}"


def _address(address: Address, name: str) -> Iterator[str]:
    yield from _text(address.line1, f"{name}.line1", 55)
    yield from _text(address.line2, f"{name}.line2", 55)
    yield from _text(address.city, f"{name}.city", 30)


def _provider(provider: Provider | None, name: str) -> Iterator[str]:
    if provider is None:
        return
    yield from _text(provider.last_name, f"{name}.last_name", 60)
    yield from _text(provider.first_name, f"{name}.first_name", 35)
    if not (provider.npi.isdigit() and len(provider.npi) == 10):
        yield f"{name}.npi {provider.npi!r} is not a 10-digit NPI"


def _parties(claim: Claim) -> Iterator[str]:
    bp, patient, sub = claim.billing_provider, claim.patient, claim.subscriber
    yield from _text(bp.name, "billing_provider.name", 60)
    yield from _address(bp.address, "billing_provider.address")
    if len(bp.address.zip) != 9:
        yield "billing_provider.address.zip must have 9 digits (ZIP+4) in 2010AA"
    if not (bp.npi.isdigit() and len(bp.npi) == 10):
        yield f"billing_provider.npi {bp.npi!r} is not a 10-digit NPI"
    if bp.pay_to is not None:
        yield from _address(bp.pay_to, "billing_provider.pay_to")
    facility = claim.service_facility
    if facility is not None and facility.address != bp.address:
        yield from _text(facility.name, "service_facility.name", 60)
        yield from _address(facility.address, "service_facility.address")
        if len(facility.address.zip) != 9:
            yield "service_facility.address.zip must have 9 digits (ZIP+4) in 2310C"
    yield from _text(claim.payer.name, "payer.name", 60)
    yield from _text(claim.payer.payer_id, "payer.payer_id", 80)
    yield from _text(patient.last_name, "patient.last_name", 60)
    yield from _text(patient.first_name, "patient.first_name", 35)
    if patient.address is None:
        yield "patient.address is required (2010BA/2010CA N3/N4)"
    else:
        yield from _address(patient.address, "patient.address")
    if sub is None:
        yield from _text(patient.member_id, "patient.member_id", 80)
    else:
        yield from _text(sub.last_name, "subscriber.last_name", 60)
        yield from _text(sub.first_name, "subscriber.first_name", 35)
        yield from _text(sub.member_id, "subscriber.member_id", 80)
        if sub.address is not None:
            yield from _address(sub.address, "subscriber.address")
    yield from _provider(claim.rendering_provider, "rendering_provider")
    yield from _provider(claim.referring_provider, "referring_provider")
    yield from _other_coverages(claim)


def _other_coverages(claim: Claim) -> Iterator[str]:
    for n, other in enumerate(claim.other_coverages, start=1):
        name = f"other_coverages[{n}]"
        yield from _text(other.last_name, f"{name}.last_name", 60)
        yield from _text(other.first_name, f"{name}.first_name", 35)
        yield from _text(other.member_id, f"{name}.member_id", 80)
        yield from _text(other.group_number, f"{name}.group_number", 50)
        yield from _text(other.payer.name, f"{name}.payer.name", 60)
        yield from _text(other.payer.payer_id, f"{name}.payer.payer_id", 80)
        if other.address is not None:
            yield from _address(other.address, f"{name}.address")


def _claim(claim: Claim) -> Iterator[str]:
    yield from _text(claim.claim_id, "claim_id", 38)
    if not claim.diagnoses:
        yield "diagnoses: at least one is required (HI)"
    if len(claim.diagnoses) > _MAX_DIAGNOSES:
        yield f"diagnoses: {len(claim.diagnoses)} given, the 837P carries 12"
    for n, dx in enumerate(claim.diagnoses, start=1):
        yield from _text(dx, f"diagnoses[{n}]", 8)
    if claim.frequency_code in ("7", "8") and not claim.original_claim_number:
        yield f"original_claim_number is required for frequency code {claim.frequency_code} (REF*F8)"
    yield from _text(claim.original_claim_number, "original_claim_number", 50)
    if claim.prior_authorization is not None:
        yield from _text(claim.prior_authorization.number, "prior_authorization.number", 50)
    total = sum(line.charge for line in claim.lines)
    if claim.total_charge is not None and claim.total_charge != total:
        yield f"total_charge {claim.total_charge} differs from the sum of line charges {total}"


def _lines(claim: Claim) -> Iterator[str]:
    rendering = claim.rendering_provider.npi if claim.rendering_provider else None
    for n, line in enumerate(claim.lines, start=1):
        name = f"lines[{n}]"
        yield from _text(line.code, f"{name}.code", 48)
        if len(line.modifiers) > 4:
            yield f"{name}.modifiers: {len(line.modifiers)} given, SV101 carries 4"
        for mod in line.modifiers:
            yield from _text(mod, f"{name}.modifiers", 2)
        if line.charge < 0:
            yield f"{name}.charge is negative"
        if len(line.dx_pointers) > 4:
            yield f"{name}.dx_pointers: {len(line.dx_pointers)} given, SV107 carries 4"
        for pointer in line.dx_pointers:
            if pointer > len(claim.diagnoses):
                yield f"{name}.dx_pointers: {pointer} points past the {len(claim.diagnoses)} diagnoses"
        if line.rendering_npi and line.rendering_npi != rendering:
            yield (
                f"{name}.rendering_npi {line.rendering_npi} differs from the claim's rendering "
                "provider, and the claim has no name for it (2420A NM1 needs one)"
            )


def check_claim(claim: Claim) -> list[str]:
    """Every reason ``claim`` cannot be written as an 837P; empty when it can."""
    return [*_parties(claim), *_claim(claim), *_lines(claim)]
