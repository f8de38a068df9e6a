"""A second SQLite writer that waits out the busy timeout gets DatabaseBusy, in plain words."""

from __future__ import annotations

from pathlib import Path

import pytest

from otbill.errors import OtbillError
from otbill.storage import Database
from otbill.storage.busy import DatabaseBusy
from support.busykit import hold_write_lock, sqlite_file_database
from support.clinickit import seed_clinic


@pytest.fixture
def sqlite_db(tmp_path: Path, _sqlite_template: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    return sqlite_file_database(tmp_path, _sqlite_template, monkeypatch)


def test_a_write_that_finds_the_database_locked_raises_database_busy(sqlite_db: Database) -> None:
    ids = seed_clinic(sqlite_db)
    holder = hold_write_lock(sqlite_db)
    try:
        with (
            pytest.raises(DatabaseBusy, match="the database is busy") as caught,
            sqlite_db.unit_of_work(ids.clinic, ids.admin) as uow,
        ):
            uow.audit.record(ids.admin, "test.busy", "clinic", ids.clinic, None, {"x": 1})
    finally:
        holder.rollback()
        holder.close()
    assert isinstance(caught.value, OtbillError)  # the CLI prints it as one line, exit 2
    with sqlite_db.unit_of_work(ids.clinic, ids.admin) as uow:  # nothing half-written
        uow.audit.record(ids.admin, "test.after", "clinic", ids.clinic, None, {"x": 2})
