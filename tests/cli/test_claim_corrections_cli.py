"""``otbill claims correct`` and ``otbill claims void``: the new claim in one line; refusals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from otbill.cli import app
from otbill.demo.data import DEMO_AS_OF
from otbill.services.claims import lifecycle as claims
from otbill.storage import Database
from otbill.storage.tables import ClaimRow, UserRow

runner = CliRunner()


def _sent(demo_template: Path, tmp_path: Path, payer_numbers: list[str | None]):
    """A demo copy with ready claims sent and accepted (payer's numbers as given)."""
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    url = f"sqlite:///{path}"
    db = Database(url)
    with db.session() as session:
        ids = {u.username: u.id for u in session.scalars(select(UserRow))}
        ready = session.scalars(
            select(ClaimRow).where(ClaimRow.status == "ready").order_by(ClaimRow.id)
        ).all()[: len(payer_numbers)]
        numbers = [c.number for c in ready]
    with db.unit_of_work(1, ids["approver"]) as uow:
        for claim in ready:
            claims.approve(uow, claim.id, DEMO_AS_OF)
        claims.submit(uow, [c.id for c in ready])
        for claim, payer in zip(ready, payer_numbers, strict=True):
            claims.respond(uow, claim.id, True, payer)
    db.dispose()
    return url, numbers


def _run(url: str, *args: str, **kw):
    return runner.invoke(app, ["claims", *args, "--user", "biller", "--today", "2025-04-01",
                               "--database-url", url], **kw)  # fmt: skip


def test_correct_and_void_print_the_new_claim(demo_template: Path, tmp_path: Path) -> None:
    url, (one, two) = _sent(demo_template, tmp_path, ["ICN-1", "ICN-2"])
    done = _run(url, "correct", one, "--reason", "wrong units")
    assert done.exit_code == 0, done.output
    assert done.output.startswith(f"claim {one}-71 (id ")
    assert f"a corrected claim (frequency 7) of claim {one}, citing the payer" in done.output
    assert "ICN-1 (REF*F8)" in done.output
    voided = _run(url, "void", two, "--reason", "not seen", "--yes", "--json")
    assert voided.exit_code == 0, voided.output
    body = json.loads(voided.output)
    assert body["number"] == f"{two}-81" and body["frequency"] == "8"
    assert body["payer_claim_number"] == "ICN-2"


def test_void_asks_first_and_refusals_are_one_line(demo_template: Path, tmp_path: Path) -> None:
    url, (numbered, bare) = _sent(demo_template, tmp_path, ["ICN-1", None])
    kept = _run(url, "void", numbered, "--reason", "x", input="n\n")
    assert kept.exit_code == 1 and "nothing voided" in kept.output
    refused = _run(url, "correct", bare, "--reason", "wrong units")
    assert refused.exit_code == 2
    assert (
        "the payer's claim number is needed for REF*F8: it arrives with the 277CA or the 835"
        in (refused.output)
    )
    again = _run(url, "void", numbered, "--reason", "x", input="y\n")
    assert again.exit_code == 0, again.output
    twice = _run(url, "correct", numbered, "--reason", "x")
    assert twice.exit_code == 2 and f"already has a void, claim {numbered}-81" in twice.output
    missing = _run(url, "correct", "C-NOPE", "--reason", "x")
    assert missing.exit_code == 2 and "claim C-NOPE: not found in this clinic" in missing.output
