"""The statement PDF: the clinic, the guarantor, each visit with the insurer's reason in words,
the amount due, the due date, the aging and how to pay; many statements in one file."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from pypdf import PdfReader

from otbill.domain.ledger import Kind, Posting
from otbill.domain.patient_account import PatientEntry
from otbill.domain.statements import (
    Cycle,
    Guarantee,
    LineActivity,
    SentBefore,
    StatementTerms,
    build_statement,
    statement_from_json,
    statement_json,
)
from otbill.pdf.statement import ClinicHeader, render_statement, render_statements

ON = dt.date(2025, 6, 30)
CLINIC = ClinicHeader("Hands On OT", "9 Oak Ave, Austin, TX 78701", "PO Box 5, Austin, TX 78702")


def _statement(i: int = 1, last: SentBefore | None = None):  # type: ignore[no-untyped-def]
    who = Guarantee("guarantor:x", "Maria Diaz", "5 Elm St", "Austin", "TX", "787011234", "ACC-7",
                    ((1, "Leo Diaz"), (2, "Mia Diaz")))  # fmt: skip
    day = dt.date(2025, 5, 2)
    activity = [
        LineActivity(
            Posting(1, "a", Kind.CHARGE, Decimal("120.00"), 9, 9, 1, 3), day, day, "97530"
        ),
        LineActivity(
            Posting(2, "b", Kind.PAYMENT, Decimal("70.00"), 9, 9, 1, 3), day, day, "97530"
        ),
        LineActivity(
            Posting(3, "c", Kind.TRANSFER, Decimal("25.00"), 9, 9, 1, 3, group_code="PR", carc="2"),
            day,
            day,
            "97530",
        ),
    ]
    entries = [PatientEntry(1, 2, "opening-balance", Decimal("15.00"), dt.date(2025, 1, 5), "old")]
    return build_statement(who, activity, entries, on=ON, terms=StatementTerms(), last=last)


def test_one_statement_reads_in_plain_words() -> None:
    s = _statement(last=SentBefore(Cycle.SECOND, dt.date(2025, 5, 30)))
    text = (
        PdfReader(io.BytesIO(render_statement(s, CLINIC, StatementTerms()))).pages[0].extract_text()
    )
    for words in (
        "Hands On OT", "Maria Diaz", "5 Elm St", "Austin, TX 78701-1234", "Final notice",
        "For care of: Leo Diaz, Mia Diaz", "Leo Diaz: 97530", "$120.00",
        "Your coinsurance (your share of the cost): $25.00", "Balance brought forward",
        "Amount due $40.00", "Please pay by 2025-07-21", "0-30 days: $0.00",
        "31-60 days: $25.00", "Over 90 days: $15.00", "How to pay",
        "Mail checks to: Hands On OT, PO Box 5", "This is a final notice",
    ):  # fmt: skip
        assert words in text, words


def test_many_statements_one_file_each_on_its_own_page_and_as_kept() -> None:
    many = [statement_from_json(statement_json(_statement(i))) for i in range(3)]
    assert many[0] == _statement()
    reader = PdfReader(io.BytesIO(render_statements(many, CLINIC, StatementTerms(), ON)))
    assert len(reader.pages) == 3
    assert all("Amount due $40.00" in p.extract_text() for p in reader.pages)
    empty = PdfReader(io.BytesIO(render_statements([], CLINIC, StatementTerms(), ON)))
    assert "No statements in this run." in empty.pages[0].extract_text()


def test_a_payment_prints_as_a_credit_and_long_services_are_cut_at_a_word() -> None:
    s = _statement()
    paid = PatientEntry(2, 1, "payment", Decimal("-10.00"), dt.date(2025, 6, 1), "front desk")
    s = build_statement(s.guarantee, [], [paid, *[PatientEntry(3, 1, "opening-balance",
                        Decimal("50.00"), dt.date(2025, 1, 5), "old")]], on=ON,
                        terms=StatementTerms(), last=None)  # fmt: skip
    text = (
        PdfReader(io.BytesIO(render_statement(s, CLINIC, StatementTerms()))).pages[0].extract_text()
    )
    assert "Your payment, thank you -$10.00" in text and "Amount due $40.00" in text
    line = _statement().lines[0]
    text = (
        PdfReader(io.BytesIO(render_statement(_statement(), CLINIC, StatementTerms())))
        .pages[0]
        .extract_text()
    )
    assert f"Leo Diaz: 97530 {line.description}"[:30] in text and "..." in text


def test_a_long_statement_goes_on_to_pages_that_say_whose_they_are() -> None:
    who = _statement().guarantee
    activity = []
    for i in range(60):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=2 * i)
        activity += [
            LineActivity(
                Posting(10 * i + 1, "", Kind.CHARGE, Decimal("120.00"), 9, i, 1, 3),
                day,
                day,
                "97530",
            ),
            LineActivity(
                Posting(
                    10 * i + 2,
                    "",
                    Kind.TRANSFER,
                    Decimal("30.00"),
                    9,
                    i,
                    1,
                    3,
                    group_code="PR",
                    carc="2",
                ),
                day,
                day,
                "97530",
            ),
        ]
    s = build_statement(who, activity, [], on=ON, terms=StatementTerms(), last=None)
    pages = PdfReader(io.BytesIO(render_statement(s, CLINIC, StatementTerms()))).pages
    assert len(pages) > 1
    for page in pages[1:]:
        assert page.extract_text().startswith(
            "Maria Diaz, account ACC-7: statement of 2025-06-30 (continued)"
        )
    assert "Amount due $1,800.00" in pages[-1].extract_text()
