"""Several web processes on one PostgreSQL database (``otbill serve --workers N``): two apps, each
made by its own ``create_app`` with its own engine, stand for two worker processes. What one of
them records (a login, failed logins, a claim's move between queues) the other one sees."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from otbill.services.claims import lifecycle as claims
from otbill.settings import Settings
from otbill.storage import Database
from otbill.web.app import create_app
from support import db_fixtures
from support.claimflow import TODAY
from support.claimflow import ready_claim as _ready_claim
from support.clinickit import seed_clinic
from support.dbkit import pg_schema_url
from support.passwords import fast_password_hashing  # noqa: F401
from support.webkit import csrf_of

# the storage tests' fixtures: a migrated PostgreSQL schema for the run, emptied for each test
db, _pg_schema, _sqlite_template = (
    db_fixtures.db,
    db_fixtures._pg_schema,
    db_fixtures._sqlite_template,
)
pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("db", ["postgres"], indirect=True)]


def _two_workers(folder, schema: str) -> tuple[TestClient, TestClient]:
    settings = Settings(
        data_dir=folder, database_url=pg_schema_url(schema), secret_key="k" * 40
    )  # one data directory and one key, as on one host
    apps = [
        create_app(settings, database=Database(settings.database_url, migrate=False), today=TODAY)
        for _ in range(2)
    ]
    return TestClient(apps[0]), TestClient(apps[1])


def _log_in(client: TestClient, username: str, password: str):
    return client.post(
        "/login",
        data={
            "clinic": "HOT",
            "username": username,
            "password": password,
            "csrf_token": csrf_of(client.get("/login").text),
        },
        follow_redirects=False,
    )


def test_a_session_made_by_one_worker_works_in_the_other(db, tmp_path, _pg_schema) -> None:
    seed_clinic(db)
    one, two = _two_workers(tmp_path, _pg_schema)
    assert _log_in(one, "biller", "pw-biller").status_code == 303
    two.cookies.update(one.cookies)  # the browser's next request lands on the other process
    page = two.get("/queues", follow_redirects=False)
    assert page.status_code == 200
    # its CSRF token too: a form from one process is accepted by the other
    token = csrf_of(page.text)
    assert (
        two.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    )
    one.cookies.update(two.cookies)
    assert one.get("/queues", follow_redirects=False).status_code == 303  # logged out everywhere


def test_failed_logins_counted_by_one_worker_count_in_the_other(db, tmp_path, _pg_schema) -> None:
    seed_clinic(db)
    one, two = _two_workers(tmp_path, _pg_schema)
    for _ in range(4):  # three free failures, then a wait
        assert _log_in(one, "biller", "wrong").status_code == 401
    refused = _log_in(two, "biller", "pw-biller")  # the right password, through the other process
    assert refused.status_code == 429 and "Try again in" in refused.text


def _tab_counts(html: str) -> dict[str, int]:
    found = re.findall(r'data-testid="tab-([a-z]+)" data-count="(\d+)"', html)
    return {name: int(n) for name, n in found}


def test_tab_counts_changed_by_one_worker_are_seen_by_the_other(db, tmp_path, _pg_schema) -> None:
    ids = seed_clinic(db)
    claim_id = _ready_claim(db, ids)
    one, _ = _two_workers(tmp_path, _pg_schema)
    assert _log_in(one, "biller", "pw-biller").status_code == 303
    before = _tab_counts(one.get("/queues").text)  # counted, and kept in this worker's cache
    assert (before["ready"], before["approved"]) == (1, 0)
    with db.unit_of_work(ids.clinic, ids.approver) as uow:  # another process approves it
        claims.approve(uow, claim_id, TODAY)
    after = _tab_counts(one.get("/queues").text)
    assert (after["ready"], after["approved"]) == (0, 1)
