"""The price list: the charge master's price per code in force on a day, a later change beside
it, payers' own rows left out; published unless the admin hides it (audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from otbill.domain.record_errors import PermissionDenied
from otbill.services.clinic import setup as clinic
from otbill.services.frontdesk.price_list import price_list, public_price_list, set_publish_prices
from otbill.storage import Database
from support.clinickit import seed_clinic


def test_charge_master_prices_in_force_with_their_dates(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        clinic.set_fee(uow, code="97530", charge=Decimal("99"), allowed=Decimal("50"),
                       effective_from=dt.date(2025, 1, 1), payer_id=ids.commercial)  # fmt: skip
        clinic.set_fee(uow, code="97530", charge=Decimal("65"), allowed=Decimal("45"),
                       effective_from=dt.date(2025, 6, 1))  # fmt: skip
        clinic.set_fee(uow, code="97112", charge=Decimal("62"), allowed=Decimal("45"),
                       effective_from=dt.date(2025, 9, 1))  # fmt: skip
        before = price_list(uow, dt.date(2025, 3, 1))
        after = price_list(uow, dt.date(2025, 6, 1))
    lines = {line.code: line for line in before.lines}
    assert sorted(lines) == ["97110", "97140", "97150", "97165", "97530", "97535"]  # 97112 later
    assert (lines["97530"].price, lines["97530"].since) == (Decimal("60.00"), dt.date(2024, 1, 1))
    assert (lines["97530"].next_price, lines["97530"].next_from) == (
        Decimal("65.00"),
        dt.date(2025, 6, 1),
    )
    assert lines["97530"].change == "from 2025-06-01: $65.00"
    assert lines["97530"].unit == "each 15 minutes" and lines["97165"].unit == "per session"
    assert "97530" in lines and lines["97530"].description.startswith("Therapeutic activities")
    moved = {line.code: line for line in after.lines}["97530"]
    assert (moved.price, moved.since, moved.next_price) == (Decimal("65.00"), dt.date(2025, 6, 1),
                                                            None)  # fmt: skip
    assert before.clinic_name == "Hands On OT HOT" and before.address.endswith("TX 78701")
    assert before.published


def test_hidden_list_is_not_public_and_the_change_is_audited(db: Database) -> None:
    ids = seed_clinic(db)
    assert public_price_list(db, "HOT", dt.date(2025, 3, 1)) is not None
    assert public_price_list(db, "NOPE", dt.date(2025, 3, 1)) is None
    with db.unit_of_work(ids.clinic, ids.biller) as uow, pytest.raises(PermissionDenied):
        set_publish_prices(uow, False)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        set_publish_prices(uow, False)
    assert public_price_list(db, "HOT", dt.date(2025, 3, 1)) is None
    with db.unit_of_work(ids.clinic) as uow:
        assert not price_list(uow, dt.date(2025, 3, 1)).published
        assert uow.audit_reads.has_action("clinic.publish_prices", "clinic")
    other = seed_clinic(db, "TWO", n=1)
    assert public_price_list(db, "TWO", dt.date(2025, 3, 1)) is not None  # per clinic
    assert other.clinic != ids.clinic
