"""The owner's numbers (issue 14) on SQLite and PostgreSQL: every table from a small ledger whose
answers are worked out by hand, the unbilled and appealed money in the A/R, the small samples."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from otbill.services.views.figures import Window
from otbill.services.views.owner import (
    FAMILIES,
    all_tables,
    build_owner_pdf,
    owner_pdf,
    table_csv,
)
from otbill.services.views.owner.claims_quality import first_pass
from otbill.services.views.owner.collections import net_collection_rate, payment_speed
from otbill.services.views.owner.margin import margin
from otbill.services.views.owner.mix import payer_mix
from otbill.services.views.owner.receivables import aging, days_in_ar
from otbill.services.views.owner.report import percentile
from otbill.services.views.owner.write_offs import write_offs
from otbill.storage import Database
from otbill.storage.audit import utcnow
from otbill.storage.tables import (
    AppealRow,
    ClaimStatusRow,
    DenialRow,
    OverheadCostRow,
    PostingRow,
    RemittanceRow,
)
from support.clinickit import Ids, insert_claim, seed_clinic
from support.pdftext import pdf_text

TODAY = dt.date(2025, 4, 1)
DOS = dt.date(2025, 2, 14)
WINDOW = Window.ending(TODAY, 12)


def _ledger(db: Database) -> Ids:
    """C1 paid in full after a CO-45 write-off; C2 rejected once, then owed; C3 not yet approved;
    C4 denied (CO-197) and under appeal; March overhead $1,000."""
    ids = seed_clinic(db)
    c1, l1 = insert_claim(db, ids, "C1", (9000, 6000), status="paid")
    c2, l2 = insert_claim(db, ids, "C2", (9000,), status="accepted")
    insert_claim(db, ids, "C3", (5000,), status="ready")
    c4, l4 = insert_claim(db, ids, "C4", (7000,), status="appealed")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        remit = uow.records.add(
            RemittanceRow(payer_id=ids.medicare, trace_number="T1", paid_on=dt.date(2025, 3, 16),
                          total_cents=12000)
        )  # fmt: skip
        uow.flush()
        n = 0

        def post(kind: str, cents: int, claim: int, line: int, on: dt.date, **kw: object) -> None:
            nonlocal n
            n += 1
            uow.records.add(
                PostingRow(source_key=f"k{n}", kind=kind, amount_cents=cents, claim_id=claim,
                           claim_line_id=line, patient_id=ids.patient, payer_id=ids.medicare,
                           posted_on=on, posted_at=utcnow(), posted_by=ids.biller, **kw)
            )  # fmt: skip

        for claim, lines, charges in ((c1, l1, (9000, 6000)), (c2, l2, (9000,)), (c4, l4, (7000,))):
            for line, cents in zip(lines, charges, strict=True):
                post("charge", cents, claim, line, DOS)
        paid = dt.date(2025, 3, 16)  # 30 days after the date of service
        post("payment", 8000, c1, l1[0], paid, remittance_id=remit.id)
        post("payment", 4000, c1, l1[1], paid, remittance_id=remit.id)
        post(
            "adjustment", 1000, c1, l1[0], paid, group_code="CO", carc="45", remittance_id=remit.id
        )
        post(
            "adjustment", 2000, c1, l1[1], paid, group_code="CO", carc="45", remittance_id=remit.id
        )
        post(
            "adjustment", 7000, c4, l4[0], paid, group_code="CO", carc="197", remittance_id=remit.id
        )
        denial = uow.records.add(
            DenialRow(claim_id=c4, claim_line_id=l4[0], group_code="CO", carc="197",
                      denied_on=paid, remittance_id=remit.id, amount_cents=7000)
        )  # fmt: skip
        uow.flush()
        uow.records.add(AppealRow(claim_id=c4, denial_id=denial.id, filed_on=TODAY, reason="auth",
                                  filed_by=ids.biller))  # fmt: skip
        history = {
            c1: ("submitted", "accepted", "paid"),
            c2: ("submitted", "rejected", "submitted", "accepted"),
            c4: ("submitted", "accepted", "denied", "appealed"),
        }
        for claim, steps in history.items():
            for before, after in zip(("approved", *steps), steps, strict=False):
                uow.records.add(ClaimStatusRow(claim_id=claim, from_status=before, to_status=after,
                                               at=utcnow(), by_user=ids.biller))  # fmt: skip
        uow.records.add(OverheadCostRow(month=dt.date(2025, 3, 1), category="rent",
                                        amount_cents=100000))  # fmt: skip
    return ids


def _row(table, label: str) -> list:
    return next(cells for name, cells in table.rows if name == label)


def test_receivables_count_the_unbilled_and_the_appealed(db: Database) -> None:
    ids = _ledger(db)
    with db.unit_of_work(ids.clinic) as uow:
        by_payer = aging(uow, TODAY, "payer")
        by_patient = aging(uow, TODAY, "patient")
        by_therapist = aging(uow, TODAY, "provider")
        days = days_in_ar(uow, TODAY)
    # 0-30, 31-60 (C2 owed $90, 46 days), 61-90, 91-120, 120+, unbilled (C3), appealed (C4), total
    assert _row(by_payer, "Medicare Part B") == [0, 90.0, 0, 0, 0, 50.0, 70.0, 210.0]
    assert _row(by_patient, "Lee, Ann") == [0, 90.0, 0, 0, 0, 50.0, 70.0, 210.0]
    assert _row(by_therapist, "Rita Cole, OTR/L") == [0, 90.0, 0, 0, 0, 50.0, 70.0, 210.0]
    assert by_payer.chart is not None and "Unbilled" in [n for n, _ in by_payer.chart.series]
    # owed $90 / ($310 charged in 90 days / 90) = 26.1 days; unbilled and appealed beside it
    assert days.rows[0][1] == [90.0, 0.0, 50.0, 70.0, 310.0, 26.1]


def test_claim_quality_collections_and_speed(db: Database) -> None:
    ids = _ledger(db)
    with db.unit_of_work(ids.clinic) as uow:
        quality = first_pass(uow, WINDOW)
        collected = net_collection_rate(uow, WINDOW)
        speed = payment_speed(uow, WINDOW)
    # three submitted; C2 was rejected once; only C1 was paid without a denial
    assert _row(quality, "Feb 2025") == [3, 2, 66.7, 1, 33.3]
    assert quality.small() == [True]  # 3 claims: a small sample
    # $120 paid / ($310 charged − $100 contractual) = 57.1%
    assert _row(collected, "Feb 2025") == [310.0, 100.0, 120.0, 0.0, 57.1]
    assert _row(speed, "Medicare Part B") == [1, 30, 30]


def test_mix_margin_and_write_offs(db: Database) -> None:
    ids = _ledger(db)
    with db.unit_of_work(ids.clinic) as uow:
        (mix,) = payer_mix(uow, WINDOW)
        (money,) = margin(uow, WINDOW)
        (written,) = write_offs(uow, WINDOW)
    assert _row(mix, "Medicare Part B")[2:] == [120.0, 100.0]
    assert _row(money, "Mar 2025") == [0, 120.0, 1000.0, -880.0, None, None, None]
    assert _row(written, "Contractual obligation (CO-197)")[2:] == [1, 70.0]
    assert _row(written, "Contractual obligation (CO-45)")[2:] == [2, 30.0]
    assert _row(written, "Total")[2:] == [3, 100.0]


def test_csv_and_pdf_carry_every_table(db: Database) -> None:
    ids = _ledger(db)
    with db.unit_of_work(ids.clinic) as uow:
        text = table_csv(uow, "receivables", "aging_by_payer", TODAY)
        families = all_tables(uow, TODAY)
        pdf = owner_pdf(uow, TODAY)
    assert text.splitlines()[1] == "Medicare Part B,0.00,90.00,0.00,0.00,0.00,50.00,70.00,210.00"
    assert [f.key for f, _ in families] == [f.key for f in FAMILIES]
    words = pdf_text(pdf)
    for title in ("Days in A/R", "A/R aging by payer", "Payment speed", "Write-offs by reason",
                  "Net collection rate", "Small samples", "Hands On OT HOT"):  # fmt: skip
        assert title in words, title


@pytest.mark.parametrize(
    ("histogram", "median", "p90"),
    [([(10, 1)], 10, 10), ([(10, 5), (40, 4), (90, 1)], 10, 40), ([(5, 1), (9, 1)], 5, 9)],
)
def test_percentiles_by_nearest_rank(histogram, median, p90) -> None:
    assert percentile(histogram, 0.5) == median
    assert percentile(histogram, 0.9) == p90
    assert percentile([], 0.5) is None


def test_a_claim_replaced_by_a_corrected_claim_is_not_clean(db: Database) -> None:
    ids = _ledger(db)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        from otbill.storage.tables import ClaimRow

        c1 = uow.records.first(ClaimRow, ClaimRow.number == "C1")
        uow.records.add(
            ClaimRow(number="C1R", patient_id=ids.patient, coverage_id=ids.coverage,
                     payer_id=ids.medicare, date_of_service=DOS, status="draft",
                     frequency_code="7", original_claim_id=c1.id, place_of_service="11",
                     total_charge_cents=15000, findings=[], created_by=ids.biller,
                     last_edited_by=ids.biller, created_at=utcnow())
        )  # fmt: skip
    with db.unit_of_work(ids.clinic) as uow:
        quality = first_pass(uow, WINDOW)
    assert _row(quality, "Feb 2025") == [3, 1, 33.3, 0, 0.0]


def test_the_pdf_job_reads_each_figure_once_in_one_read_only_unit(db: Database) -> None:
    """The job's PDF says what the PDF of the same figures says; the payers' cash is read once
    (by payer and day) for the payer mix and the margin; on PostgreSQL the unit is read-only."""
    ids = _ledger(db)
    with db.unit_of_work(ids.clinic) as uow:
        expected = pdf_text(owner_pdf(uow, TODAY))
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    told: list[tuple[int, int]] = []
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        content = build_owner_pdf(
            db, ids.clinic, ids.biller, TODAY, lambda done, total, _: told.append((done, total))
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert pdf_text(content) == expected
    assert told == [(n, len(FAMILIES) + 1) for n in range(len(FAMILIES) + 2)]
    payer_cash = [
        s for s in statements if s.startswith("SELECT posting.payer_id, posting.posted_on")
    ]
    assert len(payer_cash) == 1, payer_cash
    with db.unit_of_work(ids.clinic) as uow:
        first, end = Window.ending(TODAY, 12).first, Window.ending(TODAY, 12).end
        by_payer = uow.owner_reports.payer_payments_by_payer(first, end)
        by_day = uow.owner_reports.payer_cash_by_day(first, end)
    assert by_payer and sum(c for _, c in by_payer) == sum(c for _, c in by_day)


def test_a_read_only_unit_refuses_a_write_on_postgresql(db: Database) -> None:
    if db.backend != "postgresql":
        pytest.skip("SQLite's transaction already reads one snapshot; nothing to set")
    ids = seed_clinic(db)
    with pytest.raises(DBAPIError, match="read-only"), db.unit_of_work(ids.clinic) as uow:
        uow.read_only()
        assert uow.clinics.identity().name == "Hands On OT HOT"
        uow.session.execute(text("UPDATE clinic SET name = 'x'"))
