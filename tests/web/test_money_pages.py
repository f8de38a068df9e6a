"""/underpayments and /what-if on the demo clinic: an underpaid Medicare line with its expected
amount from the PFS, the variance by payer, CSV; the 2024 -> 2025 what-if per payer; refusals."""

from __future__ import annotations

import csv
import io
import re

from otbill.services.remittances.post import post_remittance
from support.demoflow import clinic_and_users
from support.pricingkit import underpaid_demo_claim
from support.webkit import DEMO_TODAY, log_in


def _post(app) -> tuple[str, list[int]]:
    number, lines, data = underpaid_demo_claim(app)
    cid, users = clinic_and_users(app)
    post_remittance(app.state.db, cid, users["biller"], data, name="u.835", today=DEMO_TODAY)
    return number, lines


def test_underpaid_line_with_its_evidence(app, client):
    number, lines = _post(app)
    log_in(client, "biller")
    page = client.get("/underpayments")
    assert page.status_code == 200
    html = page.text
    assert number in html
    shown = re.search(rf'data-testid="basis-{lines[0]}">([^<]+)<', html)
    assert shown and "CF 32.3465" in shown.group(1)
    assert re.search(rf'data-testid="expected-paid-{lines[0]}">\$[\d,]+\.\d\d<', html)
    assert "Medicare Part B" in html and 'data-testid="variance"' in html
    download = client.get("/underpayments.csv")
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert {r["claim"] for r in rows} == {number}
    assert all(r["adjustments"].startswith("CO-45") for r in rows)


def test_what_if_2024_to_2025_per_payer(app, client):
    log_in(client, "biller")
    page = client.get("/what-if?scenario=year&from_year=2024&to_year=2025")
    assert page.status_code == 200
    html = page.text
    assert 'data-testid="payer-Medicare Part B (Novitas JH)"' in html
    assert "conversion factor&#39;s alone" in html or "conversion factor's alone" in html
    csv_text = client.get("/what-if.csv?scenario=year&from_year=2024&to_year=2025").text
    medicare = next(
        r for r in csv.DictReader(io.StringIO(csv_text)) if r["label"].startswith("Medicare")
    )
    assert medicare["percent"] == "-2.83"


def test_refusals_in_words(app, client):
    log_in(client, "biller")
    bad = client.get("/what-if?scenario=year&from_year=20x4&to_year=2025")
    assert bad.status_code == 422 and "is not a year such as 2025" in bad.text
    bad = client.get("/what-if?scenario=rates&payer=1&rates=97530,abc")
    assert bad.status_code == 422 and "is not an amount" in bad.text
    bad = client.get("/underpayments?tolerance=lots")
    assert bad.status_code == 422 and "is not an amount in dollars" in bad.text
    log_in(client, "rcole")  # a therapist
    assert client.get("/underpayments", follow_redirects=False).status_code == 403
