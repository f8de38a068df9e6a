"""``otbill denials show|packet|checks``: a CO-197 denial's cause and deadline, its packet PDF."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from otbill.cli import app
from otbill.demo.data import DEMO_AS_OF
from otbill.services.claims import lifecycle as claims
from otbill.services.remittances.post import post_remittance
from otbill.storage import Database
from otbill.storage.tables import ClaimRow, DenialRow, UserRow
from support.demoflow import make_835

runner = CliRunner()


def _denied(demo_template: Path, tmp_path: Path) -> tuple[str, int]:
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    url = f"sqlite:///{path}"
    db = Database(url)
    with db.session() as session:
        ids = {u.username: u.id for u in session.scalars(select(UserRow))}
        claim = session.scalars(
            select(ClaimRow).where(ClaimRow.status == "ready").order_by(ClaimRow.id)
        ).first()
    with db.unit_of_work(1, ids["approver"]) as uow:
        claims.approve(uow, claim.id, DEMO_AS_OF)
        claims.submit(uow, [claim.id])
        claims.respond(uow, claim.id, True)
    post_remittance(db, 1, ids["biller"], make_835([(claim, False)]), name="d.835",
                    today=DEMO_AS_OF)  # fmt: skip
    with db.session() as session:
        denial = session.scalars(select(DenialRow)).one()
    db.dispose()
    return url, denial.id


def test_show_packet_and_checks(demo_template: Path, tmp_path: Path) -> None:
    url, denial = _denied(demo_template, tmp_path)
    common = ["--database-url", url]
    shown = runner.invoke(app, ["denials", "show", str(denial), "--today", "2025-04-01", *common])
    assert shown.exit_code == 0, shown.output
    assert "CO-197" in shown.output and "cause: Authorization." in shown.output
    assert "level 1 Appeal by the payer, by 2025-09-21" in shown.output  # commercial: 180 days
    out = tmp_path / "packet.pdf"
    made = runner.invoke(app, ["denials", "packet", str(denial), "--user", "biller", "--out",
                               str(out), *common])  # fmt: skip
    assert made.exit_code == 0, made.output
    assert out.read_bytes().startswith(b"%PDF") and "wrote the appeal packet" in made.output
    again = runner.invoke(app, ["denials", "show", str(denial), *common])
    assert "packet: Authorization on file, draft" in again.output
    listed = runner.invoke(app, ["denials", "checks", *common])
    assert listed.exit_code == 0 and "no prevention checks yet" in listed.output


def test_refusals_are_one_line(demo_template: Path, tmp_path: Path) -> None:
    url, _ = _denied(demo_template, tmp_path)
    missing = runner.invoke(app, ["denials", "show", "999", "--database-url", url])
    assert missing.exit_code == 2 and "999" in missing.output
    nobody = runner.invoke(app, ["denials", "packet", "1", "--user", "nobody", "--out",
                                 str(tmp_path / "x.pdf"), "--database-url", url])  # fmt: skip
    assert nobody.exit_code == 2 and "no user 'nobody'" in nobody.output
