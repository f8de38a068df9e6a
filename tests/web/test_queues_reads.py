"""Queue page reads folded into fewer statements (issue 15, H9): each claim's therapists (its lines'
rendering providers in line order, once each) with the page's claims; the audit head with the open
unmatched work items."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from otbill.services.views import work_queues as wq
from otbill.storage.tables import ClaimLineRow, ClaimRow, DenialRow, ProviderRow, WorkItemRow
from support.webkit import log_in


def _expected(app) -> dict[int, str]:
    with app.state.db.session() as session:
        lines = session.execute(
            select(ClaimLineRow.claim_id, ProviderRow.first_name, ProviderRow.last_name)
            .join(ProviderRow, ProviderRow.id == ClaimLineRow.rendering_provider_id)
            .order_by(ClaimLineRow.claim_id, ClaimLineRow.position)
        )
        names: dict[int, list[str]] = {}
        for claim_id, first, last in lines:
            seen = names.setdefault(claim_id, [])
            if f"{first} {last}" not in seen:
                seen.append(f"{first} {last}")
    return {claim_id: ", ".join(found) for claim_id, found in names.items()}


def test_each_row_names_its_lines_therapists_in_line_order(app):
    expected = _expected(app)
    with app.state.db.session() as session:
        clinic_id = session.scalars(select(ClaimRow.clinic_id)).first()
    with app.state.db.unit_of_work(clinic_id, None) as uow:
        rows = [
            row
            for tab in ("held", "ready")
            for row in wq.list_queue(uow, tab, wq.QueueFilter()).rows
        ]
    assert rows
    for row in rows:
        assert row["therapists"] == expected.get(row["id"], "")


def test_the_unmatched_tab_counts_open_work_items_read_with_the_audit_head(app, client):
    """The audit head and the open unmatched items come from one statement; both as read apart."""
    with app.state.db.session() as session:
        clinic_id = session.scalars(select(ClaimRow.clinic_id)).first()
        now = dt.datetime(2026, 5, 1, 12, 0)
        for n, resolved in enumerate((None, None, now)):
            session.add(WorkItemRow(clinic_id=clinic_id, source_key=f"h9-{n}", kind="835",
                                    reference=f"X{n}", reason="no such claim", created_at=now,
                                    resolved_at=resolved))  # fmt: skip
        session.commit()
    with app.state.db.unit_of_work(clinic_id, None) as uow:
        assert uow.queues.head_and_open_items() == (uow.audit_reads.head_seq(), 2)
    log_in(client, "biller")
    page = client.get("/queues").text
    assert 'data-testid="tab-unmatched" data-count="2"' in page
    listed = client.get("/queues/unmatched").text
    assert listed.count('data-testid="work-item-') == 2 and "no such claim" in listed


def test_the_denied_tab_shows_each_claims_latest_denial(app, client):
    with app.state.db.session() as session:
        claim = session.scalars(select(ClaimRow).order_by(ClaimRow.id)).first()
        claim.status = "denied"
        for carc, rarc, by in (("50", None, None), ("16", "N115", dt.date(2026, 9, 1))):
            session.add(DenialRow(clinic_id=claim.clinic_id, claim_id=claim.id, group_code="CO",
                                  carc=carc, rarc=rarc, denied_on=dt.date(2026, 6, 1),
                                  appeal_deadline=by))  # fmt: skip
            session.flush()
        session.commit()
        number = claim.number
    log_in(client, "biller")
    page = client.get("/queues/denied").text
    assert f'data-testid="claim-{number}"' in page
    assert "CO-16 / N115 · appeal by 2026-09-01" in page and "CO-50" not in page
