"""Browser tests: the real app served by uvicorn on loopback, driven by Playwright in Debian's
Chromium (/usr/bin/chromium, headless, --no-sandbox). Playwright cannot download a browser here,
so a missing Chromium fails the run loudly (`make test` installs it) — it is never skipped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from support.browserkit import LiveServer
from support.passwords import fast_password_hashing  # noqa: F401
from support.webkit import app_on_copy

CHROMIUM = os.environ.get("OTBILL_CHROMIUM", "/usr/bin/chromium")
# Flags from the machine guide: no sandbox as root, and no background calls to a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# One server and one browser per test module, not per run: Playwright's sync API keeps an event
# loop running in the main thread while it is open, which would break asyncio.run() in any test
# that runs after these (tests/clearinghouse/test_sftp.py does), and a module's end closes it.
@pytest.fixture(scope="module")
def live_server():
    with LiveServer() as server:
        yield server


@pytest.fixture
def live(live_server, demo_template, tmp_path):
    """The module's one server, answering with this test's app on its own copy of the demo."""
    app = app_on_copy(demo_template, tmp_path)
    yield live_server.serve(app)
    live_server.serve(None)
    app.state.db.dispose()


@pytest.fixture(scope="module")
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make chromium` (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
