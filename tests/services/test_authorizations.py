"""Authorizations: running balances counted from visits, per-code counts, status moves, the
channel's entries, the work queue's three buckets, and the scrubber reading the same numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from otbill.domain.record_errors import IllegalTransition, PermissionDenied, RecordError
from otbill.services.clinic import audit
from otbill.services.frontdesk import authorizations as auths
from otbill.services.frontdesk.authorization_queue import (
    authorization_list,
    authorization_page,
    authorization_queue,
)
from otbill.services.visits import record as visits
from otbill.storage import Database
from support.claimflow import build_all, claim_with_lines, record_visit
from support.clinickit import Ids, seed_clinic


def _request(
    db: Database, ids: Ids, number: str, start: dt.date, end: dt.date, **kw: object
) -> int:
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return auths.open_authorization(
            uow, coverage_id=ids.commercial_coverage, number=number, start=start, end=end, **kw
        )  # type: ignore[arg-type]


def _move(db: Database, ids: Ids, auth_id: int, status: str, **kw: object) -> None:
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        auths.change_status(uow, auth_id, status=status, **kw)  # type: ignore[arg-type]


def _findings(db: Database, ids: Ids, claim_id: int) -> set[str]:
    """The rules whose error findings hold the claim."""
    claim, _ = claim_with_lines(db, ids, claim_id)
    return {f["rule"] for f in claim.findings if f["severity"] == "error"}


def test_use_is_counted_from_visits_per_code(db: Database) -> None:
    ids = seed_clinic(db)  # AUTH-1: every code, 3 visits, 2025-02-01 to 04-30
    march = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    per_code = _request(db, ids, "PC-9", *march, codes=["97110"], status="approved",
                        visits_authorized=2, units_authorized=4)  # fmt: skip
    for day, codes in ((3, ["97530"]), (5, ["97110", "97530"]), (7, ["97110"])):
        services = [visits.Service(c, 30) for c in codes]
        record_visit(db, ids, dt.date(2025, 3, day), services, coverage=ids.commercial_coverage)
    record_visit(db, ids, dt.date(2025, 3, 10), [visits.Service("97110", 30)])  # Medicare
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        rows = {s.number: s for s in authorization_list(uow, dt.date(2025, 3, 20))}
    assert (rows["AUTH-1"].usage.visits_used, rows["AUTH-1"].usage.visits_left) == (3, 0)
    per = rows["PC-9"].usage
    assert (per.visits_used, per.units_used, per.visits_left, per.units_left) == (2, 4, 0, 0)
    assert rows["PC-9"].codes == ("97110",) and rows["PC-9"].priority == "secondary"
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        page = authorization_page(uow, per_code, dt.date(2025, 3, 20))
    assert page.pending_use == 0  # counted from the schedule: nothing booked on PC-9


def test_status_moves_and_refusals(db: Database) -> None:
    ids = seed_clinic(db)
    auth = _request(db, ids, "REF-1", dt.date(2025, 5, 1), dt.date(2025, 6, 30))
    _move(db, ids, auth, "pending")
    _move(db, ids, auth, "approved", number="A-777", visits_authorized=12)
    with pytest.raises(IllegalTransition, match="cannot go from approved to denied"):
        _move(db, ids, auth, "denied")
    with pytest.raises(RecordError, match="expired is not set by hand"):
        _move(db, ids, auth, "expired")
    with pytest.raises(RecordError, match="end date 2025-04-01 is before start date"):
        _move(db, ids, _request(db, ids, "REF-2", dt.date(2025, 5, 1), dt.date(2025, 5, 2)),
              "approved", end=dt.date(2025, 4, 1))  # fmt: skip
    fresh = _request(db, ids, "REF-4", dt.date(2025, 5, 1), dt.date(2025, 5, 2))
    with pytest.raises(RecordError, match="visits authorized 5000: must be between 0 and 999"):
        _move(db, ids, fresh, "approved", visits_authorized=5000)
    with pytest.raises(RecordError, match="codes: CPT/HCPCS"):
        _request(db, ids, "REF-3", dt.date(2025, 5, 1), dt.date(2025, 5, 2), codes=["99999"])
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        page = authorization_page(uow, auth, dt.date(2025, 5, 10))
        later = authorization_page(uow, auth, dt.date(2025, 7, 1))
    assert (page.summary.number, page.summary.status, page.summary.visits_authorized) == (
        "A-777",
        "approved",
        12,
    )
    assert later.summary.status == "expired"
    assert [e.kind for e in page.entries] == ["request", "status", "status"]
    assert page.entries[-1].text == "pending -> approved (12 visits)"


def test_a_second_approval_for_the_same_visits_is_refused(db: Database) -> None:
    ids = seed_clinic(db)  # AUTH-1: every code, approved 2025-02-01 to 04-30
    with pytest.raises(RecordError, match="overlaps authorization AUTH-1, approved from 01 Feb"):
        _request(db, ids, "DUP-1", dt.date(2025, 4, 1), dt.date(2025, 5, 31), status="approved")
    asked = _request(db, ids, "DUP-2", dt.date(2025, 4, 15), dt.date(2025, 6, 30))
    with pytest.raises(RecordError, match="DUP-2 .* overlaps authorization AUTH-1"):
        _move(db, ids, asked, "approved", visits_authorized=10)
    # The payer's answer with dates that start after AUTH-1 ends is recorded.
    _move(db, ids, asked, "approved", start=dt.date(2025, 5, 1), visits_authorized=10)
    # A per-code approval (the evaluation) beside one for every code is not an overlap.
    _request(db, ids, "EVAL-1", dt.date(2025, 3, 1), dt.date(2025, 3, 31), status="approved",
             codes=["97165"], visits_authorized=1)  # fmt: skip
    with pytest.raises(RecordError, match="overlaps authorization EVAL-1"):
        _request(db, ids, "EVAL-2", dt.date(2025, 3, 15), dt.date(2025, 4, 15),
                 status="approved", codes=["97165", "97166"])  # fmt: skip


def test_an_approval_is_extended_but_never_below_its_use(db: Database) -> None:
    ids = seed_clinic(db)
    auth = _request(db, ids, "EXT-1", dt.date(2025, 5, 1), dt.date(2025, 5, 31),
                    status="approved", visits_authorized=2)  # fmt: skip
    for day in (5, 12):
        record_visit(db, ids, dt.date(2025, 5, day), [visits.Service("97110", 30)],
                     coverage=ids.commercial_coverage)  # fmt: skip
    with pytest.raises(RecordError, match="visits authorized 1: authorization EXT-1 has already"
                                          " been used for 2; give at least 2"):  # fmt: skip
        _move(db, ids, auth, "approved", visits_authorized=1)
    _move(db, ids, auth, "approved", end=dt.date(2025, 6, 30), visits_authorized=8,
          note="extension by phone")  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        page = authorization_page(uow, auth, dt.date(2025, 6, 1))
    assert (page.summary.visits_authorized, page.summary.status) == (8, "approved")
    assert page.entries[-1].text == "approved, extended or changed (8 visits): extension by phone"


def test_the_channel_logs_calls_in_order_with_owner(db: Database) -> None:
    ids = seed_clinic(db)
    auth = _request(db, ids, "REF-1", dt.date(2025, 5, 1), dt.date(2025, 6, 30))
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        with pytest.raises(RecordError, match="contact: name the person spoken to"):
            auths.log_entry(uow, auth, kind="call", reference="C-1")
        with pytest.raises(RecordError, match="reference: a fax entry needs"):
            auths.log_entry(uow, auth, kind="fax")
        with pytest.raises(RecordError, match="kind 'email'"):
            auths.log_entry(uow, auth, kind="email")
        with pytest.raises(RecordError, match="reference: at most 80 characters"):
            auths.log_entry(uow, auth, kind="fax", reference="F" * 81)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        auths.log_entry(uow, auth, kind="call", text="In review", reference="C-1", contact="Pat",
                        owner_id=ids.approver2, due_on=dt.date(2025, 4, 25))  # fmt: skip
        auths.log_entry(uow, auth, kind="document", document="scan-0042.pdf")
        page = authorization_page(uow, auth, dt.date(2025, 4, 20))
    assert [(e.kind, e.reference, e.contact) for e in page.entries[1:]] == [
        ("call", "C-1", "Pat"),
        ("document", None, None),
    ]
    assert page.entries[1].author == "Biller" and page.entries[1].owner == "Approver2"
    assert (page.summary.owner, page.summary.follow_up) == ("Approver2", dt.date(2025, 4, 25))
    actions = [e["action"] for e in audit.audit_events(db, ids.clinic, "authorization")]
    assert actions == ["authorization.create", "authorization.log", "authorization.log",
                       "authorization.log"]  # fmt: skip


def test_queue_buckets_and_owner_filter(db: Database) -> None:
    ids = seed_clinic(db)  # AUTH-1 ends 2025-04-30: within 14 days of 04-20
    pending = _request(db, ids, "P-1", dt.date(2025, 5, 1), dt.date(2025, 6, 30),
                       owner_id=ids.biller, due_on=dt.date(2025, 4, 22))  # fmt: skip
    denied = _request(db, ids, "D-1", dt.date(2025, 5, 1), dt.date(2025, 6, 30))
    _move(db, ids, denied, "denied", owner_id=ids.approver2)
    plenty = _request(db, ids, "OK-1", dt.date(2025, 5, 1), dt.date(2025, 9, 30))
    _move(db, ids, plenty, "approved", visits_authorized=20)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        queue = authorization_queue(uow, dt.date(2025, 4, 20))
        mine = authorization_queue(uow, dt.date(2025, 4, 20), owner_id=ids.biller)
        later = authorization_queue(uow, dt.date(2025, 7, 1))
    assert [s.number for s in queue.pending] == ["P-1"]
    assert queue.pending[0].follow_up == dt.date(2025, 4, 22)
    assert [s.number for s in queue.running_out] == ["AUTH-1"]
    assert [(s.number, s.owner) for s in queue.denied] == [("D-1", "Approver2")]
    assert queue.owners == {ids.biller: "Biller", ids.approver2: "Approver2"}
    assert [s.number for s in mine.pending] == ["P-1"] and not mine.denied
    assert not later.denied and not later.running_out  # past its dates; AUTH-1 expired
    assert pending in {s.id for s in later.pending}


def test_few_visits_left_puts_an_approval_in_the_queue(db: Database) -> None:
    ids = seed_clinic(db)
    auth = _request(db, ids, "OK-1", dt.date(2025, 5, 1), dt.date(2025, 9, 30))
    _move(db, ids, auth, "approved", visits_authorized=4)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert not authorization_queue(uow, dt.date(2025, 5, 1)).running_out
    record_visit(db, ids, dt.date(2025, 5, 2), [visits.Service("97530", 30)],
                 coverage=ids.commercial_coverage)  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        (row,) = authorization_queue(uow, dt.date(2025, 5, 3)).running_out
    assert (row.number, row.usage.visits_left) == ("OK-1", 3)


def test_scrubber_holds_a_claim_the_authorization_does_not_cover(db: Database) -> None:
    ids = seed_clinic(db)
    january = (dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    auth = _request(db, ids, "JAN-1", *january)
    day = dt.date(2025, 1, 15)
    record_visit(db, ids, day, [visits.Service("97530", 30)], coverage=ids.commercial_coverage)
    (requested,) = build_all(db, ids)
    assert "AUT001" in _findings(db, ids, requested)  # a request covers nothing
    _move(db, ids, auth, "denied")
    record_visit(db, ids, day.replace(day=16), [visits.Service("97530", 30)],
                 coverage=ids.commercial_coverage)  # fmt: skip
    (denied,) = build_all(db, ids)
    assert "AUT001" in _findings(db, ids, denied)


def test_an_approval_covers_the_claim_and_counts_the_same_visits(db: Database) -> None:
    ids = seed_clinic(db)
    january = (dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    auth = _request(db, ids, "JAN-1", *january)
    _move(db, ids, auth, "approved", number="JAN-OK", visits_authorized=1)
    for day in (15, 16):
        record_visit(db, ids, dt.date(2025, 1, day), [visits.Service("97530", 30)],
                     coverage=ids.commercial_coverage)  # fmt: skip
    first, second = build_all(db, ids)
    assert "AUT001" not in _findings(db, ids, first)
    assert "AUT003" not in _findings(db, ids, first)
    assert "AUT003" in _findings(db, ids, second)  # visit 2 of 1 authorized
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        (row,) = [s for s in authorization_list(uow, dt.date(2025, 1, 20)) if s.id == auth]
    assert (row.usage.visits_used, row.usage.visits_left) == (2, -1)


def test_only_the_front_office_works_authorizations(db: Database) -> None:
    ids = seed_clinic(db)
    with (
        db.unit_of_work(ids.clinic, ids.therapist) as uow,
        pytest.raises(PermissionDenied, match="front-desk or biller"),
    ):
        auths.open_authorization(uow, coverage_id=ids.commercial_coverage, number="T-1",
                                 start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 30))  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.approver) as uow, pytest.raises(PermissionDenied):
        auths.log_entry(uow, ids.auth, kind="note", text="looked at it")
    with db.unit_of_work(ids.clinic, ids.therapist) as uow, pytest.raises(PermissionDenied):
        auths.change_status(uow, ids.auth, status="approved", visits_authorized=4)


def test_the_queue_reads_current_authorizations_not_the_history(db: Database) -> None:
    ids = seed_clinic(db)  # AUTH-1: approved 2025-02-01 to 04-30
    old_ask = _request(db, ids, "ASKED-2024", dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    done = _request(db, ids, "DONE-2024", dt.date(2024, 4, 1), dt.date(2024, 6, 30),
                    status="approved", visits_authorized=6)  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        current = {a.number for a in uow.authorizations.of(current_on=dt.date(2025, 3, 1))}
        queue = authorization_queue(uow, dt.date(2025, 3, 1))
    assert current == {"AUTH-1", "ASKED-2024"}  # a request never answered stays in view
    assert [s.id for s in queue.pending] == [old_ask]
    assert done not in {s.id for s in queue.running_out + queue.denied}
