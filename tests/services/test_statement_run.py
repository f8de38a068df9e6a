"""Patient statements: the due list, the run (idempotent per date), holds, the PDF and the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from otbill.domain.record_errors import RecordError
from otbill.domain.statements import Cycle, StatementTerms
from otbill.services.billing import statements
from otbill.storage import Database
from support.clinickit import seed_clinic
from support.statementkit import owing

ON = dt.date(2025, 3, 20)


def test_due_run_once_per_date_then_second_notice(db: Database, tmp_path: Path) -> None:
    ids = seed_clinic(db)
    owing(db, ids)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        listed = statements.due_list(uow, ON)
    (item,) = listed.items
    assert item.will_send and item.statement.amount_due == Decimal("40.00")
    assert listed.aging.current == Decimal("40.00")

    dry = statements.run_statements(db, ids.clinic, ids.biller, ON, out_dir=tmp_path, dry_run=True)
    assert (dry.sent, dry.files) == (1, [])
    seen: list[tuple[str, int, int]] = []
    done = statements.run_statements(db, ids.clinic, ids.biller, ON, out_dir=tmp_path,
                                     progress=lambda *a: seen.append(a))  # fmt: skip
    assert done.sent == 1 and done.batches == ["2025-03-20-1"]
    assert ("recording", 1, 1) in seen and ("printing", 1, 1) in seen
    text = PdfReader(tmp_path / "statements-2025-03-20-1.pdf").pages[0].extract_text()
    for words in ("Hands On OT HOT", "Ann Lee", "Applied to your deductible: $40.00",
                  "Amount due $40.00", "Please pay by 2025-04-10", "How to pay"):  # fmt: skip
        assert words in text
    rows = list(csv.DictReader(io.StringIO((tmp_path / "mailing-2025-03-20-1.csv").read_text())))
    assert [(r["name"], r["amount_due"], r["due_date"], r["cycle"], r["zip"]) for r in rows] == [
        ("Ann Lee", "40.00", "2025-04-10", "first", "78701")
    ]

    again = statements.run_statements(db, ids.clinic, ids.biller, ON, out_dir=tmp_path)
    assert (again.sent, again.already_sent) == (0, 1)
    later = ON + dt.timedelta(days=10)
    assert (
        statements.run_statements(db, ids.clinic, ids.biller, later, out_dir=tmp_path).not_due_yet
        == 1
    )
    second = statements.run_statements(db, ids.clinic, ids.biller, ON + dt.timedelta(days=30),
                                       out_dir=tmp_path)  # fmt: skip
    assert second.sent == 1
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        sent = statements.sent_to_patient(uow, ids.patient)
        assert [s.cycle for s in sent] == [Cycle.SECOND, Cycle.FIRST]
        name, pdf = statements.statement_pdf(uow, sent[1].id)
    assert (
        name.endswith(".pdf")
        and "Applied to your deductible" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    )


def test_a_hold_keeps_the_statement_back_and_is_audited(db: Database, tmp_path: Path) -> None:
    ids = seed_clinic(db)
    owing(db, ids)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        with pytest.raises(RecordError, match="a reason is needed"):
            statements.hold(uow, ids.patient, reason="  ")
        statements.hold(uow, ids.patient, reason="disputing the bill", whole_guarantor=True)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        (item,) = statements.due_list(uow, ON).items
        assert item.status == "On hold: disputing the bill" and not item.will_send
    assert statements.run_statements(db, ids.clinic, ids.biller, ON, out_dir=tmp_path).held == 1
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert statements.lift_hold(uow, ids.patient) is True
        assert statements.lift_hold(uow, ids.patient) is False
        statements.hold(uow, ids.patient, reason="deceased")  # the patient only
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert statements.due_list(uow, ON).items[0].status == "On hold: deceased"
        actions = [
            e.action for e in uow.audit_reads.events(entity="patient", entity_id=str(ids.patient))
        ]
    assert {"statement_hold.set", "statement_hold.lift"} <= set(actions)


def test_a_run_stopped_before_its_files_writes_them_when_run_again(
    db: Database, tmp_path: Path
) -> None:
    ids = seed_clinic(db)
    owing(db, ids)
    statements.run_statements(db, ids.clinic, ids.biller, ON, out_dir=tmp_path)
    for path in tmp_path.iterdir():  # as if the process had stopped after recording
        path.unlink()
    again = statements.run_statements(db, ids.clinic, ids.biller, ON, out_dir=tmp_path)
    assert again.sent == 0 and again.batches == ["2025-03-20-1"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "mailing-2025-03-20-1.csv",
        "statements-2025-03-20-1.pdf",
    ]


def test_a_payment_at_the_desk_shows_on_the_next_statement(db: Database) -> None:
    from otbill.services.payments.take import take_payment

    ids = seed_clinic(db)
    owing(db, ids)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        take_payment(uow, patient_id=ids.patient, amount="55.00", method="cash",
                     received_on=ON)  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        from otbill.services.patient_account import account_of

        owed = account_of(uow, ids.patient).total
        listed = statements.due_list(uow, ON, StatementTerms(minimum=Decimal("-100")))
    (item,) = listed.items
    s = item.statement
    assert s.amount_due == owed == Decimal("-15.00")  # $40 owed, $55 paid: a $15 credit
    assert s.lines == () and s.entries[0].description == "Your payment, thank you"
