"""``otbill plans``: a physician, a referral, a plan, the queue, the PDF, the signature."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pypdf import PdfReader
from typer.testing import CliRunner

from otbill.cli import app
from otbill.storage import Database
from support.clinickit import make_npi, seed_clinic
from support.passwords import fast_password_hashing  # noqa: F401

runner = CliRunner()


def test_physician_referral_plan_queue_pdf_and_signature(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    ids = seed_clinic(Database(url))
    where = ["--database-url", url, "--user", "therapist"]
    start = dt.date.today() - dt.timedelta(days=3)

    def run(*args: str) -> str:
        result = runner.invoke(app, ["plans", *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    physician = run("physician", "--first-name", "Sam", "--last-name", "Ng", "--npi",
                    make_npi(600), "--fax", "512-555-0100", *where).split()[1]  # fmt: skip
    run("referral", "--patient", str(ids.patient), "--physician", physician, "--date",
        start.isoformat(), "--diagnoses", "M62.81", *where)  # fmt: skip
    plan = run("add", "--patient", str(ids.patient), "--physician", physician, "--start",
               start.isoformat(), "--diagnoses", "M62.81", "--goals", "Dress independently",
               "--per-week", "2", "--weeks", "8", *where).split()[3]  # fmt: skip
    queue = json.loads(run("queue", "--json", "--database-url", url))
    states = {q["plan_id"]: q["state"] for q in queue}
    assert states == {ids.plan: "recertification overdue", int(plan): "awaiting signature"}
    out = tmp_path / "request.pdf"
    run("pdf", plan, "--out", str(out), "--database-url", url)
    assert "Dress independently" in PdfReader(out).pages[0].extract_text()
    run("sign", plan, "--received", dt.date.today().isoformat(), *where)
    assert [q["plan_id"] for q in json.loads(run("queue", "--json", "--database-url", url))] == [
        ids.plan
    ]
    assert "signature received" in run("show", plan, "--database-url", url)
    assert make_npi(600) in run("physicians", "--search", "ng", "--database-url", url)
    listed = json.loads(run("list", "--patient", str(ids.patient), "--json", "--database-url", url))
    assert [p["plan_id"] for p in listed] == [int(plan), ids.plan]


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    seed_clinic(Database(url))
    where = ["--database-url", url, "--user", "biller"]
    result = runner.invoke(app, ["plans", "physician", "--first-name", "A", "--last-name", "B",
                                 "--npi", "1234567890", *where])  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.startswith("otbill: error: physician NPI '1234567890': check digit")
    assert result.stderr.count("\n") == 1
    result = runner.invoke(app, ["plans", "sign", "999", "--received", "soon", *where])
    assert result.exit_code == 2 and "--received 'soon'" in result.stderr
    result = runner.invoke(app, ["plans", "show", "999", "--database-url", url])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
