"""``otbill selfpay``: rules and packages (admin), household, sale and account (desk); refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from otbill.cli import app as root
from otbill.cli.self_pay import app
from otbill.storage import Database
from otbill.storage.tables import PatientRow

runner = CliRunner()


def _db(demo_template: Path, tmp_path: Path) -> tuple[str, int]:
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    url = f"sqlite:///{path}"
    db = Database(url)
    with db.session() as session, session.begin():
        patient = session.scalars(select(PatientRow).order_by(PatientRow.id)).first()
        patient.self_pay = True
        pid = patient.id
    db.dispose()
    return url, pid


def _run(url: str, *args: str):
    return runner.invoke(app, [*args, "--database-url", url])


def test_a_clinic_sets_rules_and_sells_a_package(demo_template: Path, tmp_path: Path) -> None:
    url, patient = _db(demo_template, tmp_path)
    out = _run(url, "prompt-pay", "10", "--from", "2025-01-01", "--user", "admin")
    assert out.exit_code == 0 and "prompt pay from 2025-01-01: 10% off" in out.output
    out = _run(url, "sliding-scale", "--from", "2025-01-01", "--tier", "150:50", "--tier",
               "200:25", "--guideline-first", "15650", "--guideline-each-more", "5500",
               "--user", "admin")  # fmt: skip
    assert out.exit_code == 0, out.output
    out = _run(url, "package-add", "Ten visits", "--visits", "10", "--price", "900", "--days",
               "180", "--user", "admin")  # fmt: skip
    assert out.exit_code == 0, out.output
    package = out.output.split()[1].rstrip(":")
    shown = runner.invoke(root, ["selfpay", "show", "--today", "2025-04-01", "--database-url", url])
    assert "prompt pay: 10% off when paid at the visit (from 2025-01-01)" in shown.output
    assert "up to 150%: 50% off; up to 200%: 25% off" in shown.output
    assert f"package {package}: Ten visits: 10 visits for $900.00, good 180 days" in shown.output
    out = _run(url, "household", str(patient), "--size", "2", "--income", "30000", "--user",
               "biller", "--today", "2025-04-01")  # fmt: skip
    assert out.exit_code == 0, out.output
    out = _run(url, "sell", str(patient), package, "--user", "biller", "--today", "2025-04-01")
    assert out.exit_code == 0, out.output
    account = _run(url, "account", str(patient), "--today", "2025-04-01")
    assert "package Ten visits: 10 of 10 visits left, good to 2025-09-27" in account.output
    assert "package-sale" in account.output and "self-pay entries in all: 900.00" in account.output


def test_refusals_are_one_line(demo_template: Path, tmp_path: Path) -> None:
    url, patient = _db(demo_template, tmp_path)
    out = _run(url, "prompt-pay", "10", "--from", "2025-01-01", "--user", "biller")
    assert out.exit_code == 2 and "needs the admin role" in out.output
    out = _run(url, "sliding-scale", "--from", "2025-01-01", "--tier", "lots", "--guideline-first",
               "15650", "--guideline-each-more", "5500", "--user", "admin")  # fmt: skip
    assert out.exit_code == 2 and "--tier 'lots': income percent:percent off" in out.output
    out = _run(url, "sell", str(patient), "999", "--user", "biller")
    assert out.exit_code == 2 and "not found in this clinic" in out.output
