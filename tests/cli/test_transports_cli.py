"""Choosing the real-time transport from the command line (otbill.cli.transports)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from otbill.clearinghouse.core_http import CoreHttpTransport
from otbill.clearinghouse.core_soap import CoreSoapTransport
from otbill.clearinghouse.json_api import JsonApiTransport
from otbill.clearinghouse.realtime import InProcessTransport
from otbill.clearinghouse.simulator.servers import serve_payers
from otbill.cli import app
from otbill.cli.transports import describe, realtime_transport
from otbill.services.claims.lifecycle import submit
from otbill.storage import Database
from support.clinickit import insert_claim, seed_clinic
from support.passwords import fast_password_hashing  # noqa: F401

runner = CliRunner()
ENV = {"OTBILL_CORE_USER": "clinic", "OTBILL_CORE_PASSWORD": "s3cret",
       "OTBILL_CLEARINGHOUSE_TOKEN": "tok-1"}  # fmt: skip


def _sent_claim(tmp_path: Path, number: str) -> str:
    url = f"sqlite:///{tmp_path / 'transports.db'}"
    db = Database(url)
    ids = seed_clinic(db)
    claim, *_ = insert_claim(db, ids, number)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        submit(uow, [claim])
    return url


@pytest.mark.parametrize("kind", ["core", "soap", "json"])
def test_claims_status_asks_a_clearinghouse_over_the_chosen_transport(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    url = _sent_claim(tmp_path, "C-306")
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    with serve_payers(user="clinic", password="s3cret", token="tok-1") as sim:
        endpoint = {"core": sim.core_url, "soap": sim.soap_url, "json": sim.json_url}[kind]
        result = runner.invoke(app, ["claims", "status", "C-306", "--user", "biller",
                                     "--transport", kind, "--url", endpoint, "--receiver", "SIM",
                                     "--database-url", url])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("claim C-306: denied — finalized: denied")
    assert list(sim.log.by_trace) == ["C-306"] and sim.log.duplicates() == {}


def test_refused_credentials_are_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _sent_claim(tmp_path, "C-304")
    monkeypatch.setenv("OTBILL_CORE_USER", "clinic")
    monkeypatch.setenv("OTBILL_CORE_PASSWORD", "wrong")
    with serve_payers(user="clinic", password="s3cret") as sim:
        result = runner.invoke(app, ["claims", "status", "C-304", "--user", "biller",
                                     "--transport", "soap", "--url", sim.soap_url,
                                     "--receiver", "SIM", "--database-url", url])  # fmt: skip
    # the claim status service keeps a failed exchange as "no response" and queues a person
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("claim C-304: no response — no answer to the 276: ")
    assert (
        "HTTP 401 Unauthorized: SOAP fault Sender: the WS-Security UsernameToken" in result.stdout
    )
    assert "queued for a person" in result.stdout
    assert sum(sim.log.by_payload_id.values()) == 0


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (("ftp", "https://ch.example/x", "CH"), {}, "--transport 'ftp': one of simulator, core"),
        (("core", "", "CH"), {}, "--url: the clearinghouse's address is needed"),
        (("soap", "http://ch.example/x", "CH"), {}, "--url 'http://ch.example/x': an https://"),
        (("core", "https://ch.example/x", ""), {}, "--receiver: the clearinghouse's receiver ID"),
        (("json", "https://ch.example/x", "CH"), {}, "OTBILL_CLEARINGHOUSE_TOKEN: the"),
        (("core", "https://ch.example/x", "CH"), {"OTBILL_CLIENT_CERT": "/nonexistent.pem"},
         "OTBILL_CLIENT_CERT '/nonexistent.pem': not a readable PEM"),
    ],
)  # fmt: skip
def test_unusable_options_name_the_option(
    args: tuple[str, str, str], env: dict[str, str], message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    with pytest.raises(typer.Exit) as stopped:
        realtime_transport("276", *args, env=env)
    assert stopped.value.exit_code == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("otbill: error: ") and message in line, line


def test_each_choice_gives_its_transport_for_the_transaction() -> None:
    simulated = realtime_transport("270")
    assert isinstance(simulated, InProcessTransport)
    core = realtime_transport("278", "core", "https://ch.example/core", "CH", env=ENV)
    assert isinstance(core, CoreHttpTransport) and core.transaction == "278"
    assert (core.username, core.password, core.receiver_id) == ("clinic", "s3cret", "CH")
    soap = realtime_transport("276", "soap", "https://ch.example/soap", "CH", env=ENV)
    assert isinstance(soap, CoreSoapTransport) and soap.transaction == "276"
    api = realtime_transport("270", "json", "https://ch.example/api", "CH", env=ENV)
    assert isinstance(api, JsonApiTransport) and api.token == "tok-1"
    assert api.endpoint() == "https://ch.example/api/270"
    assert describe("simulator", "") == "payer simulator"
    assert describe("soap", "https://ch.example/soap") == "https://ch.example/soap"


def test_the_simulator_choice_wraps_the_payer_of_each_transaction() -> None:
    payers = {t: realtime_transport(t) for t in ("270", "276", "278")}
    kinds = {
        t: type(p.payer).__name__ for t, p in payers.items() if isinstance(p, InProcessTransport)
    }
    assert kinds == {"270": "SimulatedEligibilityPayer", "276": "SimulatedClaimStatusPayer",
                     "278": "SimulatedPriorAuthPayer"}  # fmt: skip


def test_claims_status_defaults_to_the_simulator(tmp_path: Path) -> None:
    url = _sent_claim(tmp_path, "C-302")
    on = dt.date.today().isoformat()
    result = runner.invoke(app, ["claims", "status", "C-302", "--user", "biller", "--today", on,
                                 "--database-url", url])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("claim C-302: pending")
