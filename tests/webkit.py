"""Helpers for web tests: a demo-clinic database built once per run, copied for each test."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from otbill.rules.registry import load_rules
from otbill.services.demo import load_demo
from otbill.services.scrub import build_scrub_context
from otbill.settings import Settings
from otbill.storage import Database
from otbill.web.app import create_app

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
    load_demo(db, build_scrub_context(settings, DEMO_TODAY), load_rules())
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
