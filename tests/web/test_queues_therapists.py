"""The queue page's therapist column: each claim's rendering providers in line order, once each,
read with the page's claims in one statement (issue 15, H9)."""

from __future__ import annotations

from sqlalchemy import select

from otbill.services.views import work_queues as wq
from otbill.storage.tables import ClaimLineRow, ClaimRow, ProviderRow


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
