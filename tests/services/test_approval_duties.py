"""Issue 11 items 1-3 (services): nobody who created or changed a claim may approve it, whoever
saved it after them; a save that changes nothing records nothing; refusals name people, never ids;
bulk approval refuses claim by claim and approves the rest."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from otbill.domain.record_errors import PermissionDenied
from otbill.services.claims import lifecycle as claims
from otbill.services.claims.bulk_approval import approve_batch
from otbill.services.claims.duties import approval_checks
from otbill.services.claims.fixes import edit_claim_line
from otbill.services.visits import record as visits
from otbill.storage import Database
from otbill.storage.tables import AuditEventRow, ClaimRow
from support.claimflow import RULES, TODAY, build_all, ready_claim, record_visit, scrub_run
from support.clinickit import Ids, seed_clinic

_ID_LEAK = re.compile(r"\buser \d+\b")


def _edit(db: Database, ids: Ids, user: int, claim_id: int, modifiers: list[str]) -> None:
    with db.unit_of_work(ids.clinic, user) as uow:
        claims.edit_line(uow, claim_id, 1, modifiers=modifiers, run=scrub_run(), rules=RULES)


def _status(db: Database, ids: Ids, claim_id: int) -> str:
    with db.unit_of_work(ids.clinic) as uow:
        return uow.records.get(ClaimRow, claim_id).status


def _refusal(db: Database, ids: Ids, user: int, claim_id: int) -> str:
    with (
        pytest.raises(PermissionDenied) as refused,
        db.unit_of_work(ids.clinic, user) as uow,
    ):
        claims.approve(uow, claim_id, TODAY)
    return str(refused.value)


def test_an_earlier_editor_may_not_approve_after_someone_else_saved(db: Database) -> None:
    ids = seed_clinic(db)
    claim_id = ready_claim(db, ids)  # built by the biller
    _edit(db, ids, ids.approver2, claim_id, ["GO", "59"])  # approver2 changes the content...
    _edit(db, ids, ids.biller, claim_id, ["GO"])  # ...and the biller saves after them
    assert _status(db, ids, claim_id) == "ready"
    why = _refusal(db, ids, ids.approver2, claim_id)
    assert "you (Approver2) edited line 1 on" in why and "someone else must approve" in why
    assert not _ID_LEAK.search(why)
    with db.unit_of_work(ids.clinic, ids.approver) as uow:  # untouched by the approver
        claims.approve(uow, claim_id, TODAY)
    assert _status(db, ids, claim_id) == "approved"


def test_the_creator_may_not_approve_and_the_role_is_named(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:  # the creator also holds approver
        uow.users.grant(ids.biller, ["approver"])
    claim_id = ready_claim(db, ids)
    why = _refusal(db, ids, ids.biller, claim_id)
    assert "you (Biller) created the claim on" in why and not _ID_LEAK.search(why)
    admin_why = _refusal(db, ids, ids.admin, claim_id)
    assert "approval needs the approver role, which Ada Admin does not hold" in admin_why
    assert not _ID_LEAK.search(admin_why)


def test_a_role_refusal_names_the_person_not_their_id(db: Database) -> None:
    ids = seed_clinic(db)
    claim_id = ready_claim(db, ids)
    with (
        pytest.raises(PermissionDenied) as refused,
        db.unit_of_work(ids.clinic, ids.approver) as uow,  # an approver who is no biller edits
    ):
        claims.edit_line(uow, claim_id, 1, modifiers=["GO", "59"], run=scrub_run(), rules=RULES)
    assert "Approver needs the biller role" in str(refused.value)
    assert not _ID_LEAK.search(str(refused.value))


def _audit_rows(db: Database, ids: Ids) -> int:
    with db.unit_of_work(ids.clinic) as uow:
        return uow.records.count(AuditEventRow)


def test_a_no_change_save_records_nothing_and_bars_no_one(db: Database) -> None:
    ids = seed_clinic(db)
    claim_id = ready_claim(db, ids)
    with db.unit_of_work(ids.clinic, ids.approver2) as uow:
        line = uow.claims.lines(claim_id)[0]
    audited = _audit_rows(db, ids)
    with db.unit_of_work(ids.clinic, ids.approver2) as uow:
        edit_claim_line(uow, claim_id, line.id, modifiers=line.modifiers.split(","),
                        units=line.units, charge=None, run=scrub_run(), rules=RULES)  # fmt: skip
    assert _audit_rows(db, ids) == audited  # no audit row, no status change
    assert _status(db, ids, claim_id) == "ready"
    with db.unit_of_work(ids.clinic, ids.approver2) as uow:
        assert uow.claims.editors.of([claim_id])[claim_id][0].what == "created the claim"
        assert len(uow.claims.editors.of([claim_id])[claim_id]) == 1
        claims.approve(uow, claim_id, TODAY)  # approver2 changed nothing: may approve


def test_who_may_approve_is_named(db: Database) -> None:
    ids = seed_clinic(db)
    claim_id = ready_claim(db, ids)
    _edit(db, ids, ids.approver2, claim_id, ["GO", "59"])
    _edit(db, ids, ids.approver2, claim_id, ["GO"])
    with db.unit_of_work(ids.clinic, ids.approver2) as uow:
        number = uow.claims.get(claim_id).number
        check = approval_checks(uow, [(claim_id, number)])[claim_id]
    assert not check.allowed and check.approvers == ("Approver",)
    assert check.involved[0].startswith("Biller created the claim on")
    assert check.involved[1].startswith("Approver2 edited line 1 on")
    with db.unit_of_work(ids.clinic, ids.approver) as uow:
        assert approval_checks(uow, [(claim_id, number)])[claim_id].allowed


def test_bulk_approval_refuses_one_by_one_and_approves_the_rest(db: Database) -> None:
    ids = seed_clinic(db)
    for day in (3, 4, 5):
        record_visit(db, ids, dt.date(2025, 2, day), [visits.Service("97530", 30)])
    first, second, third = build_all(db, ids)
    assert {_status(db, ids, c) for c in (first, second, third)} == {"ready"}
    _edit(db, ids, ids.approver2, second, ["GO", "59"])
    _edit(db, ids, ids.biller, second, ["GO"])
    done = approve_batch(lambda: db.unit_of_work(ids.clinic, ids.approver2),
                         [first, second, third, 10**9], TODAY)  # fmt: skip
    assert len(done.approved) == 2 and len(done.refused) == 2
    (number, why), (_, missing) = done.refused
    assert "you (Approver2) edited line 1" in why and number in why
    assert missing == "a selected claim is not in this clinic"
    assert [_status(db, ids, c) for c in (first, second, third)] == [
        "approved", "ready", "approved"]  # fmt: skip
    assert "2 claims approved. 2 refused:" in done.summary()
    assert not _ID_LEAK.search(done.summary())
