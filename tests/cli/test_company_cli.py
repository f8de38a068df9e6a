"""``otbill company``: the operator creates a billing company and its owner, grants and revokes a
clinic, and lists who may work where; refusals are one line and exit 2."""

from __future__ import annotations

from typer.testing import CliRunner

from otbill.cli import app

CREATE = [
    "clinic", "create", "--code", "EAST", "--name", "Eastside OT PLLC", "--tax-id", "04-2103594",
    "--npi", "1234567893", "--street", "9 Elm St", "--city", "Salem", "--state", "MA",
    "--zip", "01970", "--admin-username", "boss", "--admin-name", "Bo Boss",
]  # fmt: skip


def test_the_operator_sets_up_a_company_and_grants_a_clinic(tmp_path, monkeypatch):
    monkeypatch.setenv("OTBILL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("OTBILL_ADMIN_PASSWORD", "a-long-password")
    monkeypatch.setenv("OTBILL_COMPANY_PASSWORD", "company-password")
    url = ["--database-url", f"sqlite:///{tmp_path / 'c.db'}"]
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, [*args, *url])
        return result.exit_code, result.output

    assert run(*CREATE)[0] == 0
    assert run("company", "create", "acme", "Acme OT Billing") == (0, "company ACME created\n")
    assert run("company", "add-user", "ACME", "jo", "--name", "Jo Biller", "--owner")[0] == 0
    code, out = run("company", "grant", "ACME", "jo", "EAST", "--role", "biller")
    assert code == 0 and "ACME/jo may work in EAST as biller" in out
    code, out = run("company", "list")
    assert code == 0 and "ACME: Acme OT Billing" in out and "jo (owner): EAST (biller)" in out
    code, out = run("company", "revoke", "ACME", "jo", "EAST")
    assert code == 0 and "no longer works in EAST" in out
    assert "jo (owner): no clinics" in run("company", "list")[1]
    assert run("company", "revoke", "ACME", "jo", "EAST")[0] == 2
    code, out = run("company", "grant", "ACME", "nobody", "EAST", "--role", "biller")
    assert code == 2 and "no user 'nobody' in company ACME" in out
    code, out = run("company", "create", "EAST", "Clash")
    assert code == 2 and "a clinic or company has it already" in out
    code, out = run("company", "grant", "ACME", "jo", "EAST", "--role", "pilot")
    assert code == 2 and "roles" in out


def test_a_company_user_changes_their_password_and_the_operator_deactivates_them(
    tmp_path, monkeypatch
):
    from sqlalchemy import text

    from otbill.services.clinic.companies import company_login
    from otbill.storage import Database

    monkeypatch.setenv("OTBILL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("OTBILL_ADMIN_PASSWORD", "a-long-password")
    monkeypatch.setenv("OTBILL_COMPANY_PASSWORD", "company-password")
    address = f"sqlite:///{tmp_path / 'c.db'}"
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, [*args, "--database-url", address])
        return result.exit_code, result.output

    assert run(*CREATE)[0] == 0
    assert run("company", "create", "ACME", "Acme OT Billing")[0] == 0
    assert run("company", "add-user", "ACME", "sam", "--name", "Sam Biller")[0] == 0
    assert run("company", "grant", "ACME", "sam", "EAST", "--role", "biller")[0] == 0
    db = Database(address)

    monkeypatch.setenv("OTBILL_COMPANY_CURRENT_PASSWORD", "not-the-password")
    monkeypatch.setenv("OTBILL_COMPANY_PASSWORD", "a-new-password-2")
    assert run("company", "password", "ACME", "sam") == (
        2,
        "otbill: error: current password: wrong\n",
    )
    monkeypatch.setenv("OTBILL_COMPANY_CURRENT_PASSWORD", "company-password")
    code, out = run("company", "password", "ACME", "sam")
    assert code == 0 and "password of ACME/sam changed" in out
    assert company_login(db, "ACME", "sam", "company-password") is None
    assert company_login(db, "ACME", "sam", "a-new-password-2") is not None

    code, out = run("company", "deactivate", "ACME", "sam")
    assert code == 0 and "ACME/sam deactivated: no login; 0 session(s) ended" in out
    assert company_login(db, "ACME", "sam", "a-new-password-2") is None
    assert "sam (deactivated): no clinics" in run("company", "list")[1]
    assert run("company", "deactivate", "ACME", "sam") == (
        2,
        "otbill: error: user sam: already deactivated\n",
    )
    code, out = run("company", "reactivate", "ACME", "sam")
    assert code == 0 and "ACME/sam reactivated: may log in again (1 clinic(s) granted)" in out
    assert company_login(db, "ACME", "sam", "a-new-password-2") is not None
    assert "sam: EAST (biller)" in run("company", "list")[1]
    assert run("company", "deactivate", "ACME", "kim") == (
        2,
        "otbill: error: user kim: no such user in company ACME\n",
    )

    with db.engine.connect() as conn:
        actions = conn.execute(text("SELECT action FROM audit_event WHERE action LIKE 'company.%'"))
        assert list(actions.scalars()) == [
            "company.grant", "company.password", "company.deactivate", "company.reactivate",
        ]  # fmt: skip
