"""The owner's PDF as a job on the shared queue (issues 14, 15): "Build the PDF" answers at once
with a redirect to the job's page, which reads the job table and gives the download when done (the
file under the data folder); a biller, an unknown job or a file gone get plain refusals; a failed
build says so on its page."""

from __future__ import annotations

import datetime as dt

import pytest

from otbill.services.jobs import owner_pdf as kind_module
from otbill.services.views import owner
from otbill.web.jobs import app_jobs
from support.pdftext import pdf_text
from support.webkit import log_in, token


def _build(app, client):  # type: ignore[no-untyped-def]
    started = client.post("/reports/owner/pdf", data={"csrf_token": token(client, "/reports/owner")},
                          follow_redirects=False)  # fmt: skip
    assert started.status_code == 303
    app_jobs(app.state).wait(120)
    return started.headers["location"]


def test_build_the_pdf_then_download_it(app, client) -> None:  # type: ignore[no-untyped-def]
    log_in(client, "approver")
    assert 'data-testid="build-owner-pdf"' in client.get("/reports/owner").text
    where = _build(app, client)
    page = client.get(where).text
    assert 'data-state="done"' in page and "hx-get" not in page
    pdf = client.get(f"{where}/owner-numbers.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    words = pdf_text(pdf.content)
    for title in ("Days in A/R", "Denial rate by cause", "Payment speed", "Write-offs by reason"):
        assert title in words, title
    assert client.get("/reports/owner/pdf/nope").status_code == 404
    assert client.post("/reports/owner/pdf", data={"csrf_token": token(client, "/reports/owner")},
                       follow_redirects=False).headers["location"] == where  # fmt: skip
    for kept in (app.state.settings.data_dir / "reports").rglob("*.pdf"):
        assert kept.read_bytes() == pdf.content and not kept.name.startswith(".")
        kept.unlink()
    gone = client.get(f"{where}/owner-numbers.pdf")
    assert gone.status_code == 404 and "no longer in the data folder" in gone.text
    log_in(client, "biller")
    assert client.get(where).status_code == 403


def test_a_failed_build_says_so(app, client, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*_: object, **__: object) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setattr(kind_module, "build_owner_pdf", broken)
    log_in(client, "approver")
    where = _build(app, client)
    page = client.get(where).text
    assert 'data-state="failed"' in page and "build it again" in page
    assert "disk full" not in page  # the log has it, not the page
    assert client.get(f"{where}/owner-numbers.pdf").status_code == 404


def test_progress_is_reported_family_by_family(app) -> None:  # type: ignore[no-untyped-def]
    steps: list[tuple[int, int, str]] = []
    content = owner.build_owner_pdf(app.state.db, 1, 1, dt.date(2025, 3, 31),
                                    lambda d, t, w: steps.append((d, t, w)))  # fmt: skip
    assert content.startswith(b"%PDF")
    total = len(owner.FAMILIES) + 1
    assert steps[0] == (0, total, "Receivables") and steps[-1] == (total, total, "Done")
    assert [d for d, _, _ in steps] == list(range(total + 1))


def test_a_pdf_past_its_retention_is_removed_and_its_page_says_when(app, client) -> None:  # type: ignore[no-untyped-def]
    from otbill import clock
    from otbill.services.jobs.report_retention import sweep_reports

    log_in(client, "approver")
    where = _build(app, client)
    settings = app.state.settings
    later = clock.utcnow() + dt.timedelta(days=settings.report_retention_days + 1)
    swept = sweep_reports(app.state.db, settings.data_dir, settings.report_retention_days, later)
    assert len(swept) == 1 and not list((settings.data_dir / "reports").rglob("*.pdf"))
    page = client.get(where).text
    assert f"was removed on {later:%B %-d, %Y at %H:%M} UTC" in page
    assert "the owner's PDFs are kept for 30 days" in page and "owner-numbers.pdf" not in page
    gone = client.get(f"{where}/owner-numbers.pdf")
    assert gone.status_code == 404 and f"was removed on {later:%B %-d, %Y}" in gone.text
