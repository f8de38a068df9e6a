"""``otbill payments``: take a card payment by reference (a card number refused in one line),
refund the credit, and the day's deposit that balances (text, JSON and PDF)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from otbill.cli import app
from otbill.domain.ledger import Kind
from otbill.services.ledger import LedgerEntry, post
from otbill.storage import Database
from support.clinickit import insert_claim, seed_clinic
from support.passwords import fast_password_hashing  # noqa: F401
from support.pdftext import pdf_text


def test_payments_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/clinic.db"
    db = Database(url)
    ids = seed_clinic(db)
    _, (line,) = insert_claim(db, ids, "C1", (9000,))
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        post(uow, LedgerEntry("c", Kind.CHARGE, line, Decimal("90")), dt.date(2025, 3, 1))
        post(uow, LedgerEntry("t", Kind.TRANSFER, line, Decimal("20"), group_code="PR",
                              carc="3"), dt.date(2025, 3, 1))  # fmt: skip
    runner = CliRunner()
    where = ["--database-url", url]
    who = [str(ids.patient), "--user", "biller", "--on", "2025-04-01", *where]
    refused = runner.invoke(app, ["payments", "take", *who, "--amount", "20", "--method", "card",
                                  "--reference", "4242424242424242", "--last4", "4242"])  # fmt: skip
    assert refused.exit_code == 2 and "looks like a whole card number" in refused.output
    receipt = tmp_path / "receipt.pdf"
    taken = runner.invoke(app, ["payments", "take", *who, "--amount", "30", "--method", "card",
                                "--reference", "AUTH-55", "--last4", "4242",
                                "--receipt", str(receipt)])  # fmt: skip
    assert taken.exit_code == 0, taken.output
    assert "payment 1: $30.00 taken" in taken.output
    assert "$20.00  claim C1 line 1, 97530 on 14 Feb 2025" in taken.output
    assert "$10.00  left as credit" in taken.output and "account: $10.00 credit" in taken.output
    assert "card ending 4242, reference AUTH-55" in pdf_text(receipt)
    given = runner.invoke(app, ["payments", "refund", *who, "--amount", "10", "--method",
                                "check", "--reference", "2001", "--reason", "overpaid"])  # fmt: skip
    assert given.exit_code == 0 and "account: paid in full" in given.output, given.output
    pdf = tmp_path / "deposit.pdf"
    day = runner.invoke(app, ["payments", "deposit", "--day", "2025-04-01", "--pdf", str(pdf),
                              *where])  # fmt: skip
    assert day.exit_code == 0, day.output
    assert "card: $30.00" in day.output and "bank slip (cash and checks): $0.00" in day.output
    assert "balances with the ledger and the accounts" in day.output
    assert "Balances with the books" in pdf_text(pdf)
    as_json = runner.invoke(app, ["payments", "deposit", "--day", "2025-04-01", "--json", *where])
    found = json.loads(as_json.output)
    assert found["balances"] is True and found["refunds"] == "10.00"
    assert found["payments_by_person"] == {"Biller": "30.00"}
