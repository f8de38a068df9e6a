"""The claim page shows the chain of payers (primary → secondary → patient) with links."""

from __future__ import annotations

from sqlalchemy import select

from otbill.storage.tables import ClaimRow, ClinicRow, UserRow
from support.webkit import log_in


def _secondary_of(app) -> tuple[ClaimRow, ClaimRow]:
    """A demo claim and a secondary claim made after it (linked as the automatic step does)."""
    db = app.state.db
    with db.session() as session:
        first = session.scalars(select(ClaimRow).where(ClaimRow.status == "ready")).first()
        clinic = session.scalars(select(ClinicRow)).first()
        biller = session.scalars(select(UserRow).where(UserRow.username == "biller")).first()
        assert first is not None and clinic is not None and biller is not None
    with db.unit_of_work(clinic.id, biller.id) as uow:
        made = uow.coordination.add_following(first.id, number=f"{first.number}-S",
                                              coverage_id=first.coverage_id,
                                              payer_id=first.payer_id, sequence="S",
                                              by_user=biller.id)  # fmt: skip
    with db.session() as session:
        return first, session.get_one(ClaimRow, made)


def test_both_claims_show_the_chain_with_links_to_each_other(app, client):
    primary, secondary = _secondary_of(app)
    log_in(client, "biller")
    page = client.get(f"/claims/{primary.id}").text
    assert 'data-testid="claim-chain"' in page
    assert f"claim {primary.number} (this claim)" in page
    assert f'<a href="/claims/{secondary.id}">claim {secondary.number}</a>' in page
    assert 'data-testid="chain-patient"' in page
    page = client.get(f"/claims/{secondary.id}").text
    assert f'<a href="/claims/{primary.id}">claim {primary.number}</a>' in page
    assert f"claim {secondary.number} (this claim)" in page


def test_a_claim_alone_shows_no_chain(app, client):
    with app.state.db.session() as session:
        alone = session.scalars(select(ClaimRow).where(ClaimRow.status == "held")).first()
    log_in(client, "biller")
    assert 'data-testid="claim-chain"' not in client.get(f"/claims/{alone.id}").text
