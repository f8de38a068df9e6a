"""Authorization pages: open a request, log calls, approve, the queue; roles and bad input."""

from __future__ import annotations

import re

from support.webkit import log_in, patient_of, token


def _opened(client, patient: int) -> int:
    form = client.get(f"/authorizations/new?patient_id={patient}").text
    coverage = re.search(r'<select name="coverage_id" required>\s*<option value="(\d+)"', form)
    assert coverage, "no coverage on the request form"
    data = {"csrf_token": token(client), "patient_id": str(patient),
            "coverage_id": coverage.group(1), "number": "REQ-W1", "start": "2025-09-01",
            "end": "2025-11-30", "note": "Asked for 12 visits by fax"}  # fmt: skip
    response = client.post("/authorizations", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/authorizations/(\d+)\?done=opened", response.headers["location"])
    assert match
    return int(match.group(1))


def test_request_log_approve_and_the_queue(app, client):
    log_in(client, "biller")
    auth = _opened(client, patient_of(app, profile="commercial-in-network"))
    page = client.get(f"/authorizations/{auth}?done=opened").text
    assert "Authorization request opened." in page and ">requested<" in page
    assert "REQ-W1" in client.get("/authorizations").text.split('id="running-out"')[0]
    csrf = token(client)
    call = {"csrf_token": csrf, "kind": "call", "reference": "C-1", "text": "In review"}
    missing = client.post(f"/authorizations/{auth}/log", data=call)
    assert missing.status_code == 422
    assert "contact: name the person spoken to on the call" in missing.text
    assert 'value="C-1"' in missing.text  # the form as typed
    logged = client.post(f"/authorizations/{auth}/log", data=call | {"contact": "Dana"},
                         follow_redirects=False)  # fmt: skip
    assert logged.status_code == 303
    approve = {"csrf_token": csrf, "status": "approved", "number": "A-12", "visits": "12"}
    assert client.post(f"/authorizations/{auth}/status", data=approve,
                       follow_redirects=False).status_code == 303  # fmt: skip
    page = client.get(f"/authorizations/{auth}").text
    assert ">approved<" in page and "0 used of 12, 12 left" in page
    assert "reference C-1" in page and "spoke with Dana" in page
    assert "pending -&gt; approved" not in page and "requested -&gt; approved (12 visits)" in page
    assert "A-12" not in client.get("/authorizations").text.split('id="running-out"')[0]
    denied = client.post(f"/authorizations/{auth}/status", data=approve | {"status": "denied"})
    assert denied.status_code == 422 and "cannot go from approved to denied" in denied.text


def test_the_queue_filters_by_owner(app, client):
    log_in(client, "biller")
    auth = _opened(client, patient_of(app, profile="commercial-in-network"))
    page = client.get(f"/authorizations/{auth}").text
    biller = re.search(r'<option value="(\d+)">Billie', page) or re.search(
        r'<option value="(\d+)">[^<]*Bill', page
    )
    assert biller, "no biller among the owners"
    note = {"csrf_token": token(client), "kind": "note", "owner_id": biller.group(1),
            "due_on": "2025-04-03"}  # fmt: skip
    assert client.post(f"/authorizations/{auth}/log", data=note,
                       follow_redirects=False).status_code == 303  # fmt: skip
    mine = client.get(f"/authorizations?owner={biller.group(1)}").text
    assert "REQ-W1" in mine and "2025-04-03" in mine
    nobody = client.get("/authorizations?owner=999999").text
    assert "REQ-W1" not in nobody and "Nothing waiting for a payer." in nobody


def test_roles_and_missing_records(client):
    assert client.get("/authorizations", follow_redirects=False).status_code in (303, 401)
    log_in(client, "rcole")  # a therapist
    assert client.get("/authorizations").status_code == 403
    client.cookies.clear()
    log_in(client, "biller")
    assert client.get("/authorizations/999999").status_code == 404
    assert client.get("/authorizations/new?patient_id=999999").status_code == 404
    bad = {"csrf_token": token(client), "coverage_id": "1", "number": "X", "start": "soon",
           "end": "2025-05-01"}  # fmt: skip
    response = client.post("/authorizations", data=bad)
    assert (
        response.status_code == 422
        and "start date &#39;soon&#39;: not a date (YYYY-MM-DD)" in response.text
    )
