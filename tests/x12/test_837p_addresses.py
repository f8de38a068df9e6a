"""What the clinic entered at setup reaches the 837P: the pay-to address (loop 2010AB) when
payments go elsewhere, and the service facility (loop 2310C) when the visit was elsewhere; the
files stay pyx12-clean."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from otbill.domain.claim import Address, ServiceFacility
from otbill.x12.findings import X12Error
from otbill.x12.read_837p import read_837p
from otbill.x12.write_837p import Submission, write_837p
from support.x12kit import demo_claims, pyx12_errors

SUBMISSION = Submission(created=dt.datetime(2025, 2, 20, 10, 30), control_number=7)
LOCKBOX = Address(line1="PO Box 4410", city="Dallas", state="TX", zip="752654410")
ANNEX = Address(line1="500 River Rd", line2="Suite 2", city="Austin", state="TX", zip="787052201")


def _with_addresses() -> list:  # type: ignore[type-arg]
    claims = demo_claims()
    billing = dataclasses.replace(claims[0].billing_provider, pay_to=LOCKBOX)
    first = dataclasses.replace(
        claims[0], billing_provider=billing,
        service_facility=ServiceFacility(name="Hands On OT River Annex", address=ANNEX),
    )  # fmt: skip
    same_place = dataclasses.replace(
        claims[1],
        service_facility=ServiceFacility(name="Main", address=claims[1].billing_provider.address),
    )
    return [first, same_place, *claims[2:]]


def test_pay_to_and_service_facility_are_written_and_pyx12_clean() -> None:
    text = write_837p(_with_addresses(), SUBMISSION)
    assert pyx12_errors(text) == []
    lines = text.splitlines()
    at = lines.index("NM1*87*2~")
    assert lines[at + 1 : at + 3] == ["N3*PO Box 4410~", "N4*Dallas*TX*752654410~"]
    assert lines[at - 1].startswith("REF*EI*")  # right after the billing provider (2010AA)
    at = lines.index("NM1*77*2*Hands On OT River Annex~")
    assert lines[at + 1 : at + 3] == ["N3*500 River Rd*Suite 2~", "N4*Austin*TX*787052201~"]
    assert lines[at + 3].startswith("LX*1")  # after the rendering provider, before the lines
    assert sum(line.startswith("NM1*77*") for line in lines) == 1  # not at the billing address


def test_without_them_nothing_changes() -> None:
    text = write_837p(demo_claims(), SUBMISSION)
    assert not any(line.startswith(("NM1*87*", "NM1*77*")) for line in text.splitlines())


def test_pay_to_at_the_billing_address_is_not_written() -> None:
    claims = demo_claims()
    billing = claims[0].billing_provider
    same = dataclasses.replace(billing, pay_to=billing.address)
    text = write_837p([dataclasses.replace(claims[0], billing_provider=same)], SUBMISSION)
    assert "NM1*87*2~" not in text.splitlines()


def test_a_service_facility_needs_zip_plus_4() -> None:
    claims = demo_claims()
    five = dataclasses.replace(ANNEX, zip="78705")
    away = dataclasses.replace(
        claims[0], service_facility=ServiceFacility(name="Annex", address=five)
    )
    with pytest.raises(X12Error, match=r"service_facility.address.zip must have 9 digits"):
        write_837p([away], SUBMISSION)


def test_the_reader_reads_them_back() -> None:
    written = _with_addresses()
    result = read_837p(write_837p(written, SUBMISSION).encode())
    assert [f for f in result.findings if f.severity == "error"] == []
    by_id = {c.claim_id: c for c in result.claims}
    first = by_id[written[0].claim_id]
    assert first.billing_provider.pay_to == LOCKBOX
    assert first.service_facility == written[0].service_facility
    assert by_id[written[1].claim_id].service_facility is None  # at the billing address
    assert all(c.billing_provider.pay_to is None for c in result.claims if c is not first)
