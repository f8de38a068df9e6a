"""Clinic setup services on SQLite and PostgreSQL: the first run, providers, payers, fees,
locations and overhead — checked, audited, and nothing half-written."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from otbill.domain.clinic_setup import Address, Location, PayerTerms, ProviderDetails
from otbill.domain.record_errors import RecordError
from otbill.errors import InvalidCheckDigit
from otbill.services.clinic.identity import (
    FirstRunDone,
    NewAdmin,
    change_clinic,
    checked_clinic,
    first_run,
    needs_first_run,
)
from otbill.services.clinic.locations import add_location, list_locations
from otbill.services.clinic.payers import (
    add_overhead,
    add_payer_terms,
    change_payer,
    fee_comparison,
    set_fee,
)
from otbill.services.clinic.providers import add_provider_details, change_provider
from otbill.services.clinic.setup import add_user, verify_password
from otbill.storage import Database

ADDRESS = ("1 Main St", "Boston", "ma", "02110-1234")
OWNER = NewAdmin("owner", "Olive Owner", "owner-password")


def _clinic(code: str = "NORTH", **changes: object):
    values: dict[str, object] = {
        "code": code, "name": "Northside OT", "npi_number": "1234567893",
        "tax_id": "04-2103594", "address": ADDRESS, "taxonomy": "225x00000x",
    } | changes  # fmt: skip
    return checked_clinic(**values)  # type: ignore[arg-type]


def test_a_changed_identity_is_checked_again_even_when_built_by_hand(db: Database) -> None:
    clinic_id, admin_id = first_run(db, _clinic(), OWNER)
    with db.unit_of_work(clinic_id, admin_id) as uow:
        by_hand = replace(
            uow.clinics.identity(), address=("2 Elm St", "Austin", "tx", "78701-1234")
        )
        change_clinic(uow, by_hand)
        assert uow.clinics.identity().address == ("2 Elm St", "Austin", "TX", "787011234")
        with pytest.raises(RecordError, match="ZIP code '7870'"):
            change_clinic(uow, replace(by_hand, address=("2 Elm St", "Austin", "TX", "7870")))


def _otr(npi: str = "1245319599", **changes: object) -> ProviderDetails:
    base = ProviderDetails(0, npi, "Ada", "Ng", "OTR/L", "225X00000X")
    return replace(base, **changes)  # type: ignore[arg-type]


def test_first_run_creates_the_clinic_and_admin_once(db: Database) -> None:
    assert needs_first_run(db)
    clinic_id, admin_id = first_run(db, _clinic(pay_to=("PO Box 7", "Boston", "MA", "02111")),
                                    OWNER)  # fmt: skip
    assert not needs_first_run(db)
    with db.unit_of_work(clinic_id, admin_id) as uow:
        billing = uow.providers.billing()
        assert (billing.code, billing.tax_id, billing.state, billing.zip, billing.taxonomy) == (
            "NORTH", "042103594", "MA", "021101234", "225X00000X")  # fmt: skip
        assert verify_password(uow, "owner", "owner-password") == admin_id
        assert uow.users.roles(admin_id) == ("admin",)
        actions = [e.action for e in uow.audit_reads.events(entity="user", entity_id=str(admin_id))]
    assert "user.create" in actions
    with pytest.raises(FirstRunDone):
        first_run(db, _clinic("SOUTH"), OWNER)
    second, _ = first_run(db, _clinic("SOUTH"), OWNER, only_if_none=False)  # the CLI's way
    assert second != clinic_id
    with pytest.raises(RecordError, match="clinic code SOUTH: already taken"):
        first_run(db, _clinic("SOUTH"), OWNER, only_if_none=False)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tax_id": "00-1234567"}, "tax ID \\(EIN\\) 00-1234567"),
        ({"npi_number": "1234567890"}, "billing NPI '1234567890': check digit"),
        ({"address": ("1 Main St", "Boston", "Mass", "02110")}, "clinic address state"),
        ({"address": ("1 Main St", "Boston", "MA", "2110")}, "clinic address ZIP code"),
        ({"taxonomy": "225X"}, "taxonomy code 225X"),
        ({"pay_to": ("PO Box 7", "", "MA", "02111")}, "pay-to address city: required"),
        ({"code": "a b"}, "clinic code"),
    ],
)
def test_clinic_fields_are_named_when_wrong(changes: dict[str, object], message: str) -> None:
    with pytest.raises((RecordError, InvalidCheckDigit), match=message):
        _clinic(**changes)


def test_providers_rules_and_audit(db: Database) -> None:
    clinic_id, admin_id = first_run(db, _clinic(), OWNER)
    with db.unit_of_work(clinic_id, admin_id) as uow:
        ada = add_provider_details(uow, _otr(hired_on=dt.date(2025, 1, 6), license_state="ma"))
        assert uow.providers.details_of(ada).license_state == "MA"
    bad = [
        (_otr("1234567893"), "the clinic's organisation NPI"),
        (_otr("1003000126", credential="COTA"), "needs a supervising therapist"),
        (_otr("1003000126", credential="MD"), "credential 'MD'"),
        (_otr("1003000126", hired_on=dt.date(2025, 2, 1), terminated_on=dt.date(2025, 1, 1)),
         "before the start date"),
        (_otr("1003000126", supervisor_id=999999), "supervisor 999999 is not a provider here"),
    ]  # fmt: skip
    for details, message in bad:
        with db.unit_of_work(clinic_id, admin_id) as uow, pytest.raises(RecordError, match=message):
            add_provider_details(uow, details)
    with db.unit_of_work(clinic_id, admin_id) as uow:
        cota = add_provider_details(uow, _otr("1003000126", credential="COTA", supervisor_id=ada))
        with pytest.raises(RecordError, match="is an assistant"):
            add_provider_details(uow, _otr("1538144753", credential="OTA", supervisor_id=cota))
    with db.unit_of_work(clinic_id, admin_id) as uow:
        change_provider(uow, _otr(id=ada, terminated_on=dt.date(2025, 12, 31)))
        assert [p.id for p in uow.providers.details()] == sorted([ada, cota])
        events = [e.action for e in uow.audit_reads.events(entity="provider", entity_id=str(ada))]
    assert events == ["provider.create", "provider.change"]


def test_payers_fees_locations_overhead(db: Database) -> None:
    clinic_id, admin_id = first_run(db, _clinic(), OWNER)
    terms = PayerTerms(0, "04412", "Medicare", "medicare", "in",
                       Address("PO Box 1", "Boston", "MA", "02110"), 365, 120, "standard")  # fmt: skip
    with db.unit_of_work(clinic_id, admin_id) as uow:
        medicare = add_payer_terms(uow, terms, known_profiles=["medicare"])
        set_fee(uow, code="97530", charge=Decimal("80"), allowed=Decimal("0"),
                effective_from=dt.date(2025, 1, 1))  # fmt: skip
        set_fee(uow, code="97530", charge=Decimal("0"), allowed=Decimal("36.30"),
                effective_from=dt.date(2025, 1, 1), payer_id=medicare)  # fmt: skip
        add_location(uow, Location(0, "Main", Address(*ADDRESS), "11"), on=dt.date(2025, 1, 2))
        add_overhead(uow, month=dt.date(2025, 3, 15), category="rent", amount=Decimal("4200"))
    with db.unit_of_work(clinic_id, admin_id) as uow:
        [row] = fee_comparison(uow)
        assert (row.code, row.year, row.payer, row.contracted, row.charge) == (
            "97530", 2025, "Medicare", Decimal("36.30"), Decimal("80.00"))  # fmt: skip
        assert [x.address.zip for x in list_locations(uow)] == ["021101234"]
        assert [(o.month, o.amount_cents) for o in uow.clinics.overhead(10)] == [
            (dt.date(2025, 3, 1), 420000)]  # fmt: skip
        change_payer(uow, replace(uow.payers.terms_of(medicare), appeal_days=60))
        assert uow.payers.terms_of(medicare).appeal_days == 60
    refusals = [
        (lambda uow: add_payer_terms(uow, terms, known_profiles=["other"]), "payer profile"),
        (lambda uow: add_payer_terms(uow, PayerTerms(0, "9", "X", "medicare", "maybe"), known_profiles=None), "network status"),
        (lambda uow: add_payer_terms(uow, PayerTerms(0, "9", "X", "medicare", timely_filing_days=40000)), "timely-filing days"),
        (lambda uow: set_fee(uow, code="9753", charge=Decimal(1), allowed=Decimal(1), effective_from=dt.date(2025, 1, 1)), "fee code"),
        (lambda uow: set_fee(uow, code="97110", charge=Decimal(-1), allowed=Decimal(1), effective_from=dt.date(2025, 1, 1)), "charge -1"),
        (lambda uow: add_location(uow, Location(0, "Tele", Address(*ADDRESS), "10"), on=dt.date(2021, 6, 1)), "place of service"),
        (lambda uow: add_overhead(uow, month=dt.date(2025, 3, 1), category=" ", amount=Decimal(1)), "overhead category"),
    ]  # fmt: skip
    for action, message in refusals:
        with db.unit_of_work(clinic_id, admin_id) as uow, pytest.raises(RecordError, match=message):
            action(uow)


def test_a_clinic_user_name_with_a_slash_is_refused(db: Database) -> None:
    with pytest.raises(RecordError, match="no '/'"):
        first_run(db, _clinic(), NewAdmin("acme/jo", "Jo", "owner-password"))
    clinic_id, admin_id = first_run(db, _clinic(), OWNER)
    with db.unit_of_work(clinic_id, admin_id) as uow, pytest.raises(RecordError, match="no '/'"):
        add_user(uow, username="ACME/jo", full_name="Jo", password="x" * 12, roles=["biller"])
