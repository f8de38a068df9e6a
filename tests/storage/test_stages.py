"""Bulk writes under row-level security remember their stage (a temporary table) and that the
policy holds, with the connection: later writes skip both questions, and a stage made in a
transaction that rolled back is made again (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, text

from otbill.storage import Database
from otbill.storage.bulk_rows import write_rows
from otbill.storage.tables import PatientRow
from support.clinickit import seed_clinic
from support.rlskit import plain_role_database

pytestmark = pytest.mark.postgres
_ = plain_role_database  # the fixture, used by name


def _patients(clinic: int, first: int) -> list[dict[str, object]]:
    return [{"clinic_id": clinic, "mrn": f"T{n}", "first_name": "Ann", "last_name": f"L{n}",
             "dob": dt.date(1950, 1, 1), "sex": "F"} for n in range(first, first + 2)]  # fmt: skip


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _asked(sent: list[str]) -> tuple[int, int]:
    """(stages made, policy checks) among the statements sent."""
    made = sum("CREATE TEMPORARY TABLE" in s for s in sent)
    return made, sum("row_security_active" in s for s in sent)


def test_a_stage_is_made_once_a_connection_and_again_after_a_rollback(
    plain_role_database: Database,
) -> None:
    db = plain_role_database
    clinic = seed_clinic(db, "STG", 1).clinic
    connections = set()

    def write(first: int, *, fail: bool = False) -> tuple[int, int]:
        with _statements(db) as sent:
            try:
                with db.unit_of_work(clinic) as uow:
                    connections.add(id(uow.session.connection().connection.dbapi_connection))
                    write_rows(uow.session, PatientRow, _patients(clinic, first))
                    if fail:
                        raise RuntimeError("the step failed")
            except RuntimeError:
                pass
        return _asked(sent)

    assert write(0, fail=True) == (1, 1)  # made, and the policy asked about
    with db.unit_of_work(clinic) as uow:  # a transaction that commits without a bulk write
        uow.session.execute(text("SELECT 1"))
    assert write(2) == (1, 0)  # made again: the rollback took it; the policy's answer was kept
    assert write(4) == (0, 0)  # neither asked again
    assert write(6) == (0, 0)
    assert len(connections) == 1  # one connection throughout (what is remembered is its own)
    with db.unit_of_work(clinic) as uow:
        mrns = uow.session.scalars(text("SELECT mrn FROM patient WHERE mrn LIKE 'T%'")).all()
    assert sorted(mrns) == [f"T{n}" for n in range(2, 8)]  # the rolled-back rows are not there
