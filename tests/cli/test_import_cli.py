"""``otbill import``: the template files import, bad rows exit 1 naming row and column, bad usage
exits 2 with one line, a re-run imports nothing new."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from otbill.cli import app
from otbill.domain.clinic_setup import Address, Location
from otbill.storage import Database
from support.clinickit import seed_clinic
from support.passwords import fast_password_hashing  # noqa: F401

TEMPLATES = Path(__file__).resolve().parents[2] / "docs" / "import"


def test_import_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/clinic.db"
    ids = seed_clinic(Database(url))
    with Database(url).unit_of_work(ids.clinic, ids.admin) as uow:  # the template's location
        uow.clinics.add_location(
            Location(0, "Main", Address(*uow.clinics.identity().address), "11")
        )
    runner = CliRunner()
    where = ["--database-url", url]

    def run(*args: str, user: str = "admin") -> tuple[int, str]:
        result = runner.invoke(app, ["import", *args, "--user", user, *where])
        return result.exit_code, result.output

    code, out = run("patients", str(TEMPLATES / "patients.csv"), "--dry-run")
    assert code == 0 and "2 rows read, 2 imported" not in out and "dry run" in out
    for kind in ("providers", "patients", "coverages", "balances", "appointments"):
        code, out = run(kind, str(TEMPLATES / f"{kind}.csv"))
        assert code == 0 and f"{kind}: 2 rows read, 2 imported, 0 imported before" in out, out
    for kind in ("patients", "appointments"):
        code, out = run(kind, str(TEMPLATES / f"{kind}.csv"))
        assert code == 0 and "0 imported, 2 imported before, 0 refused" in out
    double = tmp_path / "double.csv"
    double.write_text(
        "old_id,old_patient_id,date,start,minutes,old_provider_id\n"
        "D1,P-1002,2025-03-03,09:30,30,T-1\n"
    )
    code, out = run("appointments", str(double), user="biller")
    assert code == 1 and "double.csv: row 2, column start: Rita Cole is already booked" in out

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "old_id,first_name,last_name,dob,sex\nX1,Al,Ok,1950-01-01,M\nX2,Bo,No,1950-01-01,Z\n"
    )
    code, out = run("patients", str(bad))
    assert code == 1 and "bad.csv: row 3, column sex: sex 'Z': F, M or U" in out
    assert "nothing was written" in out
    code, out = run("patients", str(bad), "--skip-bad-rows")
    assert code == 1 and "1 imported" in out

    code, out = run("providers", str(TEMPLATES / "providers.csv"), user="biller")
    assert code == 2 and "needs the admin role" in out
    code, out = run("appointments", str(bad))
    assert code == 2 and "lacks column(s) old_patient_id, date, start, minutes" in out
    code, out = run("visits", str(bad))
    assert code == 2 and "KIND 'visits'" in out
    code, out = run("coverages", str(bad))
    assert code == 2 and "lacks column(s) old_patient_id, payer_code" in out
    code, out = run("patients", str(tmp_path / "missing.csv"))
    assert code == 2 and "cannot read it" in out
