"""Issue 11 item 11: one clinic cannot hold two usernames that differ only in case (0013)."""

from __future__ import annotations

import pytest

from otbill.domain.record_errors import ConstraintViolation, RecordError
from otbill.services.clinic import setup as clinic
from otbill.storage import Database
from support.clinickit import seed_clinic


def test_the_database_refuses_a_username_differing_only_in_case(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic) as uow:
        uow.users.add("Rita", "Rita Cole", "x")
    with db.unit_of_work(ids.clinic) as uow, pytest.raises(ConstraintViolation):
        uow.users.add("rITA", "Someone Else", "x")


def test_adding_a_taken_username_says_so_in_words(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic) as uow:
        clinic.add_user(uow, username="Rita", full_name="Rita Cole", password="p" * 12,
                        roles=["biller"])  # fmt: skip
    with db.unit_of_work(ids.clinic) as uow, pytest.raises(RecordError) as info:
        clinic.add_user(uow, username="RITA", full_name="Other", password="p" * 12,
                        roles=["biller"])  # fmt: skip
    assert str(info.value) == "The user name RITA is taken in this clinic: choose another."
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.users.id_by_username("rita") == uow.users.id_by_username("RiTa") is not None
