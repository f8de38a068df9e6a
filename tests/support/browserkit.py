"""One live app server per browser-test module, and browser helpers for the end-to-end tests.

Starting uvicorn takes a while; each test instead points the running server at its own app (on
its own copy of the demo database) with ``serve``, so tests never share records.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn
from playwright.sync_api import Page

__all__ = ["DAILY_NOTE", "LiveServer", "log_in", "record_signed_visit"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(self) -> None:
        self.app: Any = None
        self.port = _free_port()
        config = uvicorn.Config(
            self._current_app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            interface="asgi3",  # a bound method: uvicorn would guess ASGI 2
            lifespan="off",  # the apps have no startup work; each test's app is made before use
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    async def _current_app(self, scope: Any, receive: Any, send: Any) -> None:
        assert self.app is not None, "no app is being served: call serve(app) first"
        await self.app(scope, receive, send)

    def serve(self, app: Any) -> LiveServer:
        """Answer every request from now on with ``app``."""
        self.app = app
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the app did not start within 20 s")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def log_in(page: Page, live: LiveServer, username: str, password: str) -> None:
    page.goto(f"{live.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


# A daily note's fields as a therapist fills them (only those the form shows are filled).
DAILY_NOTE = {
    "current_status": "Needs moderate assistance with meal preparation",
    "goals": "Independent simple meal preparation within 6 weeks",
    "response_to_treatment": "Tolerated well; sequencing improved",
    "medical_necessity": "Skilled training and cueing are needed for safety",
    "total_treatment_minutes": "45",
}


def record_signed_visit(
    page: Page, live: LiveServer, patient: int, day: object, minutes: dict[str, int],
    note: dict[str, str] | None = None, note_type: str = "daily",
) -> None:  # fmt: skip
    """A therapist (logged in on ``page``) records a visit (a daily note unless ``note_type``
    says otherwise) with ``minutes`` by code on ``day`` and signs its note."""
    page.goto(f"{live.url}/visits/new")
    page.select_option("[data-testid=patient]", str(patient))
    page.fill("[data-testid=date]", str(day))
    page.select_option("[data-testid=note_type]", note_type)
    for row, (code, spent) in enumerate(minutes.items()):
        page.fill(f"[data-testid=code-{row}]", code)
        page.fill(f"[data-testid=minutes-{row}]", str(spent))
    page.click("[data-testid=record-button]")
    for field, value in (note or DAILY_NOTE).items():
        if page.locator(f"[data-testid=field-{field}]").count():
            page.fill(f"[data-testid=field-{field}]", value)
    page.click("[data-testid=sign-button]")
    page.wait_for_load_state("networkidle")  # the signed page, not the form still showing
    alerts = page.locator(".alert").all_inner_texts()
    assert "Note signed" in page.content(), alerts
