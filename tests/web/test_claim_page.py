"""The claim page: findings and history, one-click safe fixes, line edits, approval, rule pages."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from otbill.services.clinic import setup as clinic
from otbill.storage.tables import ClaimLineRow, ClaimRow, ClinicRow
from support.webkit import log_in, token


def _claim(app, claim_id: int) -> ClaimRow:
    with app.state.db.session() as session:
        return session.get_one(ClaimRow, claim_id)


def _lines(app, claim_id: int) -> list[ClaimLineRow]:
    with app.state.db.session() as session:
        query = select(ClaimLineRow).where(ClaimLineRow.claim_id == claim_id)
        return list(session.scalars(query.order_by(ClaimLineRow.position)))


def _held_for(app, rule: str) -> ClaimRow:
    with app.state.db.session() as session:
        held = session.scalars(
            select(ClaimRow).where(ClaimRow.status == "held").order_by(ClaimRow.id)
        )
        return next(c for c in held if any(f["rule"] == rule for f in c.findings))


def _ready(app) -> ClaimRow:
    with app.state.db.session() as session:
        return session.scalars(select(ClaimRow).where(ClaimRow.status == "ready")).first()


def _post(client: TestClient, path: str, **data: str):
    return client.post(path, data={"csrf_token": token(client, "/rules"), **data},
                       follow_redirects=False)  # fmt: skip


def test_claim_page_shows_findings_context_and_history(app, client):
    held = _held_for(app, "MOD001")
    log_in(client, "biller")
    page = client.get(f"/claims/{held.id}").text
    assert f"Claim {held.number}" in page and 'class="badge held"' in page
    row = re.search(r'<tr data-testid="finding-MOD001">.*?</tr>', page, re.S)
    assert row and 'href="/rules/MOD001"' in row[0] and "has no GO modifier" in row[0]
    assert "add GO to line 1" in row[0] and 'data-testid="fix-MOD001"' in row[0]
    for heading in ("Service lines", "What the scrubber checked against", "Plan of care",
                    "Eligibility", "Visit number", "Documentation", "History"):  # fmt: skip
        assert heading in page
    history = re.findall(r'data-testid="history-row"', page)
    assert len(history) >= 3  # built, scrubbed, edited (GO removed), held again
    assert "Bea Biller" in page


def test_one_click_fix_adds_go_and_the_claim_becomes_ready(app, client):
    held = _held_for(app, "MOD001")
    log_in(client, "biller")
    before = client.get("/queues").text
    response = _post(client, f"/claims/{held.id}/fix/MOD001")
    assert response.status_code == 303 and response.headers["location"] == f"/claims/{held.id}"
    page = client.get(f"/claims/{held.id}").text
    assert "add GO to line 1" in page and "ready for approval" in page
    assert _claim(app, held.id).status == "ready"
    assert "GO" in _lines(app, held.id)[0].modifiers.split(",")
    assert "applied safe fixes" in page
    counts = {t: int(n) for t, n in re.findall(r'tab-([a-z]+)" data-count="(\d+)', before)}
    after = {
        t: int(n)
        for t, n in re.findall(r'tab-([a-z]+)" data-count="(\d+)', client.get("/queues").text)
    }
    assert after["held"] == counts["held"] - 1 and after["ready"] == counts["ready"] + 1


def test_fix_with_nothing_to_fix_is_explained_not_an_error_page(app, client):
    ready = _ready(app)
    log_in(client, "biller")
    response = _post(client, f"/claims/{ready.id}/fix")
    assert response.status_code == 409
    assert "no safe fix applies" in response.text and f"Claim {ready.number}" in response.text


def test_apply_all_safe_fixes(app, client):
    held = _held_for(app, "MOD001")
    log_in(client, "biller")
    assert _post(client, f"/claims/{held.id}/fix").status_code == 303
    assert _claim(app, held.id).status == "ready"


def test_edit_line_units_modifiers_and_charge(app, client):
    held = _held_for(app, "MOD001")
    line = _lines(app, held.id)[0]
    log_in(client, "biller")
    response = _post(client, f"/claims/{held.id}/lines/{line.id}", units=str(line.units),
                     modifiers="go", charge="175.50")  # fmt: skip
    assert response.status_code == 303
    edited, claim = _lines(app, held.id)[0], _claim(app, held.id)
    assert edited.modifiers == "GO" and edited.charge_cents == 17550
    assert claim.total_charge_cents == sum(x.charge_cents for x in _lines(app, held.id))
    assert "edited a line" in client.get(f"/claims/{held.id}").text
    bad = _post(client, f"/claims/{held.id}/lines/{line.id}", units="two", modifiers="", charge="")
    assert bad.status_code == 422 and "whole number of units" in bad.text
    bad = _post(client, f"/claims/{held.id}/lines/{line.id}", modifiers="GOO")
    assert bad.status_code == 422 and "two letters or digits" in bad.text


def test_rescrub(app, client):
    held = _held_for(app, "PRG001")
    log_in(client, "biller")
    response = _post(client, f"/claims/{held.id}/rescrub")
    assert response.status_code == 303
    assert "Re-scrubbed" in client.get(f"/claims/{held.id}").text


def _dual_user(app) -> None:
    """A user who is both biller and approver: may edit, and may approve others' claims."""
    with app.state.db.session() as session:
        clinic_id = session.scalars(select(ClinicRow.id).where(ClinicRow.code == "DEMO")).one()
    with app.state.db.unit_of_work(clinic_id) as uow:
        clinic.add_user(uow, username="dual", full_name="Dana Dual", password="dual-pass-1",
                        roles=["biller", "approver"])  # fmt: skip


def test_the_editor_cannot_approve_another_approver_can(app, client):
    _dual_user(app)
    held = _held_for(app, "MOD001")
    log_in(client, "dual", "dual-pass-1")
    assert _post(client, f"/claims/{held.id}/fix/MOD001").status_code == 303
    page = client.get(f"/claims/{held.id}").text
    assert 'data-testid="approve-button"' in page and "someone else must approve" in page
    refused = _post(client, f"/claims/{held.id}/approve")
    assert refused.status_code == 403 and "separation of duties" in refused.text
    assert _claim(app, held.id).status == "ready"
    with TestClient(app) as other:
        log_in(other, "approver")
        accepted = _post(other, f"/claims/{held.id}/approve")
        assert accepted.status_code == 303
        assert "Approved" in other.get(f"/claims/{held.id}").text
    claim = _claim(app, held.id)
    assert claim.status == "approved" and claim.approved_by != claim.last_edited_by


def test_biller_cannot_approve_and_therapist_is_refused(app, client):
    ready = _ready(app)
    log_in(client, "biller")
    assert _post(client, f"/claims/{ready.id}/approve").status_code == 403
    with TestClient(app) as therapist:
        log_in(therapist, "rcole")
        assert therapist.get(f"/claims/{ready.id}").status_code == 403
        assert _post(therapist, f"/claims/{ready.id}/approve").status_code == 403
        assert _post(therapist, f"/claims/{ready.id}/fix").status_code == 403
    assert _claim(app, ready.id).status == "ready"


@pytest.mark.parametrize("action", ["fix", "fix/MOD001", "rescrub", "approve", "lines/1"])
def test_posts_without_csrf_token_are_refused(app, client, action):
    held = _held_for(app, "MOD001")
    log_in(client, "admin")
    response = client.post(f"/claims/{held.id}/{action}", data={"units": "1"})
    assert response.status_code == 403
    assert _claim(app, held.id).status == "held"


def test_unknown_claim_is_404(client):
    log_in(client, "biller")
    assert client.get("/claims/999999").status_code == 404
    assert _post(client, "/claims/999999/rescrub").status_code == 404


def test_rule_pages_explain_each_rule(client):
    log_in(client, "rcole")  # any logged-in role may read them
    index = client.get("/rules")
    assert index.status_code == 200 and 'href="/rules/MOD001"' in index.text
    page = client.get("/rules/MOD001")
    assert page.status_code == 200
    for section in ("What it checks", "Why payers deny it", "Example", "Fix", "Source"):
        assert f"<h2>{section}</h2>" in page.text
    assert "GO" in page.text and "Pub 100-04" in page.text
    assert client.get("/rules/mod001").status_code == 200
    assert client.get("/rules/XYZ999").status_code == 404


def test_rule_pages_show_the_lifecycle_and_the_other_severities(client):
    log_in(client, "rcole")
    assert "stable since 0.1.0" in client.get("/rules").text
    page = client.get("/rules/AUT002").text  # a rule with named cases of another severity
    assert 'data-testid="rule-status">stable</span> since otbill 0.1.0' in page
    cases = page.split('data-testid="rule-cases"')[1].split("</ul>")[0]
    assert "<li>" in cases and " when " in cases
