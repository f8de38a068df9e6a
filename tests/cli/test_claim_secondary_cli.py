"""``otbill claims secondary CLAIM``: a claim whose 835 has not posted is refused in one line."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from otbill.cli import app
from otbill.storage import Database
from otbill.storage.tables import ClaimRow

runner = CliRunner()


def test_a_claim_not_adjudicated_is_refused_naming_it(demo_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    url = f"sqlite:///{path}"
    db = Database(url)
    with db.session() as session:
        number = session.scalars(select(ClaimRow.number).where(ClaimRow.status == "ready")).first()
    db.dispose()
    assert number is not None
    done = runner.invoke(app, ["claims", "secondary", number, "--user", "biller",
                               "--today", "2025-04-01", "--database-url", url])  # fmt: skip
    assert done.exit_code == 2, done.output
    assert f"claim {number}: its payer's 835 has not posted (the claim is ready)" in done.output


def test_the_command_is_listed_under_claims() -> None:
    done = runner.invoke(app, ["claims", "--help"])
    assert "secondary" in done.output
