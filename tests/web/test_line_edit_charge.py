"""Issue 11 item 10: a biller's units edit reprices the line; bad fields answer 422 naming them."""

from __future__ import annotations

from sqlalchemy import select

from otbill.storage.tables import ClaimLineRow, ClaimRow, FeeScheduleRow
from support.webkit import log_in, token


def _ready(app) -> ClaimRow:
    """A ready claim whose first line is a timed code (2 units of 97110 become 4, say)."""
    with app.state.db.session() as session:
        query = select(ClaimRow).where(ClaimRow.status == "ready").order_by(ClaimRow.id)
        return next(c for c in session.scalars(query) if _lines(app, c.id)[0].code == "97110")


def _lines(app, claim_id: int) -> list[ClaimLineRow]:
    with app.state.db.session() as session:
        query = select(ClaimLineRow).where(ClaimLineRow.claim_id == claim_id)
        return list(session.scalars(query.order_by(ClaimLineRow.position)))


def _claim(app, claim_id: int) -> ClaimRow:
    with app.state.db.session() as session:
        return session.get_one(ClaimRow, claim_id)


def _fee_cents(app, code: str) -> int:
    with app.state.db.session() as session:
        query = select(FeeScheduleRow).where(FeeScheduleRow.code == code)
        return (
            session.scalars(query.order_by(FeeScheduleRow.effective_from.desc()))
            .first()
            .charge_cents
        )


def _edit(client, claim_id: int, line: ClaimLineRow, **fields: str):
    form = {"units": str(line.units), "modifiers": line.modifiers or "",
            "charge": f"{line.charge_cents / 100:.2f}", **fields}  # fmt: skip
    form["csrf_token"] = token(client, "/rules")
    return client.post(f"/claims/{claim_id}/lines/{line.id}", data=form, follow_redirects=False)


def test_more_units_with_the_charge_untouched_reprices_from_the_fee_schedule(app, client):
    claim = _ready(app)
    line = _lines(app, claim.id)[0]
    log_in(client, "biller")
    response = _edit(client, claim.id, line, units=str(line.units + 2))
    assert response.status_code == 303
    edited = _lines(app, claim.id)[0]
    assert edited.units == line.units + 2
    assert edited.charge_cents == _fee_cents(app, line.code) * (line.units + 2)
    assert _claim(app, claim.id).total_charge_cents == sum(
        x.charge_cents for x in _lines(app, claim.id)
    )
    page = client.get(f"/claims/{claim.id}").text
    assert "repriced" in page


def test_a_charge_typed_with_the_units_wins(app, client):
    claim = _ready(app)
    line = _lines(app, claim.id)[0]
    log_in(client, "biller")
    response = _edit(client, claim.id, line, units=str(line.units + 1), charge="999.00")
    assert response.status_code == 303
    assert _lines(app, claim.id)[0].charge_cents == 99900


def test_bad_fields_answer_422_naming_the_field(app, client):
    claim = _ready(app)
    line = _lines(app, claim.id)[0]
    log_in(client, "biller")
    for fields, named in (({"units": "two"}, "units"), ({"units": "1000"}, "units"),
                          ({"modifiers": "GOO"}, "modifiers"), ({"charge": "lots"}, "charge")):  # fmt: skip
        response = _edit(client, claim.id, line, **fields)
        assert response.status_code == 422, (fields, response.status_code)
        assert named in response.text
    assert _lines(app, claim.id)[0].units == line.units


def test_with_no_fee_and_no_charge_to_scale_the_biller_is_asked_for_the_charge(app, client):
    claim = _ready(app)
    line = _lines(app, claim.id)[0]
    with app.state.db.session() as session, session.begin():
        for fee in session.scalars(select(FeeScheduleRow).where(FeeScheduleRow.code == line.code)):
            session.delete(fee)
        session.get_one(ClaimLineRow, line.id).charge_cents = 0
    log_in(client, "biller")
    asked = _edit(client, claim.id, _lines(app, claim.id)[0], units=str(line.units + 2))
    assert asked.status_code == 422
    assert "charge: no fee on file for 97110" in asked.text and "type the charge" in asked.text
    assert _lines(app, claim.id)[0].units == line.units  # nothing saved
