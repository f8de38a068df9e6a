"""A write that finds the database busy is never a 500: a 503 page with Retry-After saying try
again (or, where a form shows its own errors, the same words on the form)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from otbill.storage import engine
from otbill.storage.busy import DatabaseBusy
from support.busykit import hold_write_lock
from support.webkit import app_on_copy, log_in, token


@pytest.fixture
def busy_app(demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)  # a second writer gives up after 0.2 s
    app: Any = app_on_copy(demo_template, tmp_path)

    @app.get("/test/busy")
    def busy() -> None:
        raise DatabaseBusy("database is locked")

    @app.get("/test/locked")
    def locked() -> None:  # a driver error that escaped every unit of work
        raise OperationalError("INSERT ...", {}, sqlite3.OperationalError("database is locked"))

    @app.get("/test/broken")
    def broken() -> None:  # not busy: still the server's own 500
        raise OperationalError("SELECT ...", {}, sqlite3.OperationalError("no such table: x"))

    return app


def test_a_busy_database_is_a_503_page_saying_try_again(busy_app: Any) -> None:
    with TestClient(busy_app, raise_server_exceptions=False) as client:
        log_in(client, "biller")
        for path in ("/test/busy", "/test/locked"):
            page = client.get(path)
            assert page.status_code == 503, page.text[:300]
            assert page.headers["retry-after"] == "5"
            assert "The database is busy, try again in a moment." in page.text
            api = client.get(path, headers={"accept": "application/json"})
            assert api.status_code == 503
            assert api.json()["detail"].startswith("The database is busy")
        assert client.get("/test/broken").status_code == 500


def test_a_form_saved_while_another_writer_holds_the_database_says_busy(busy_app: Any) -> None:
    with TestClient(busy_app, raise_server_exceptions=False) as client:
        log_in(client, "admin")
        form = {"csrf_token": token(client, "/admin/setup"), "name": "Annex",
                "street": "1 Main St", "city": "Springfield", "state": "IL", "zip": "62701",
                "place_of_service": "11"}  # fmt: skip
        holder = hold_write_lock(busy_app.state.db)
        try:
            saved = client.post("/admin/locations", data=form)
        finally:
            holder.rollback()
            holder.close()
    assert saved.status_code in (200, 303, 422, 503), saved.status_code
    assert "the database is busy" in saved.text.lower()
