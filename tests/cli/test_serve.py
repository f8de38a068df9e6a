"""``otbill serve`` as ``make run`` starts it: empty database → migrated, demo loaded, users printed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_on_an_empty_database_loads_the_demo_and_prints_its_users(tmp_path):
    port = _free_port()
    env = {**os.environ, "OTBILL_DATA_DIR": str(tmp_path), "OTBILL_DATABASE_URL": ""}
    server = subprocess.Popen(
        [sys.executable, "-m", "otbill.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 240  # cold start, migration and demo load on a busy machine
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code
            except httpx.HTTPError:
                time.sleep(0.3)
        assert status == 200
        anonymous = httpx.get(f"http://127.0.0.1:{port}/queues", follow_redirects=False)
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert "Loaded the demo clinic" in output
    assert "biller     password demo-biller" in output and "roles: approver, auditor" in output
    assert (tmp_path / "otbill.db").exists()


def test_the_demo_serves_the_payer_simulator_on_loopback_over_core(tmp_path):
    """The demo's eligibility, claim status and 278 exchanges go over CAQH CORE HTTP to a payer
    simulator on loopback, so trying the demo tries the real transport; the URL is printed."""
    import datetime as dt

    from otbill.clearinghouse.core_http import CoreHttpTransport
    from otbill.domain.eligibility import Inquiry, Person
    from otbill.x12.read_271 import read_271
    from otbill.x12.write_270 import write_270

    port = _free_port()
    env = {**os.environ, "OTBILL_DATA_DIR": str(tmp_path), "OTBILL_DATABASE_URL": "",
           "PYTHONUNBUFFERED": "1"}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "otbill.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = ""
        for line in server.stdout:  # printed before the web server starts
            if line.startswith("Payers (270/271, 276/277, 278)"):
                url = line.rsplit(" ", 1)[-1].strip()
                break
        assert url.startswith("http://127.0.0.1:") and url.endswith("/core")
        inquiry = Inquiry(
            trace="SERVE-1", payer_name="ACME", payer_id="12345", provider_name="RIVER OT",
            provider_npi="1234567893", subscriber=Person("JANE", "DOE", dt.date(1970, 1, 1), "F"),
            member_id="ABC120", date_of_service=dt.date(2025, 3, 3), service_types=("AD",),
            originator="1123456789",
        )  # fmt: skip
        line = CoreHttpTransport(url, "OTBILL", "SIMULATOR", timeout=10.0)
        answer = read_271(line.exchange(write_270(inquiry).encode())).answer_for("SERVE-1")
        assert answer is not None and answer.member_id == "ABC120"
    finally:
        server.terminate()
        server.communicate(timeout=20)
