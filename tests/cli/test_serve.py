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
        deadline = time.monotonic() + 90
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
