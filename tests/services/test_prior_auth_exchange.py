"""Asking the payer for an authorization over 278 (the simulated payer): each answer moves the
status with what the payer granted, logs the request and the reply (with the raw 278) in the one
channel, puts a pended or undecided request in the work queue with its follow-up date, and a
failed exchange keeps nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from otbill.clearinghouse.simulator.prior_auth import PEND_MESSAGE, SimulatedPriorAuthPayer
from otbill.clearinghouse.transport import TransportError
from otbill.domain.record_errors import PermissionDenied, RecordError
from otbill.payers import load_profiles
from otbill.services.exchange.prior_auth import (
    RAW_MARK,
    AuthExchange,
    PriorAuthError,
    request_authorization,
)
from otbill.services.frontdesk import authorizations as auths
from otbill.services.frontdesk import patients
from otbill.services.frontdesk.authorization_queue import authorization_page, authorization_queue
from otbill.services.visits import record as visits
from otbill.storage import Database
from otbill.x12.read_278 import read_278
from support.claimflow import record_visit
from support.clinickit import Ids, add_commercial_coverage, seed_clinic

TODAY = dt.date(2025, 4, 20)
MAY, JUNE_END = dt.date(2025, 5, 1), dt.date(2025, 6, 30)
PROFILES = load_profiles()


class Recording:
    """The simulated payer, keeping every request it was sent."""

    def __init__(self, answer: bytes | None = None) -> None:
        self.payer = SimulatedPriorAuthPayer()
        self.sent: list[bytes] = []
        self.answer = answer

    def exchange(self, request: bytes) -> bytes:
        self.sent.append(request)
        return self.answer if self.answer is not None else self.payer.exchange(request)


class Down:
    def exchange(self, request: bytes) -> bytes:
        raise TransportError("connection refused by the clearinghouse")


#: A coverage with the commercial payer; the member ID's last digit picks the answer.
_coverage = add_commercial_coverage


def _request(db: Database, ids: Ids, coverage: int, **kw: object) -> int:
    values: dict[str, object] = {"codes": ["97530", "97110"], "visits_authorized": 12} | kw
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return auths.open_authorization(
            uow, coverage_id=coverage, number="REQ-1", start=MAY, end=JUNE_END, **values
        )  # type: ignore[arg-type]


def _ask(db: Database, ids: Ids, auth_id: int, transport: object = None, **kw: object):  # type: ignore[no-untyped-def]
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return request_authorization(
            uow, auth_id, transport=transport or SimulatedPriorAuthPayer(), today=TODAY,
            profiles=kw.pop("profiles", PROFILES), **kw,
        )  # type: ignore[arg-type]  # fmt: skip


def _page(db: Database, ids: Ids, auth_id: int):  # type: ignore[no-untyped-def]
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return authorization_page(uow, auth_id, TODAY)


def _auth_and_entries(db: Database, ids: Ids, auth_id: int):  # type: ignore[no-untyped-def]
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return uow.authorizations.get(auth_id), uow.authorizations.entries([auth_id])


def test_approved_in_full_takes_the_number_dates_and_visits(db: Database) -> None:
    ids = seed_clinic(db)
    auth_id = _request(db, ids, _coverage(db, ids, "ACM100"))
    payer = Recording()
    done = _ask(db, ids, auth_id, payer)
    assert isinstance(done, AuthExchange)
    assert (done.decision, done.status, done.follow_up_on) == ("approved", "approved", None)
    assert done.certification_number.startswith("AUTH")
    assert "approved, authorization number AUTH" in done.message
    auth, entries = _auth_and_entries(db, ids, auth_id)
    assert (auth.status, auth.number) == ("approved", done.certification_number)
    assert (auth.start_date, auth.end_date, auth.visits_authorized) == (MAY, JUNE_END, 12)
    assert auth.codes == ("97530", "97110")
    # opening request, our 278 request, the payer's reply, the status change
    assert [e.kind for e in entries] == ["request", "request", "reply", "status"]
    asked, reply, status = entries[1:]
    assert asked.reference == done.trace and done.trace.startswith(f"OTA{auth_id}-20250420-")
    assert "97530 × 12 visits, 97110 × 12 visits" in asked.text and "M6281" in asked.text
    assert reply.reference == done.certification_number
    said, raw = reply.text.split(RAW_MARK)
    assert said.splitlines()[0] == "Authorization: approved in full (certified in total)"
    assert raw.startswith("ISA*") and "ST*278*" in raw and "HCR*A1*" in raw
    assert "requested -> approved (12 visits)" in status.text
    # what the payer was asked: the coverage's member, the plan of care's diagnosis, the dates
    (request,) = read_278(payer.sent[0]).requests
    assert (request.member_id, request.diagnoses, request.start, request.end) == (
        "ACM100", ("M6281",), MAY, JUNE_END,
    )  # fmt: skip
    assert request.requester.npi and request.service_type == "AD"
    with db.unit_of_work(ids.clinic) as uow:
        events = uow.audit_reads.events(entity="authorization", entity_id=str(auth_id))
    exchange = [e for e in events if e.action == "authorization.278"]
    assert len(exchange) == 1 and exchange[0].after is not None
    assert exchange[0].after["decision"] == "approved"
    assert len(exchange[0].after["response_sha256"]) == 64
    assert {"authorization.log", "authorization.status"} <= {e.action for e in events}


def test_approved_in_part_takes_the_visits_granted(db: Database) -> None:
    ids = seed_clinic(db)
    auth_id = _request(db, ids, _coverage(db, ids, "ACM103"))
    done = _ask(db, ids, auth_id)
    assert (done.decision, done.status) == ("partially-approved", "partially-approved")
    auth, entries = _auth_and_entries(db, ids, auth_id)
    # two thirds of the 12 visits asked on each code's line
    assert (auth.status, auth.visits_authorized, auth.number) == (
        "partially-approved", 8, done.certification_number,
    )  # fmt: skip
    assert "more was asked than the plan authorizes" in entries[-1].text
    page = _page(db, ids, auth_id)
    assert page.summary.usage.visits_left == 8


def test_denied_keeps_the_reason_in_words(db: Database) -> None:
    ids = seed_clinic(db)
    auth_id = _request(db, ids, _coverage(db, ids, "ACM107"))
    done = _ask(db, ids, auth_id)
    assert (done.decision, done.status, done.certification_number) == ("denied", "denied", "")
    auth, entries = _auth_and_entries(db, ids, auth_id)
    assert auth.status == "denied" and auth.number == "REQ-1"
    assert "the provider is out of the plan's network" in entries[-1].text
    assert entries[-2].kind == "reply" and entries[-2].reference == done.trace
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        queue = authorization_queue(uow, TODAY)
    assert [s.id for s in queue.denied] == [auth_id]


def test_pended_goes_to_the_work_queue_with_the_follow_up_date(db: Database) -> None:
    ids = seed_clinic(db)
    auth_id = _request(db, ids, _coverage(db, ids, "ACM105"))
    done = _ask(db, ids, auth_id)
    due = TODAY + dt.timedelta(days=5)
    assert (done.decision, done.status, done.follow_up_on, done.owner_id) == (
        "pended", "pending", due, ids.biller,
    )  # fmt: skip
    assert "follow up by 2025-04-25" in done.message
    _, entries = _auth_and_entries(db, ids, auth_id)
    reply = entries[-2]
    assert reply.kind == "reply" and reply.reference and reply.reference.startswith("PEND")
    assert (reply.owner_id, reply.due_on) == (ids.biller, due)
    assert PEND_MESSAGE in reply.text
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        queue = authorization_queue(uow, TODAY)
    (row,) = [s for s in queue.pending if s.id == auth_id]
    assert (row.status, row.follow_up, row.owner_id) == ("pending", due, ids.biller)
    # asked again while pending, pended again: still pending, a new follow-up, nothing refused
    later = _ask(db, ids, auth_id, profiles={})
    assert (later.status, later.follow_up_on) == ("pending", due)
    _, entries = _auth_and_entries(db, ids, auth_id)
    assert [e.kind for e in entries].count("reply") == 2
    assert entries[-1].reference != entries[1].reference or later.trace != done.trace
    assert later.trace.endswith("-2") and done.trace.endswith("-1")


def test_the_payers_follow_up_days_come_from_its_profile(db: Database) -> None:
    ids = seed_clinic(db)
    auth_id = _request(db, ids, _coverage(db, ids, "ACM106"))
    longer = PROFILES["commercial-in-network"].model_copy(update={"prior_auth_follow_up_days": 10})
    profiles = {**PROFILES, "commercial-in-network": longer}
    done = _ask(db, ids, auth_id, profiles=profiles, owner_id=ids.admin)
    assert (done.follow_up_on, done.owner_id) == (TODAY + dt.timedelta(days=10), ids.admin)
    assert PROFILES["medicare"].prior_auth_follow_up_days == 5


def test_not_answered_stays_requested_and_a_person_follows_up(db: Database) -> None:
    ids = seed_clinic(db)
    auth_id = _request(db, ids, _coverage(db, ids, "ACM109"))
    done = _ask(db, ids, auth_id)
    assert (done.decision, done.status) == ("not-answered", "requested")
    assert done.follow_up_on == TODAY + dt.timedelta(days=5)
    auth, entries = _auth_and_entries(db, ids, auth_id)
    assert auth.status == "requested" and [e.kind for e in entries][-1] == "reply"
    assert "the payer did not find the subscriber" in entries[-1].text
    assert entries[-1].reference == done.trace
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        queue = authorization_queue(uow, TODAY)
    (row,) = [s for s in queue.pending if s.id == auth_id]
    assert row.follow_up == done.follow_up_on


def test_a_payer_that_cannot_be_asked_keeps_nothing(db: Database) -> None:
    ids = seed_clinic(db)
    auth_id = _request(db, ids, _coverage(db, ids, "ACM100"))
    before = _auth_and_entries(db, ids, auth_id)
    with pytest.raises(PriorAuthError, match="the payer could not be asked: connection refused"):
        _ask(db, ids, auth_id, Down())
    assert _auth_and_entries(db, ids, auth_id) == before


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (b"not X12 at all", "the payer's 278 cannot be read"),
        (b"", "the payer's 278 cannot be read"),
    ],
)
def test_an_unreadable_answer_keeps_nothing(db: Database, answer: bytes, expected: str) -> None:
    ids = seed_clinic(db)
    auth_id = _request(db, ids, _coverage(db, ids, "ACM100"))
    before = _auth_and_entries(db, ids, auth_id)
    with pytest.raises(PriorAuthError, match=expected):
        _ask(db, ids, auth_id, Recording(answer))
    assert _auth_and_entries(db, ids, auth_id) == before


def test_an_answer_to_another_request_or_a_request_sent_back_is_refused(db: Database) -> None:
    ids = seed_clinic(db)
    auth_id = _request(db, ids, _coverage(db, ids, "ACM100"))
    payer = Recording()
    _ask(db, ids, _request(db, ids, _coverage(db, ids, "ACM110")), payer)
    other_answer = SimulatedPriorAuthPayer().exchange(payer.sent[0])
    with pytest.raises(PriorAuthError, match="does not answer our request OTA"):
        _ask(db, ids, auth_id, Recording(other_answer))
    with pytest.raises(PriorAuthError, match="sent back a 278 request"):
        _ask(db, ids, auth_id, Recording(payer.sent[0]))
    auth, _ = _auth_and_entries(db, ids, auth_id)
    assert auth.status == "requested"


def test_only_requested_or_pending_authorizations_are_asked_for(db: Database) -> None:
    ids = seed_clinic(db)
    with pytest.raises(RecordError, match="authorization AUTH-1 is approved: only a requested"):
        _ask(db, ids, ids.auth)


def test_a_therapist_cannot_ask(db: Database) -> None:
    ids = seed_clinic(db)
    auth_id = _request(db, ids, _coverage(db, ids, "ACM100"))
    with db.unit_of_work(ids.clinic, ids.therapist) as uow, pytest.raises(PermissionDenied):
        request_authorization(uow, auth_id, transport=Down(), today=TODAY)


def test_a_patient_with_no_diagnosis_is_refused_before_sending(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        patient = patients.add_patient(
            uow, mrn="MRN9", first_name="Bo", last_name="Rae", dob=dt.date(1960, 1, 2),
            sex="M", address=("2 Elm St", "Austin", "TX", "78701"),
        )  # fmt: skip
        coverage = patients.add_coverage(
            uow, patient_id=patient, payer_id=ids.commercial, member_id="ACM200",
            effective_from=dt.date(2024, 1, 1),
        )  # fmt: skip
    auth_id = _request(db, ids, coverage)
    payer = Recording()
    with pytest.raises(RecordError, match="no plan of care or referral with a diagnosis"):
        _ask(db, ids, auth_id, payer)
    assert payer.sent == []


def test_a_dependent_an_every_code_request_and_the_treating_therapist(db: Database) -> None:
    """The subscriber named on the coverage, the patient as the dependent; an authorization for
    every code asks for the codes of the latest visit on its coverage, by the therapist who saw
    the patient."""
    ids = seed_clinic(db)
    parent = {"first_name": "Max", "last_name": "Lee", "dob": "1950-03-04", "sex": "M"}
    coverage = _coverage(db, ids, "ACM120", relationship="spouse", subscriber=parent)
    record_visit(db, ids, dt.date(2025, 4, 10),
                 [visits.Service("97535", 30), visits.Service("97530", 15)], coverage=coverage)  # fmt: skip
    auth_id = _request(db, ids, coverage, codes=[], visits_authorized=None, units_authorized=16)
    payer = Recording()
    done = _ask(db, ids, auth_id, payer)
    (request,) = read_278(payer.sent[0]).requests
    assert (request.subscriber.first_name, request.subscriber.last_name) == ("MAX", "LEE")
    assert request.patient is not None and request.patient.first_name == "ANN"
    assert request.relationship == "spouse"
    assert [(x.procedure_code, x.quantity, x.measure) for x in request.lines] == [
        ("97535", 16, "units"), ("97530", 16, "units"),
    ]  # fmt: skip
    assert request.servicing is not None and request.servicing.name == "COLE"
    auth, entries = _auth_and_entries(db, ids, auth_id)
    assert (done.status, auth.units_authorized, auth.codes) == ("approved", 16, ())
    assert entries[1].text.endswith("diagnoses M6281, treating Rita Cole")


def test_dates_an_approval_already_covers_are_refused_before_sending(db: Database) -> None:
    ids = seed_clinic(db)  # AUTH-1: approved, every code, 2025-02-01 to 04-30 on this coverage
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        auth_id = auths.open_authorization(
            uow, coverage_id=ids.commercial_coverage, number="REQ-9", start=dt.date(2025, 4, 1),
            end=dt.date(2025, 5, 31), visits_authorized=6,
        )  # fmt: skip
    payer = Recording()
    with pytest.raises(RecordError, match="dates that authorization AUTH-1 .* already covers"):
        _ask(db, ids, auth_id, payer)
    assert payer.sent == []
