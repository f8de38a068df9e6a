"""``otbill serve --workers 2`` on PostgreSQL: one migration, then two uvicorn processes that each
answer (the app built from the environment, :mod:`otbill.web.factory`)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from support.dbkit import PG_URL, pg_schema_url

pytestmark = pytest.mark.postgres


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


@pytest.fixture
def schema():
    if os.environ.get("OTBILL_SKIP_POSTGRES") == "1":
        pytest.skip("OTBILL_SKIP_POSTGRES=1")
    name = f"otbill_serve_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def test_two_worker_processes_serve_one_postgresql_database(tmp_path, schema) -> None:
    port = _free_port()
    env = {**os.environ, "OTBILL_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1",
           "OTBILL_DATABASE_URL": pg_schema_url(schema), "OTBILL_CACHE_DIR": str(tmp_path / "c")}  # fmt: skip
    env.pop("OTBILL_SECRET_KEY", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "otbill.cli", "serve", "--port", str(port), "--no-demo",
         "--workers", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        answers: list[int] = []
        while time.monotonic() < deadline and len(answers) < 6:
            try:
                answers.append(httpx.get(f"http://127.0.0.1:{port}/login", timeout=5).status_code)
            except httpx.HTTPError:
                time.sleep(0.3)
        assert len(answers) == 6 and all(code < 500 for code in answers), answers
        workers = [p for p in _children(server.pid) if b"spawn_main" in _cmdline(p)]
        assert len(workers) == 2, workers  # uvicorn's two worker processes
        assert (tmp_path / "secret_key").is_file()  # made once by the parent, before them
    finally:
        server.send_signal(signal.SIGINT)
        try:
            output, _ = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            output, _ = server.communicate()
    assert "2 web processes." in output
    assert "No clinic yet: open" in output  # the first-run code, one for every process
