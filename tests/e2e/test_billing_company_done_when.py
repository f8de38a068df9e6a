"""Issue 15's "Done when": ``otbill serve --workers 2`` and two ``otbill worker`` processes on a
fresh PostgreSQL schema; three clinics loaded; each clinic's visits driven to posted 835s through
the job queue (pipeline, approval, submission, the clearinghouse simulator, fetching its answers,
the postings); one worker killed with SIGKILL in the middle of a posting; every claim ends as the
same flow leaves it run in this process on SQLite without a kill; and over HTTP each clinic's
user sees only their clinic's claims while the billing company's user sees all three clinics."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from otbill.cli import app as cli
from otbill.domain.jobs import Job
from otbill.services.clinic.wiring import Wiring
from otbill.services.jobs import QueueRunner, job_of, queue_job, run_job
from otbill.settings import load_settings
from otbill.storage import Database
from otbill.storage.tables import ClaimRow
from support.clinickit import Ids
from support.companyflow import (
    PATIENTS,
    VISIT_DAYS,
    LoadedClinic,
    claim_states,
    drive_claims,
    load_clinic,
)
from support.dbkit import pg_schema_url, pg_session_schema

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
CODES = ("NORTH", "SOUTH", "EAST")
COMPANY, BOSS, BOSS_PASSWORD = "ACME", "boss", "company-pass-15"
WAIT = 120.0  # seconds: the longest any one wait of this test may take
# what support.slowed_posting (loaded by the workers only) writes in a posting job's note
WORKER_NOTE = re.compile(r"worker pid (\d+)")


@pytest.fixture
def schema() -> Iterator[str]:
    """A fresh PostgreSQL schema, migrated; dropped afterwards."""
    if os.environ.get("OTBILL_SKIP_POSTGRES") == "1":
        pytest.skip("OTBILL_SKIP_POSTGRES=1")
    yield from pg_session_schema()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Processes:
    """The server and the workers, each with its log; every one stopped in the end."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.started: list[subprocess.Popen[bytes]] = []
        self.workers: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen([sys.executable, "-m", "otbill.cli", *args], env=self.env,
                                   stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        self.started.append(process)
        return process

    def log_tails(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in self.logs.glob("*.log"))

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


@contextmanager
def _served(url: str, folder: Path) -> Iterator[tuple[str, _Processes]]:
    """``otbill serve --workers 2`` and two ``otbill worker`` on ``url``, started: (base URL,
    processes). Nothing waits for the server here: the jobs need only the workers, and the web
    processes start meanwhile (a minute on a busy machine)."""
    (folder / "logs").mkdir(parents=True)
    env = {**os.environ, "OTBILL_DATABASE_URL": url, "OTBILL_DATA_DIR": str(folder / "data"),
           "OTBILL_CACHE_DIR": str(folder / "cache"), "PYTHONUNBUFFERED": "1",
           "OTBILL_JOB_MODULES": "support.slowed_posting",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")])}  # fmt: skip
    env.pop("OTBILL_SECRET_KEY", None)
    processes, port = _Processes(env, folder / "logs"), _free_port()
    try:
        processes.start("serve", "serve", "--port", str(port), "--no-demo", "--workers", "2")
        processes.workers = [
            processes.start(f"worker{n}", "worker", "--stalled-after", "3") for n in (1, 2)
        ]
        yield f"http://127.0.0.1:{port}", processes  # answering once _answers says so

    finally:
        processes.stop_all()


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/login", timeout=5).status_code < 500
    except httpx.HTTPError:
        return False


def _until(ready: Callable[[], Any], what: str, processes: _Processes | None = None) -> Any:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = ready()
        if found:
            return found
        time.sleep(0.2)
    tails = processes.log_tails() if processes else ""
    pytest.fail(f"waited {WAIT:.0f} s for {what}\n{tails}")


class _QueueDriver:
    """Jobs queued on PostgreSQL (procrastinate) and run by the ``otbill worker`` processes."""

    def __init__(self, db: Database, processes: _Processes) -> None:
        self.db, self.processes, self.runner = db, processes, QueueRunner(db)

    def queue(self, clinic: Ids, kind: str, arguments: dict[str, Any], key: str) -> Job:
        return queue_job(self.db, self.runner, clinic.clinic, clinic.biller, kind, arguments, key)

    def finish(self, clinic: Ids, job_id: int) -> Job:
        def ended() -> Job | None:
            job = job_of(self.db, clinic.clinic, job_id)
            return job if job.state in ("done", "failed") else None

        return _until(ended, f"job {job_id} to end", self.processes)  # type: ignore[no-any-return]


class _InProcessDriver:
    """The reference run: every job run here, one after another, as it is queued."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.context = {"wiring": Wiring.load(load_settings()), "job_runner": self}

    def submit(self, job: Job) -> None:
        """Kept: :meth:`finish` runs it (the posting jobs ``exchange.fetch`` queues too)."""

    def lost(self, job: Job) -> bool:
        return False

    def queue(self, clinic: Ids, kind: str, arguments: dict[str, Any], key: str) -> Job:
        return queue_job(self.db, self, clinic.clinic, clinic.biller, kind, arguments, key)

    def finish(self, clinic: Ids, job_id: int) -> Job:
        return run_job(self.db, clinic.clinic, job_id, self.context)


def _three_clinics_and_a_company(db: Database, url: str, data: Path) -> list[LoadedClinic]:
    clinics = [load_clinic(db, code, n) for n, code in enumerate(CODES, start=1)]
    runner = CliRunner(env={"OTBILL_COMPANY_PASSWORD": BOSS_PASSWORD, "OTBILL_DATA_DIR": str(data)})

    def company(*args: str) -> None:
        result = runner.invoke(cli, ["company", *args, "--database-url", url])
        assert result.exit_code == 0, result.output

    company("create", COMPANY, "Acme OT Billing")
    company("add-user", COMPANY, BOSS, "--name", "Bo Boss", "--owner")
    for code in CODES:
        company("grant", COMPANY, BOSS, code, "--role", "biller")
    return clinics


def _kill_a_worker_mid_posting(
    db: Database, processes: _Processes, stopped: dict[str, int]
) -> Callable[[list[tuple[Ids, int]]], None]:
    """Once a posting is a few claims in, SIGKILL the worker running it (its pid is in the job's
    note); ``stopped`` gets the job and how far it had come."""
    pids = {p.pid: p for p in processes.workers}

    def midway() -> tuple[Job, subprocess.Popen[bytes]] | None:
        for ids, job_id in jobs:
            job = job_of(db, ids.clinic, job_id)
            note = WORKER_NOTE.fullmatch(job.note)
            pid = int(note.group(1)) if note else None
            if job.state == "running" and 3 <= job.done < job.total - 3 and pid in pids:
                return job, pids[pid]
        return None

    def kill(queued: list[tuple[Ids, int]]) -> None:
        jobs[:] = queued
        job, worker = _until(midway, "a posting job to be a few claims in", processes)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        stopped.update(job=job.id, clinic=job.clinic_id, done=job.done)

    jobs: list[tuple[Ids, int]] = []
    return kill


@contextmanager
def _logged_in(base: str, clinic: str, username: str, password: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=30) as client:
        page = client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        data = {"clinic": clinic, "username": username, "password": password,
                "csrf_token": csrf.group(1) if csrf else ""}  # fmt: skip
        answer = client.post("/login", data=data)
        assert answer.status_code == 303, answer.text
        yield client


def _claim_ids(db: Database, clinic: Ids) -> set[int]:
    with db.unit_of_work(clinic.clinic) as uow:
        return {claim.id for claim in uow.records.find(ClaimRow)}


def _each_clinic_sees_only_its_claims(db: Database, base: str, clinics: list[LoadedClinic]) -> None:
    ids = {c.code: _claim_ids(db, c.ids) for c in clinics}
    for c in clinics:
        with _logged_in(base, c.code, "biller", "pw-biller") as client:
            found = client.get("/claims")
            assert found.status_code == 200
            assert set(map(int, re.findall(r'href="/claims/(\d+)"', found.text))) == ids[c.code]
            for other in clinics:
                if other is not c:
                    claim = min(ids[other.code])
                    assert client.get(f"/claims/{claim}").status_code == 404, (c.code, claim)


def _the_company_user_sees_all_three(db: Database, base: str, clinics: list[LoadedClinic]) -> None:
    with _logged_in(base, COMPANY, BOSS, BOSS_PASSWORD) as client:
        dashboard = client.get("/company")
        assert dashboard.status_code == 200
        assert set(re.findall(r'data-clinic="(\w+)"', dashboard.text)) == set(CODES)
        queue = client.get("/company/queue", params={"tab": "ready"})
        assert queue.status_code == 200
        shown = set(map(int, re.findall(r'name="next" value="/claims/(\d+)"', queue.text)))
        for c in clinics:  # the one claim each clinic left unapproved
            with db.unit_of_work(c.ids.clinic) as uow:
                ready = {r.id for r in uow.records.find(ClaimRow, ClaimRow.status == "ready")}
            assert ready and ready <= shown, (c.code, ready, shown)


def test_a_billing_company_day_on_postgresql_survives_a_killed_worker(
    schema: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg_schema_url(schema)
    db = Database(url, migrate=False)
    stopped: dict[str, int] = {}
    try:
        with _served(url, tmp_path / "pg") as (base, processes):
            clinics = _three_clinics_and_a_company(db, url, tmp_path / "pg" / "data")
            kill = _kill_a_worker_mid_posting(db, processes, stopped)
            postings = drive_claims(db, _QueueDriver(db, processes), clinics, tmp_path / "ch", kill)
            _until(lambda: _answers(base), "the server to answer", processes)
            _each_clinic_sees_only_its_claims(db, base, clinics)
            _the_company_user_sees_all_three(db, base, clinics)
        killed = next(j for j in postings if j.id == stopped["job"])
        assert killed.attempts == 2, killed  # the killed attempt, and the one that finished
        counts = (killed.result or {}).get("counts", {})
        assert counts.get("already_posted_claims", 0) >= stopped["done"] - 1, (counts, stopped)
        after_kill = claim_states(db)
    finally:
        db.dispose()

    monkeypatch.setenv("OTBILL_DATA_DIR", str(tmp_path / "reference-data"))
    reference = Database(f"sqlite:///{tmp_path / 'reference.db'}")
    try:
        ref_clinics = [load_clinic(reference, code, n) for n, code in enumerate(CODES, start=1)]
        drive_claims(reference, _InProcessDriver(reference), ref_clinics, tmp_path / "ref-ch")
        expected = claim_states(reference)
    finally:
        reference.dispose()
    assert len(after_kill) == len(CODES) * PATIENTS * len(VISIT_DAYS)
    assert {state[0] for state in after_kill.values()} >= {"paid", "ready"}
    assert after_kill == expected
