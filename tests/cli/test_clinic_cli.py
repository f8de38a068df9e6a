"""``otbill clinic``: a billing company creates a clinic and sets it up from the command line."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time

import httpx
from typer.testing import CliRunner

from otbill.cli import app

CREATE = [
    "clinic", "create", "--code", "EAST", "--name", "Eastside OT PLLC", "--tax-id", "04-2103594",
    "--npi", "1234567893", "--street", "9 Elm St", "--city", "Salem", "--state", "MA",
    "--zip", "01970", "--admin-username", "boss", "--admin-name", "Bo Boss",
]  # fmt: skip


def test_clinic_create_list_and_setup(tmp_path, monkeypatch):
    monkeypatch.setenv("OTBILL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("OTBILL_ADMIN_PASSWORD", "a-long-password")
    url = ["--database-url", f"sqlite:///{tmp_path / 'c.db'}"]
    runner = CliRunner()
    made = runner.invoke(app, [*CREATE, *url])
    assert made.exit_code == 0, made.output
    assert "clinic EAST created" in made.output
    again = runner.invoke(app, [*CREATE, *url])
    assert again.exit_code == 2 and "clinic code EAST: already taken" in again.output
    listed = runner.invoke(app, ["clinic", "list", *url])
    assert "EAST" in listed.output and "1 clinic(s)" in listed.output

    where = ["--clinic", "EAST", *url]
    otr = ["clinic", "add-provider", "--first-name", "Ann", "--last-name", "Lee",
           "--credential", "OTR/L", "--npi", "1245319599", *where]  # fmt: skip
    assert runner.invoke(app, otr).exit_code == 0
    same_npi = runner.invoke(app, [*otr[: -len(where) - 2], "--npi", "1234567893", *where])
    assert same_npi.exit_code == 2 and "organisation NPI" in same_npi.output
    cota = ["clinic", "add-provider", "--first-name", "Cy", "--last-name", "Ko",
            "--credential", "COTA", "--npi", "1003000126", *where]  # fmt: skip
    missing = runner.invoke(app, cota)
    assert missing.exit_code == 2 and "needs a supervising therapist" in missing.output
    assert runner.invoke(app, [*cota, "--supervisor-id", "1"]).exit_code == 0
    payer = ["clinic", "add-payer", "--name", "Medicare", "--payer-id", "04412",
             "--profile", "medicare", "--timely-filing-days", "365", *where]  # fmt: skip
    assert runner.invoke(app, payer).exit_code == 0, runner.invoke(app, payer).output
    fee = ["clinic", "set-fee", "--code", "97530", "--charge", "80", "--rate", "36.30",
           "--year", "2025", "--payer", "1", *where]  # fmt: skip
    assert runner.invoke(app, fee).exit_code == 0
    bad_fee = runner.invoke(app, [*fee[:3], "9753X", *fee[4:]])
    assert bad_fee.exit_code == 2 and "fee code" in bad_fee.output
    place = ["clinic", "add-location", "--name", "Main", "--street", "9 Elm St", "--city",
             "Salem", "--state", "MA", "--zip", "01970", "--place-of-service", "99x", *where]  # fmt: skip
    bad_place = runner.invoke(app, place)
    assert bad_place.exit_code == 2 and "place of service" in bad_place.output
    good = [*place[: place.index("99x")], "11", *where]
    assert runner.invoke(app, good).exit_code == 0, runner.invoke(app, good).output
    off = runner.invoke(app, ["clinic", "location-use", "1", "off", *where])
    assert off.exit_code == 0 and "location Main taken out of use" in off.output
    bad_use = runner.invoke(app, ["clinic", "location-use", "1", "maybe", *where])
    assert bad_use.exit_code == 2 and "on or off" in bad_use.output
    missing = runner.invoke(app, ["clinic", "location-use", "99", "on", *where])
    assert missing.exit_code == 2 and "99" in missing.output
    overhead = ["clinic", "add-overhead", "--month", "2025-01", "--category", "rent",
                "--amount", "4200", *where]  # fmt: skip
    assert runner.invoke(app, overhead).exit_code == 0
    user = ["clinic", "add-user", "--username", "fd", "--full-name", "Front Desk",
            "--role", "front-desk", *where]  # fmt: skip
    assert runner.invoke(app, user).exit_code == 0
    wrong = runner.invoke(app, ["clinic", "add-user", "--username", "fd2", "--full-name", "X",
                                "--role", "boss", *where])  # fmt: skip
    assert wrong.exit_code == 2 and "roles are" in wrong.output


def test_serve_without_the_demo_leads_to_the_first_run(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {**os.environ, "OTBILL_DATA_DIR": str(tmp_path), "OTBILL_DATABASE_URL": ""}
    server = subprocess.Popen(
        [sys.executable, "-m", "otbill.cli", "serve", "--no-demo", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline, answer = time.monotonic() + 90, None
        while time.monotonic() < deadline and answer is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
            except httpx.HTTPError:
                time.sleep(0.3)
        assert answer is not None and answer.status_code == 303
        assert answer.headers["location"] == "/setup"
        setup = httpx.get(f"http://127.0.0.1:{port}/setup", timeout=5)
        assert setup.status_code == 200 and "set up your clinic" in setup.text
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert "Loaded the demo clinic" not in output
    printed = re.search(r"/setup\?code=(\S+) to create it", output)
    assert printed, output  # the first-run code is shown only in the server's console
    assert printed.group(1) not in setup.text
