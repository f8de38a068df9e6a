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
