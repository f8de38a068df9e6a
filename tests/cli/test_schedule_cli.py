"""``otbill schedule``: book a weekly series (warnings printed), refuse a double booking and bad
input in one stderr line, list the week, check in twice (one visit), cancel the rest."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from otbill.cli import app
from otbill.storage import Database
from support.clinickit import seed_clinic
from support.passwords import fast_password_hashing  # noqa: F401


def test_schedule_from_the_command_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path}/clinic.db"
    ids = seed_clinic(Database(url))
    runner = CliRunner()
    where = ["--database-url", url]
    who = ["--patient", str(ids.patient), "--therapist", str(ids.otr), "--user", "biller"]
    booked = runner.invoke(app, ["schedule", "book", *who, "--date", "2025-03-03", "--start",
                                 "09:00", "--weekdays", "mon,wed", "--weeks", "2", *where])  # fmt: skip
    assert booked.exit_code == 0, booked.output
    assert "booked appointments 1, 2, 3, 4" in booked.output
    clash = runner.invoke(app, ["schedule", "book", *who, "--date", "2025-03-05", "--start",
                                "09:30", *where])  # fmt: skip
    assert clash.exit_code == 2 and "Rita Cole is already booked 09:00–09:45" in clash.output
    bad = runner.invoke(app, ["schedule", "book", *who, "--date", "2025-03-06", "--start",
                              "9:75", *where])  # fmt: skip
    assert bad.exit_code == 2 and "--start: start time '9:75'" in bad.output
    listed = runner.invoke(
        app, ["schedule", "list", "--day", "2025-03-04", "--week", "--json", *where]
    )
    assert [r["date"] for r in json.loads(listed.output)] == ["2025-03-03", "2025-03-05"]
    first = runner.invoke(app, ["schedule", "check-in", "1", "--user", "biller", *where])
    again = runner.invoke(app, ["schedule", "check-in", "1", "--user", "biller", *where])
    assert "checked in: visit 1" in first.output and "already checked in: visit 1" in again.output
    cancelled = runner.invoke(app, ["schedule", "cancel", "2", "--rest-of-series", "--user",
                                    "biller", *where])  # fmt: skip
    assert cancelled.exit_code == 0 and "cancelled 3 appointment(s)" in cancelled.output
    therapist = runner.invoke(app, ["schedule", "cancel", "1", "--user", "therapist", *where])
    assert therapist.exit_code == 2
    missed = runner.invoke(app, ["schedule", "no-show", "2", "--user", "biller", *where])
    assert missed.exit_code == 2 and "only a booked one can be a no-show" in missed.output
    shown = runner.invoke(app, ["schedule", "show", "1", *where])
    assert (
        shown.exit_code == 0
        and "Lee, Ann  with Rita Cole, OTR/L  daily  checked-in" in shown.output
    )
