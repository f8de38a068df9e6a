"""Helpers for web tests: a demo-clinic database built once per run, copied for each test.

The demo comes from ``support.democlinic``, so the web, browser and EDI tests share one load."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from otbill.rules.registry import load_rules
from otbill.services.claims.scrub import build_scrub_context
from otbill.settings import Settings
from otbill.storage import Database
from otbill.storage.tables import CoverageRow, PayerRow, ProviderRow, UserRow, VisitRow
from otbill.web.app import create_app
from support.democlinic import load_demo_copy

DEMO_TODAY = dt.date(2025, 4, 1)
PASSWORDS = {
    "admin": "demo-admin",
    "biller": "demo-biller",
    "approver": "demo-approver",
    "rcole": "demo-rcole",
    "mpatel": "demo-mpatel",
    "jdiaz": "demo-jdiaz",
}


def build_demo_database(folder: Path) -> Path:
    path = folder / "demo.db"
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{path}", secret_key="test")
    db = Database(settings.database_url)
    load_demo_copy(db, build_scrub_context(settings, DEMO_TODAY), load_rules())
    db.dispose()
    return path


def app_on_copy(template: Path, folder: Path):
    path = folder / "clinic.db"
    shutil.copyfile(template, path)
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{path}", secret_key="test-secret")
    return create_app(settings, today=DEMO_TODAY)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def log_in(client: TestClient, username: str, password: str | None = None) -> TestClient:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "clinic": "DEMO",
            "username": username,
            "password": password or PASSWORDS[username],
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def token(client: TestClient, path: str = "/") -> str:
    """The CSRF token of the logged-in session (read from any page)."""
    return csrf_of(client.get(path).text)


def provider_of(app, username: str) -> ProviderRow:
    with app.state.db.unit_of_work(1) as uow:
        user = uow.records.first(UserRow, UserRow.username == username)
        return uow.records.first(ProviderRow, ProviderRow.user_id == user.id)


def patient_of(app, username: str = "rcole", profile: str = "medicare") -> int:
    """A patient of this therapist whose primary payer uses ``profile``."""
    provider = provider_of(app, username)
    with app.state.db.unit_of_work(provider.clinic_id) as uow:
        for visit in uow.records.find(VisitRow, VisitRow.provider_id == provider.id):
            coverage = uow.records.get(CoverageRow, visit.coverage_id)
            if uow.records.get(PayerRow, coverage.payer_id).profile == profile:
                return visit.patient_id
    raise AssertionError(f"no {profile} patient for {username}")


def paid_visit_day(app, patient: int, coverage: int | None = None) -> tuple[dt.date, str]:
    """A day after the patient's last visit whose claim the simulator pays in full, and the claim
    number it gets (the simulator sends one claim in eight — SHA-256 of the claim number ≡ 0 mod 8
    — to medical review). ``coverage``: the claim's coverage (default: the patient's first)."""
    with app.state.db.session() as session:
        last = session.scalar(
            select(VisitRow.date)
            .where(VisitRow.patient_id == patient)
            .order_by(VisitRow.date.desc())
        )
        if coverage is None:
            coverage = session.scalar(
                select(CoverageRow.id).where(CoverageRow.patient_id == patient)
            )
    day = (last or DEMO_TODAY - dt.timedelta(days=7)) + dt.timedelta(days=1)
    while True:
        number = f"P{patient}C{coverage}D{day:%Y%m%d}"
        if int(hashlib.sha256(number.encode()).hexdigest(), 16) % 8:
            return day, number
        day += dt.timedelta(days=1)


def record_daily_visit(client: TestClient, patient: int, **note: str) -> int:
    """A therapist (logged in) records a daily visit of 38 minutes of 97110 on 2025-03-31 with
    ``note``'s elements through the visit page; returns the new visit's id."""
    data = {"csrf_token": token(client, "/therapist"), "patient": str(patient),
            "date": "2025-03-31", "place_of_service": "11", "note_type": "daily",
            "code_0": "97110", "minutes_0": "38", **note}  # fmt: skip
    made = client.post("/visits/new", data=data, follow_redirects=False)
    assert made.status_code == 303, made.text
    found = re.search(r"/visits/(\d+)", made.headers["location"])
    assert found, made.headers["location"]
    return int(found.group(1))
