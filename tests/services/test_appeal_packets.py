"""Appeal packets and prevention checks on the demo clinic: a CO-50 denial's cause, deadline and
letter; edit, finalise (PDF kept, SHA-256 audited), send; recurring denials proposed as checks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from otbill import clock
from otbill.domain.appeals import Denial
from otbill.services.denials import packet as packets
from otbill.services.denials import prevention
from otbill.services.remittances.post import post_remittance
from otbill.storage.tables import AuditEventRow, ClaimRow, DenialRow
from support.demoflow import clinic_and_users, simulated_835
from support.passwords import fast_password_hashing  # noqa: F401
from support.webkit import DEMO_TODAY, app_on_copy


@pytest.fixture
def app(demo_template, tmp_path):  # type: ignore[no-untyped-def]
    app = app_on_copy(demo_template, tmp_path)
    yield app
    app.state.db.dispose()


def _denied(app, tmp_path) -> tuple[DenialRow, int, int]:  # type: ignore[no-untyped-def]
    name, data = simulated_835(app, tmp_path)
    clinic_id, users = clinic_and_users(app)
    post_remittance(app.state.db, clinic_id, users["biller"], data, name=name, today=DEMO_TODAY)
    with app.state.db.session() as session:
        denial = session.scalars(select(DenialRow).where(DenialRow.carc == "50")).first()
    assert denial is not None
    return denial, clinic_id, users["biller"]


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_co50_packet_from_draft_to_sent(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    denial, clinic_id, biller = _denied(app, tmp_path)
    db = app.state.db
    with clock.as_of(DEMO_TODAY), db.unit_of_work(clinic_id, biller) as uow:
        draft = packets.draft_packet(uow, denial.id)
        number = uow.claims.get(denial.claim_id).number
        assert (draft.cause, draft.template, draft.status) == (
            "documentation", "medical-necessity", "draft"
        )  # fmt: skip
        assert draft.deadline == denial.denied_on + dt.timedelta(days=120)  # Medicare, level 1
        assert f"on claim {number}" in draft.body and "(reason CO-50)" in draft.body
        preview = _text(packets.packet_pdf(uow, denial.id))
        assert "DRAFT" in preview and "Request for redetermination" in preview
        packets.edit_letter(uow, denial.id, draft.body + "\n\nThe LCD's criteria are met.")
        final = packets.finalise_packet(uow, denial.id)
        kept = packets.packet_pdf(uow, denial.id)
    assert final.status == "final" and final.pdf_sha256 == hashlib.sha256(kept).hexdigest()
    text = _text(kept)
    assert "DRAFT" not in text and "The LCD's criteria are met." in text
    for enclosed in ("Plan of care", "Treatment notes with minutes", "Proof of timely submission",
                     "Remittance (835)"):  # fmt: skip
        assert enclosed in text
    with db.session() as session:
        audited = session.scalars(
            select(AuditEventRow).where(AuditEventRow.action == "appeal_packet.final")
        ).one()
        assert final.pdf_sha256 in str(audited.after)
    with clock.as_of(DEMO_TODAY), db.unit_of_work(clinic_id, biller) as uow:
        with pytest.raises(packets.PacketError, match="cannot change"):
            packets.edit_letter(uow, denial.id, "other words")
        sent = packets.mark_sent(uow, denial.id)
        assert sent.status == "sent" and sent.sent_on == DEMO_TODAY and sent.appeal_id
        with pytest.raises(packets.PacketError, match="was sent on"):
            packets.mark_sent(uow, denial.id)
    with db.session() as session:
        assert session.get_one(ClaimRow, denial.claim_id).status == "appealed"


def test_a_draft_cannot_be_sent_and_an_empty_letter_is_refused(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    denial, clinic_id, biller = _denied(app, tmp_path)
    with clock.as_of(DEMO_TODAY), app.state.db.unit_of_work(clinic_id, biller) as uow:
        with pytest.raises(packets.PacketError, match="finalise the letter first"):
            packets.mark_sent(uow, denial.id)
        with pytest.raises(packets.PacketError, match="the letter is empty"):
            packets.edit_letter(uow, denial.id, "   ")


def test_recurring_denials_propose_a_check_that_a_biller_decides(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    denial, clinic_id, biller = _denied(app, tmp_path)
    db = app.state.db
    with clock.as_of(DEMO_TODAY), db.unit_of_work(clinic_id, biller) as uow:
        claim = uow.claims.get(denial.claim_id)
        lines = uow.claims.lines(claim.id)
        code = next((ln.code for ln in lines if ln.id == denial.claim_line_id), lines[0].code)
        day = denial.denied_on  # the 835's date: the rolling window ends there
        kept = uow.denials.get(denial.id)
        others = [c for c in uow.claims.by_status(None) if c.payer_id == claim.payer_id
                  and c.id != claim.id and uow.claims.lines(c.id)[0].code == code][:3]  # fmt: skip
        events = [e for e in uow.appeals.denial_events(day - dt.timedelta(90))
                  if e.payer_id == claim.payer_id and e.code == code and e.carc == "50"]  # fmt: skip
        for other in others[: max(0, 3 - len(events))]:
            line = uow.claims.lines(other.id)[0]
            uow.denials.add(dataclasses.replace(kept, id=0, claim_id=other.id,
                                                claim_line_id=line.id, remittance_id=None))  # fmt: skip
        prevention.propose_checks(uow, day, claim.payer_id)  # or the 835 proposed it
        check = uow.appeals.check_for(claim.payer_id, code, "50")
        assert check is not None and check.denials >= 3 and check.status == "proposed"
        mine = [check]
        assert prevention.propose_checks(uow, day, claim.payer_id) == []  # once only
        accepted = prevention.decide(uow, mine[0].id, accept=True)
        assert accepted.status == "accepted" and accepted.decided_by == biller
        with pytest.raises(prevention.CheckDecided, match="already accepted"):
            prevention.decide(uow, mine[0].id, accept=False)
        run = prevention.with_clinic_rules(uow, app.state.wiring.scrub_context(DEMO_TODAY))
        assert [c.id for c in run.clinic_rules] == [mine[0].id]
        assert run.clinic_rules[0].payer_code  # the rule matches the claim's payer ID by it


def test_recovered_counts_later_payments_only(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    denial, clinic_id, biller = _denied(app, tmp_path)
    with app.state.db.unit_of_work(clinic_id, biller) as uow:
        assert uow.appeals.recovered_cents(denial.claim_id, denial.remittance_id,
                                           denial.denied_on) == 0  # fmt: skip
        assert isinstance(uow.denials.get(denial.id), Denial)
