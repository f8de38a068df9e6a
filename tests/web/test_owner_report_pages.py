"""The owner's numbers pages (issue 14): one page per family with charts and tables, a CSV per
table, the whole set as a PDF, small samples marked, the dashboard's roles; and the dashboard's
A/R chart counting the unbilled work instead of "$0 owed"."""

from __future__ import annotations

import csv
import io

from otbill.services.remittances.post import post_remittance
from otbill.services.views.dashboard_payments import ar_aging
from otbill.services.views.owner import FAMILIES
from support.demoflow import make_835, send_claims, user_id
from support.pdftext import pdf_text
from support.webkit import DEMO_TODAY, log_in


def test_every_family_has_its_page_with_tables(client):
    log_in(client, "approver")  # auditor role, as the dashboard
    for family in FAMILIES:
        page = client.get(f"/reports/owner/{family.key}")
        assert page.status_code == 200, family.key
        assert (family.title in page.text and "<table>" in page.text) or "empty-state" in page.text
    first = client.get("/reports/owner")
    assert "Days in A/R" in first.text and "A/R aging by payer" in first.text
    assert "Unbilled" in first.text and "Under appeal" in first.text
    assert client.get("/reports/owner/nothing").status_code == 404


def test_the_unbilled_demo_is_not_zero_owed(app, client):
    """The demo's claims all wait for approval: the A/R shows them as unbilled, on the owner's
    page and on the dashboard's chart (which read "$0 owed" before)."""
    with app.state.db.unit_of_work(1) as uow:
        figure = ar_aging(uow, DEMO_TODAY)
    unbilled = dict(figure.series)["Unbilled"]
    assert figure.empty is None and sum(v or 0 for v in unbilled) > 1000
    log_in(client, "approver")
    text = client.get("/reports/owner/receivables/aging_by_payer.csv").text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Payer" and rows[0][-3:] == ["Unbilled", "Under appeal", "Total"]
    total = next(r for r in rows if r[0] == "Total")
    assert abs(float(total[-3]) - sum(v or 0 for v in unbilled)) < 0.01


def test_csv_pdf_and_small_samples_after_an_835(app, client):
    sent = send_claims(app, 4)
    data = make_835([(sent[0], True), (sent[1], True), (sent[2], False)])
    post_remittance(app.state.db, 1, user_id(app, "biller"), data, today=DEMO_TODAY)
    log_in(client, "admin")
    page = client.get("/reports/owner/quality")
    assert page.status_code == 200
    # 3 decided claims in a month: hatched bars, labelled, and marked in the table
    assert "small sample" in page.text and "hatch" in page.text
    speed = client.get("/reports/owner/collections")
    assert "Payment speed" in speed.text and 'class="small-sample"' in speed.text
    got = client.get("/reports/owner/collections/payment_speed.csv")
    assert got.headers["content-type"].startswith("text/csv")
    assert got.text.splitlines()[0] == "Payer,Claims paid,Median days,90th percentile days"
    assert client.get("/reports/owner/collections/nothing.csv").status_code == 404
    pdf = client.get("/reports/owner.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    words = pdf_text(pdf.content)
    for title in ("Days in A/R", "Denial rate by cause", "Payment speed", "Payer mix",
                  "Revenue, cost and margin per visit", "Write-offs by reason"):  # fmt: skip
        assert title in words, title


def test_billers_and_therapists_are_refused_as_on_the_dashboard(client):
    log_in(client, "biller")
    assert client.get("/reports/owner").status_code == 403
    assert client.get("/reports/owner.pdf").status_code == 403
    log_in(client, "rcole")
    assert client.get("/reports/owner/receivables/days_in_ar.csv").status_code == 403


def test_each_page_has_its_own_pdf(client):
    log_in(client, "admin")
    page = client.get("/reports/owner/receivables")
    assert 'href="/reports/owner/receivables/page.pdf"' in page.text
    pdf = client.get("/reports/owner/receivables/page.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert 'filename="owner-receivables-' in pdf.headers["content-disposition"]
    words = pdf_text(pdf.content)
    assert "Receivables: A/R aging by payer" in words and "Days in A/R" in words
    assert "Payment speed" not in words  # another family's table
    assert client.get("/reports/owner/nothing/page.pdf").status_code == 404
    log_in(client, "biller")
    assert client.get("/reports/owner/receivables/page.pdf").status_code == 403
