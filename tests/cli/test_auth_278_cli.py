"""``otbill auth request-278 ID --user U``: ask the payer (the simulator by default), print the
decision in words (or JSON); what cannot be asked is one line on stderr and exit 2."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from otbill.cli import app
from otbill.services.frontdesk.authorizations import open_authorization
from otbill.storage import Database
from support.clinickit import add_commercial_coverage, seed_clinic
from support.passwords import fast_password_hashing  # noqa: F401

runner = CliRunner()


def _setup(tmp_path: Path, member_id: str) -> tuple[str, int]:
    """A database with a requested authorization on a coverage with ``member_id``."""
    url = f"sqlite:///{tmp_path / 'auth278.db'}"
    db = Database(url)
    ids = seed_clinic(db)
    coverage = add_commercial_coverage(db, ids, member_id)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        auth = open_authorization(
            uow, coverage_id=coverage, number="REQ-C1", start=dt.date(2025, 5, 1),
            end=dt.date(2025, 6, 30), codes=["97530"], visits_authorized=10,
        )  # fmt: skip
    return url, auth


def _run(url: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["auth", "request-278", *args, "--database-url", url])


def test_an_approval_is_printed_in_words_and_kept(tmp_path: Path) -> None:
    url, auth = _setup(tmp_path, "CLI100")
    result = _run(url, str(auth), "--user", "biller")
    assert result.exit_code == 0, result.output
    first, second, *lines = result.stdout.splitlines()
    assert (
        first.startswith(f"authorization {auth}, 278 request OTA{auth}-") and "simulator" in first
    )
    assert "approved, authorization number AUTH" in second and "now approved" in second
    assert "  Authorization: approved in full (certified in total)" in lines
    shown = runner.invoke(app, ["auth", "show", str(auth), "--database-url", url])
    assert "approved" in shown.stdout and "10 left" in shown.stdout
    (reply,) = [line for line in shown.stdout.splitlines() if " reply " in line]
    assert "Authorization: approved in full (certified in total); Authorization number" in reply
    assert "(the payer's 278 kept: --json)" in reply and "ISA*" not in shown.stdout


def test_pended_as_json_names_the_owner_and_follow_up(tmp_path: Path) -> None:
    url, auth = _setup(tmp_path, "CLI105")
    result = _run(url, str(auth), "--user", "biller", "--owner", "admin", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["authorization_id"], body["decision"], body["status"]) == (
        auth, "pended", "pending",
    )  # fmt: skip
    assert body["follow_up_on"] and body["owner_id"] and "follow up by" in body["message"]
    queue = json.loads(runner.invoke(app, ["auth", "queue", "--json", "--today", "2025-04-20",
                                           "--database-url", url]).stdout)  # fmt: skip
    (row,) = [r for r in queue["pending"] if r["id"] == auth]
    assert (row["owner"], str(row["follow_up"])) == ("Ada Admin", body["follow_up_on"])


def test_what_cannot_be_asked_is_one_line_and_exit_2(tmp_path: Path) -> None:
    url, auth = _setup(tmp_path, "CLI100")
    assert _run(url, str(auth), "--user", "biller").exit_code == 0
    again = _run(url, str(auth), "--user", "biller")
    assert again.exit_code == 2
    assert again.stderr.strip().splitlines() == [
        "otbill: error: authorization "
        + again.stderr.split("authorization ")[1].split(" ")[0]
        + " is approved: only a requested or pending authorization is sent to the payer"
    ]
    no_url = _run(url, str(auth), "--user", "biller", "--transport", "core")
    assert no_url.exit_code == 2 and "--url" in no_url.stderr
    therapist = _run(url, str(auth), "--user", "therapist")
    assert therapist.exit_code == 2 and len(therapist.stderr.strip().splitlines()) == 1
