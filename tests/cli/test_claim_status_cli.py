"""``otbill claims status``: the follow-up queue and one claim's 277 status in plain words."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from otbill.cli import app
from otbill.services.claims.lifecycle import submit
from otbill.storage import Database
from support.clinickit import insert_claim, seed_clinic
from support.passwords import fast_password_hashing  # noqa: F401

runner = CliRunner()


def _setup(tmp_path: Path, *numbers: str) -> tuple[str, list[int], dt.date]:
    """A database with these claims sent; its URL, the claims and the day they were sent."""
    url = f"sqlite:///{tmp_path / 'status.db'}"
    db = Database(url)
    ids = seed_clinic(db)
    claims = [insert_claim(db, ids, number)[0] for number in numbers]
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        submit(uow, claims)
    with db.unit_of_work(ids.clinic) as uow:
        sent = uow.claims.submitted_waiting()[0][1].date()
    return url, claims, sent


def _run(url: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["claims", "status", *args, "--database-url", url])


def test_follow_up_lists_claims_waiting_past_the_payers_days(tmp_path: Path) -> None:
    url, claims, sent = _setup(tmp_path, "C-200", "C-201")
    early = _run(url, "--follow-up", "--today", (sent + dt.timedelta(days=10)).isoformat())
    assert early.exit_code == 0, early.output
    assert early.output.strip() == "no claim is waiting past its payer's follow-up days"
    late = _run(url, "--follow-up", "--today", (sent + dt.timedelta(days=35)).isoformat())
    assert late.exit_code == 0, late.output
    assert "2 claim(s) to follow up with a 276:" in late.output
    assert f"claim C-200 (id {claims[0]}): sent {sent}, 35 days without an answer" in late.output
    rows = json.loads(_run(url, "--follow-up", "--json", "--today",
                           (sent + dt.timedelta(days=35)).isoformat()).output)  # fmt: skip
    assert [r["number"] for r in rows] == ["C-200", "C-201"]


def test_one_claim_is_asked_and_its_status_printed_in_plain_words(tmp_path: Path) -> None:
    url, claims, _ = _setup(tmp_path, "C-206", "C-208")
    denied = _run(url, "C-206", "--user", "biller")
    assert denied.exit_code == 0, denied.output
    assert denied.output.startswith("claim C-206: denied — finalized: denied — included in the")
    missing = _run(url, str(claims[1]), "--user", "biller", "--json")
    assert missing.exit_code == 0, missing.output
    answer = json.loads(missing.output)
    assert answer["outcome"] == "not found" and answer["work_item_id"] is not None
    shown = runner.invoke(app, ["claims", "show", "C-206", "--database-url", url])
    assert "claim status (276/277): finalized: denied" in shown.output


def test_bad_requests_are_one_line_and_exit_2(tmp_path: Path) -> None:
    url, _, _ = _setup(tmp_path, "C-210")
    for args, message in [
        ((), "give either --follow-up or a CLAIM"),
        (("C-210", "--follow-up"), "give either --follow-up or a CLAIM"),
        (("C-210",), "--user: who asks the payer"),
        (("C-999", "--user", "biller"), "C-999"),
    ]:
        result = _run(url, *args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output
