"""``otbill eligibility run --for-date D``: every patient booked on D asked, counts and run id."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from otbill.clearinghouse.simulator.core_server import serve_core
from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer
from otbill.cli import app
from otbill.domain.schedule import Appointment
from otbill.services.frontdesk import patients
from otbill.storage import Database
from support.clinickit import seed_clinic
from support.passwords import fast_password_hashing  # noqa: F401

runner = CliRunner()
DAY = dt.date.today() + dt.timedelta(days=1)


def _setup(tmp_path: Path, members: list[str]) -> str:
    url = f"sqlite:///{tmp_path / 'batch.db'}"
    db = Database(url)
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        for n, member in enumerate(members):
            patient = patients.add_patient(uow, mrn=f"R{n}", first_name=f"Ro{n}", last_name="Run",
                                           dob=dt.date(1960, 1, 1 + n), sex="M")  # fmt: skip
            patients.add_coverage(uow, patient_id=patient, payer_id=ids.commercial,
                                  member_id=member, effective_from=dt.date(2024, 1, 1))  # fmt: skip
            uow.schedule.add(Appointment(0, ids.otr, None, patient, None, DAY, 480 + 30 * n, 30,
                                         "daily"))  # fmt: skip
    return url


def _run(url: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["eligibility", "run", *args, "--database-url", url])


def test_run_asks_everyone_booked_and_prints_the_counts_and_run_id(tmp_path: Path) -> None:
    url = _setup(tmp_path, ["ACM100", "ACM106", "ACM107", "ACM101"])
    result = _run(url, "--for-date", DAY.isoformat(), "--user", "biller", "--concurrency", "2")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("eligibility run ")
    assert lines[0].endswith(f"for {DAY} (scheduled, payer simulator): 4 coverage(s)")
    assert lines[1:] == ["  active: 2", "  inactive: 1", "  not verified: 1", "  failed: 0"]
    run_id = lines[0].split()[2]
    assert f"2 to look at: see the run's page /eligibility/runs/{run_id}" in result.stderr
    again = _run(url, "--for-date", DAY.isoformat(), "--user", "biller", "--json")
    data = json.loads(again.stdout)
    assert data["run_id"] != int(run_id)  # the first finished: a new run, nothing asked again
    assert (data["total"], data["active"], data["inactive"]) == (4, 2, 1)


def test_run_over_core_http_and_for_a_plan_year(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    url = _setup(tmp_path, ["ACM200", "ACM201", "ACM202"])
    payer = SimulatedEligibilityPayer()
    with serve_core(payer) as endpoint:
        result = _run(url, "--for-date", DAY.isoformat(), "--user", "biller", "--json",
                      "--transport", "core", "--url", endpoint, "--receiver", "SIM",
                      "--concurrency", "4", "--processes", "2")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["active"] == 3 and len(payer.requests) == 3
    year = _run(url, "--for-date", DAY.isoformat(), "--plan-year", "--user", "biller", "--json")
    data = json.loads(year.stdout)
    assert (data["kind"], data["total"], data["active"]) == ("plan-year", 3, 3)


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    url = _setup(tmp_path, ["ACM300"])
    cases = [
        (["--for-date", "tomorrow", "--user", "biller"], "--for-date 'tomorrow'"),
        (["--for-date", DAY.isoformat(), "--user", "biller", "--concurrency", "0"],
         "--concurrency 0: between 1 and 64"),
        (["--for-date", DAY.isoformat(), "--user", "nobody"], "no user 'nobody'"),
        (["--for-date", DAY.isoformat(), "--user", "biller", "--processes", "2"],
         "--processes 2: worker processes need a clearinghouse"),
        (["--for-date", DAY.isoformat(), "--user", "biller", "--transport", "fax"],
         "--transport 'fax': one of simulator, core, soap, json"),
    ]  # fmt: skip
    for args, message in cases:
        result = _run(url, *args)
        assert result.exit_code == 2, (args, result.output)
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("otbill: error: ") and message in line, line
