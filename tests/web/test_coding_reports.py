"""The coding-audit and code-changes pages on the demo clinic: the quarter's figures by
therapist, the outlier with its visits linked, the seeded sample and a checklist posted for one
sampled visit; the 2025 -> 2026 changes with the visits they touch; CSVs; refusals in words;
the therapist role is refused."""

from __future__ import annotations

import csv
import io
import re

from support.webkit import log_in, token


def test_coding_audit_page_sample_and_checklist(client):
    log_in(client, "biller")
    page = client.get("/reports/coding-audit?quarter=2025Q1")
    assert page.status_code == 200, page.text
    assert "1296 visits from 2025-01-01 to 2025-04-01" in page.text
    assert 'data-testid="outlier-mod_cq_co"' in page.text
    assert "Jon Diaz, COTA 57.7% (168 of 291)" in page.text
    sample = [int(v) for v in re.findall(r'data-testid="sample-(\d+)"', page.text)]
    assert len(sample) == 10 and "seed 20251" in page.text
    assert f'<a href="/visits/{sample[0]}">' in page.text
    # beside each checklist item, what the sampled visit's note says
    assert re.search(r'data-testid="note-signature">The note: signed by \w+', page.text)
    assert 'data-testid="note-minutes">The note: lines ' in page.text

    form = {"csrf_token": token(client, "/reports/coding-audit?quarter=2025Q1"),
            "quarter": "2025Q1", "seed": "20251", "sample": "10", "visit_id": str(sample[1]),
            "current_status": "pass", "goals": "pass", "interventions": "pass",
            "medical_necessity": "pass", "minutes": "fail", "signature": "pass",
            "comment": "38 minutes billed as 3 units; the note totals 35"}  # fmt: skip
    saved = client.post("/reports/coding-audit/chart-audit", data=form, follow_redirects=True)
    assert saved.status_code == 200, saved.text
    assert f"Chart audit of visit {sample[1]} recorded." in saved.text
    assert "1 of 10 audited" in saved.text
    assert "fail: Minutes support the units billed" in saved.text

    outside = next(v for v in range(1, 2000) if v not in sample)
    refused = client.post(
        "/reports/coding-audit/chart-audit", data={**form, "visit_id": str(outside)}
    )
    assert refused.status_code == 422
    assert f"visit {outside} is not in the 2025Q1 chart-audit sample" in refused.text

    download = client.get("/reports/coding-audit.csv?quarter=2025Q1")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert download.headers["content-type"].startswith("text/csv")
    assert any(r["section"] == "outlier" and r["measure"] == "mod_cq_co" for r in rows)
    sampled = [r for r in rows if r["section"].startswith("chart audit sample")]
    assert len(sampled) == 10 and any(r["share"].startswith("fail") for r in sampled)

    bad = client.get("/reports/coding-audit?quarter=Q1-2025")
    assert bad.status_code == 422
    assert "is not a year and quarter such as 2025Q1" in bad.text


def test_code_changes_page_and_csv(client):
    log_in(client, "biller")
    page = client.get("/reports/code-changes?year=2026")
    assert page.status_code == 200, page.text
    assert 'data-testid="change-kx-KX"' in page.text and "$2,480.00" in page.text
    assert 'data-testid="change-code-added-98979"' in page.text
    row = page.text.split('data-testid="change-revalued-97530"')[1].split("</tr>")[0]
    assert "$34.61" in row and "$35.07" in row and '<a href="/visits/' in row
    download = client.get("/reports/code-changes.csv?year=2026")
    rows = {r["codes"]: r for r in csv.DictReader(io.StringIO(download.text))}
    assert int(rows["97530"]["visits_2025"]) > 0
    assert client.get("/reports/code-changes?year=next").status_code == 422


def test_therapist_cannot_read_the_audit(client):
    log_in(client, "rcole")
    assert client.get("/reports/coding-audit?quarter=2025Q1").status_code == 403
    assert client.get("/reports/code-changes?year=2026").status_code == 403


def test_nav_links_to_the_coding_pages_by_role(client):
    links = ('href="/reports/coding-audit"', 'href="/reports/coding-audit#sample"',
             'href="/reports/code-changes"')  # fmt: skip
    log_in(client, "rcole")
    home = client.get("/therapist").text
    assert not any(link in home for link in links)
    log_in(client, "approver")  # the auditor role, as the owner's numbers want
    owner = client.get("/reports/owner").text
    for link in links:
        assert link in owner  # in the nav and beside the owner's numbers
    assert 'data-testid="nav-coding-audit"' in owner and 'data-testid="owner-code-changes"' in owner
    assert client.get("/reports/coding-audit#sample").status_code == 200
