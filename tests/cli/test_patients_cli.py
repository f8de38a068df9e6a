"""``otbill patients`` and ``otbill coverage``: register, search, show, add and end coverage."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from otbill.cli import app
from otbill.services.clinic import setup as clinic
from otbill.storage import Database
from support.clinickit import seed_clinic
from support.passwords import fast_password_hashing  # noqa: F401


def test_front_desk_from_the_command_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path}/clinic.db"
    db = Database(url)
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        clinic.add_user(
            uow,
            username="desk",
            full_name="Dee Desk",
            password="pw-desk-long",
            roles=["front-desk"],
        )
    runner = CliRunner()
    where = ["--database-url", url]
    patient = [
        "patients",
        "add",
        "--first",
        "Maya",
        "--last",
        "Ortiz",
        "--dob",
        "1950-07-14",
        "--sex",
        "F",
        "--address",
        "12 Elm St, Austin, TX, 78702",
        "--user",
        "biller",
    ]
    added = runner.invoke(app, [*patient, *where])
    assert added.exit_code == 0, added.output
    assert "account number 00000001" in added.output
    again = runner.invoke(app, [*patient, *where])
    assert again.exit_code == 2 and "possible duplicate" in again.output
    assert runner.invoke(app, [*patient, "--duplicate-ok", *where]).exit_code == 0
    therapist = runner.invoke(app, [*patient[:-1], "therapist", "--duplicate-ok", *where])
    assert therapist.exit_code == 2 and "needs the front-desk or biller role" in therapist.output
    future = runner.invoke(app, [*patient[:6], "--dob", "2999-01-01", *patient[8:], *where])
    assert future.exit_code == 2 and "date of birth 2999-01-01: is in the future" in future.output

    found = runner.invoke(app, ["patients", "search", "ortiz", "--json", *where])
    listing = json.loads(found.output)
    assert listing["total"] == 2
    patient_id = str(listing["patients"][0]["id"])

    card = [
        "coverage",
        "add",
        patient_id,
        "--payer",
        "00435",
        "--from",
        "2025-01-01",
        "--user",
        "biller",
        *where,
    ]
    bad = runner.invoke(app, [*card, "--member-id", "1EG4TE5MK7"])
    assert bad.exit_code == 2 and "not a Medicare MBI: an MBI is 11 characters" in bad.output
    assert len(bad.output.strip().splitlines()) == 1
    good = runner.invoke(app, [*card, "--member-id", "1EG4TE5MK72"])
    assert good.exit_code == 0, good.output
    coverage_id = good.output.split()[1]
    check = ["coverage", "check", coverage_id, "--user", "biller", *where]
    checked = runner.invoke(app, [*check, "--on", "2025-03-30", "--inactive"])
    assert checked.exit_code == 0, checked.output
    assert (
        f"coverage {coverage_id}: eligibility checked on 2025-03-30, not active" in checked.output
    )
    later = runner.invoke(app, [*check, "--on", "2099-01-01"])
    assert later.exit_code == 2 and "after today" in later.output
    lone = runner.invoke(app, [*card, "--member-id", "2EG4TE5MK72", "--priority", "secondary",
                               "--inactive"])  # fmt: skip
    assert lone.exit_code == 2 and "--eligibility-checked" in lone.output
    ended = runner.invoke(
        app,
        ["coverage", "end", coverage_id, "--last-day", "2025-06-30", "--user", "biller", *where],
    )
    assert ended.exit_code == 0, ended.output
    shown = runner.invoke(app, ["patients", "show", patient_id, *where])
    assert "Medicare Part B member 1EG4TE5MK72 2025-01-01 to 2025-06-30 (ended)" in shown.output
    unknown = runner.invoke(
        app,
        [
            "coverage",
            "add",
            patient_id,
            "--payer",
            "NOPE",
            "--member-id",
            "X",
            "--from",
            "2025-01-01",
            "--user",
            "biller",
            *where,
        ],
    )
    assert unknown.exit_code == 2 and "--payer 'NOPE'" in unknown.output
