"""Issue 11 items 1-3 (web): the Approve button is active only for those who may approve, others
read why not in names, the page names who may approve; the approval queue approves many at once
with a findings column, refusing one by one the claims the user may not approve."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from otbill.services.clinic import setup as clinic
from otbill.storage.tables import ClaimRow, ClinicRow
from support.webkit import log_in, token

_ID_LEAK = re.compile(r"\buser \d+\b")


def _ready(app, n: int = 1) -> list[ClaimRow]:
    with app.state.db.session() as session:
        query = select(ClaimRow).where(ClaimRow.status == "ready").order_by(ClaimRow.id)
        return list(session.scalars(query.limit(n)))


def _status(app, claim_id: int) -> str:
    with app.state.db.session() as session:
        return session.get_one(ClaimRow, claim_id).status


def _dual_user(app) -> None:
    """Dana Dual: a biller who is also an approver."""
    with app.state.db.session() as session:
        clinic_id = session.scalars(select(ClinicRow.id).where(ClinicRow.code == "DEMO")).one()
    with app.state.db.unit_of_work(clinic_id) as uow:
        clinic.add_user(uow, username="dual", full_name="Dana Dual", password="dual-pass-1",
                        roles=["biller", "approver"])  # fmt: skip


def _post(client: TestClient, path: str, data: dict | None = None):
    form = {"csrf_token": token(client, "/rules"), **(data or {})}
    return client.post(path, data=form, follow_redirects=False)


def _approve_form(page: str) -> bool:
    return re.search(r'<form method="post" action="/claims/\d+/approve"', page) is not None


def _units(client: TestClient, claim_id: int) -> str:
    """Line 1's units as the claim page's form shows them."""
    found = re.search(r'name="units" value="(\d+)"', client.get(f"/claims/{claim_id}").text)
    assert found
    return found[1]


def _edit_line_one(client: TestClient, claim_id: int, units: str) -> None:
    page = client.get(f"/claims/{claim_id}").text
    line_id = re.search(r'<form id="line-(\d+)"', page)[1]  # type: ignore[index]
    mods = re.search(r'name="modifiers" value="([^"]*)"', page)[1]  # type: ignore[index]
    charge = re.search(r'name="charge" value="([^"]*)"', page)[1]  # type: ignore[index]
    fields = {"units": units, "modifiers": mods, "charge": charge}
    assert _post(client, f"/claims/{claim_id}/lines/{line_id}", fields).status_code == 303


def test_admin_without_the_role_sees_why_not_and_who_may(app, client):
    (ready,) = _ready(app)
    log_in(client, "admin")
    page = client.get(f"/claims/{ready.id}").text
    assert not _approve_form(page) and 'disabled aria-disabled="true"' in page
    assert "Approval needs the approver role, which Clinic Admin does not hold" in page
    assert re.search(r'data-testid="who-may-approve">.*Al Approver', page)
    refused = _post(client, f"/claims/{ready.id}/approve")
    assert refused.status_code == 403 and "Clinic Admin does not hold" in refused.text
    assert not _ID_LEAK.search(refused.text) and _status(app, ready.id) == "ready"
    queue = client.get("/queues/awaiting-approval").text  # said once, and nothing to tick
    assert queue.count("which Clinic Admin does not hold") == 1 and 'name="claim"' not in queue


def test_an_editor_is_refused_by_name_even_after_a_later_save(app, client):
    _dual_user(app)
    (ready,) = _ready(app)
    log_in(client, "dual", "dual-pass-1")
    page = client.get(f"/claims/{ready.id}").text
    assert _approve_form(page)  # Dana changed nothing yet: she may approve
    units = _units(client, ready.id)
    _edit_line_one(client, ready.id, str(int(units) + 1))
    _edit_line_one(client, ready.id, units)  # back as it was...
    with TestClient(app) as biller:  # ...and the biller saves a change after her
        log_in(biller, "biller")
        _edit_line_one(biller, ready.id, str(int(units) + 1))
        _edit_line_one(biller, ready.id, units)
    assert _status(app, ready.id) == "ready"
    page = client.get(f"/claims/{ready.id}").text
    assert not _approve_form(page)
    assert "You (Dana Dual) edited line 1 on" in page and "someone else must approve" in page
    who = re.search(r'data-testid="who-may-approve">(.*?)</p>', page, re.S)
    assert who and "Al Approver" in who[1] and "Dana Dual" not in who[1]
    refused = _post(client, f"/claims/{ready.id}/approve")
    assert refused.status_code == 403 and "Dana Dual" in refused.text
    assert not _ID_LEAK.search(refused.text) and _status(app, ready.id) == "ready"


def test_a_no_change_save_leaves_the_saver_free_to_approve(app, client):
    _dual_user(app)
    (ready,) = _ready(app)
    log_in(client, "dual", "dual-pass-1")
    history = client.get(f"/claims/{ready.id}").text.count('data-testid="history-row"')
    units = _units(client, ready.id)
    _edit_line_one(client, ready.id, units)  # Save with nothing changed
    page = client.get(f"/claims/{ready.id}").text
    assert "Nothing changed, so nothing was saved" in page
    assert page.count('data-testid="history-row"') == history and _approve_form(page)
    assert _post(client, f"/claims/{ready.id}/approve").status_code == 303
    assert _status(app, ready.id) == "approved"


def test_the_queue_approves_the_ticked_claims_and_refuses_the_editors_own(app, client):
    _dual_user(app)
    first, edited, third = _ready(app, 3)
    log_in(client, "dual", "dual-pass-1")
    units = _units(client, edited.id)
    _edit_line_one(client, edited.id, str(int(units) + 1))
    _edit_line_one(client, edited.id, units)
    page = client.get("/queues/awaiting-approval").text
    assert "<th>Findings</th>" in page and 'data-testid="approve-selected"' in page
    assert f'data-testid="findings-{first.number}"' in page
    box = re.search(rf'<input type="checkbox"[^>]*data-testid="pick-{edited.number}"[^>]*>', page)
    assert box and "disabled" in box[0]
    assert "You (Dana Dual) edited line 1" in page
    done = _post(client, "/queues/awaiting-approval/approve",
                 {"claim": [str(first.id), str(edited.id), str(third.id)]})  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == "/queues/awaiting-approval"
    flash = client.get("/queues/awaiting-approval").text
    assert (
        "2 claims approved. 1 refused:" in flash
        and f"claim {edited.number}: you (Dana Dual)" in flash
    )
    assert not _ID_LEAK.search(flash)
    assert [_status(app, c.id) for c in (first, edited, third)] == ["approved", "ready", "approved"]


def test_bulk_approval_needs_a_tick_and_the_role(app, client):
    (ready,) = _ready(app)
    log_in(client, "approver")
    empty = _post(client, "/queues/ready/approve", {"back": "page=2&payer=//evil.example"})
    assert empty.status_code == 303  # back to the same page of this queue, and nowhere else
    assert empty.headers["location"] == "/queues/awaiting-approval?page=2&payer=%2F%2Fevil.example"
    assert "Tick at least one claim" in client.get("/queues/awaiting-approval").text
    bogus = _post(client, "/queues/ready/approve", {"claim": ["²", "9" * 30]})
    assert bogus.status_code == 303
    text = client.get("/queues/awaiting-approval").text
    assert "No claim approved. 1 refused: a selected claim is not in this clinic" in text
    with TestClient(app) as biller:
        log_in(biller, "biller")
        assert _post(biller, "/queues/ready/approve", {"claim": [str(ready.id)]}).status_code == 403
    assert _status(app, ready.id) == "ready"
