"""Statements pages: the due list with aging totals, "Run statements" in the background with its
progress, the batch's PDF and CSV and each statement's PDF; a patient's do-not-send flag."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

from pypdf import PdfReader

from otbill.services.patient_account import post_opening_balance
from otbill.web.statement_jobs import statement_jobs
from support.webkit import log_in, patient_of, token


def _owing(app) -> int:  # type: ignore[no-untyped-def]
    patient = patient_of(app)
    with app.state.db.unit_of_work(1) as uow:
        post_opening_balance(uow, patient_id=patient, amount=Decimal("123.45"),
                             on=dt.date(2024, 12, 1), source="old system", source_key="stmt-test")  # fmt: skip
    return patient


def test_due_list_run_files_and_each_statement(app, client) -> None:  # type: ignore[no-untyped-def]
    patient = _owing(app)
    log_in(client, "biller")
    page = client.get("/statements").text
    assert 'href="/statements">Statements</a>' in page  # in the navigation
    assert 'data-testid="aging-totals"' in page and "$123.45" in page
    assert "Will send: statement" in page
    started = client.post("/statements/run", data={"date": str(app.state.today),
                          "csrf_token": token(client, "/statements")}, follow_redirects=False)  # fmt: skip
    assert started.status_code == 303
    statement_jobs(app.state).wait(120)
    shown = client.get(started.headers["location"]).text
    assert 'data-state="done"' in shown and "hx-get" not in shown
    batch = f"{app.state.today}-1"
    assert f"/statements/batches/{batch}.pdf" in shown
    pdf = client.get(f"/statements/batches/{batch}.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    mailing = client.get(f"/statements/batches/{batch}.csv").text
    assert mailing.startswith("statement_id,batch,statement_date,cycle,name")
    assert client.get("/statements/batches/..%2Fsecret.csv").status_code == 404
    listed = client.get("/statements").text
    assert "Already sent on this date" in listed
    ids = re.findall(r'href="/statements/(\d+)\.pdf"', listed)
    assert ids
    one = client.get(f"/statements/{ids[0]}.pdf")
    assert one.status_code == 200
    assert "Amount due" in PdfReader(io.BytesIO(one.content)).pages[0].extract_text()
    assert client.get("/statements/999999.pdf").status_code == 404
    flag = client.get(f"/patients/{patient}/statements?part=flag").text
    assert "last sent" in flag


def test_hold_on_the_patient_page(app, client) -> None:  # type: ignore[no-untyped-def]
    patient = _owing(app)
    log_in(client, "biller")
    assert f"/patients/{patient}/statements?part=flag" in client.get(f"/patients/{patient}").text
    path = f"/patients/{patient}/statements/hold"
    empty = client.post(path, data={"reason": " ", "csrf_token": token(client, "/statements")})
    assert empty.status_code == 422 and "a reason is needed" in empty.text
    client.post(
        path, data={"reason": "disputing the bill", "csrf_token": token(client, "/statements")}
    )
    assert (
        "Statements on hold: disputing the bill"
        in client.get(f"/patients/{patient}/statements?part=flag").text
    )
    assert "On hold: disputing the bill" in client.get("/statements").text
    client.post(path, data={"action": "lift", "csrf_token": token(client, "/statements")})
    assert "Statements are sent." in client.get(f"/patients/{patient}/statements").text
    log_in(client, "rcole")
    assert client.get("/statements", follow_redirects=False).status_code in (303, 403)
