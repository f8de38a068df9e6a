"""Checking a coverage over 270/271 against the simulated payer: stored, audited, in plain words."""

from __future__ import annotations

import datetime as dt

import pytest

from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer
from otbill.clearinghouse.transport import TransportError
from otbill.domain.record_errors import RecordError
from otbill.payers import load_profiles
from otbill.services.exchange.eligibility import EligibilityCheckError, check_coverage
from otbill.storage import Database
from otbill.x12.read_270 import read_270
from support.clinickit import add_commercial_coverage, seed_clinic

TODAY = dt.date(2025, 3, 1)
VISIT = dt.date(2025, 3, 3)
PROFILES = load_profiles()


_coverage = add_commercial_coverage


def _check(db: Database, ids, coverage: int, payer=None, **extra):  # type: ignore[no-untyped-def]
    payer = payer or SimulatedEligibilityPayer()
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return check_coverage(uow, coverage, on=VISIT, today=TODAY, transport=payer,
                              profiles=PROFILES, **extra)  # fmt: skip


def test_an_active_answer_lands_on_the_coverage_with_benefits_and_raw_271(db: Database) -> None:
    ids = seed_clinic(db)
    coverage = _coverage(db, ids, "ACM900")
    result = _check(db, ids, coverage)
    assert result.summary.active is True
    assert "Copay: $25 in network, $50 out of network" in result.lines
    with db.unit_of_work(ids.clinic) as uow:
        stored = uow.patients.coverage(coverage)
        assert (stored.eligibility_verified_on, stored.eligibility_active) == (TODAY, True)
        check = uow.eligibility.latest(coverage)
        assert check is not None and check.id == result.check_id
        assert (check.checked_on, check.date_of_service, check.active) == (TODAY, VISIT, True)
        assert check.raw_response.startswith("ISA*") and "ST*271*" in check.raw_response
        assert check.benefits["summary"]["copay"] == {"in_network": "25", "out_of_network": "50"}
        assert check.benefits["lines"] == result.lines
        [event] = uow.audit_reads.events(entity="coverage", entity_id=str(coverage))[-1:]
        assert event.action == "coverage.eligibility"
        assert event.after is not None and event.after["eligibility_check_id"] == check.id


def test_an_inactive_answer_marks_the_coverage_inactive(db: Database) -> None:
    ids = seed_clinic(db)
    coverage = _coverage(db, ids, "ACM906")
    result = _check(db, ids, coverage)
    assert (result.summary.active, result.summary.status) == (False, "inactive")
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.patients.coverage(coverage).eligibility_active is False


def test_a_rejection_is_kept_but_verifies_nothing(db: Database) -> None:
    ids = seed_clinic(db)
    coverage = _coverage(db, ids, "ACM907")
    result = _check(db, ids, coverage)
    assert result.summary.active is None
    assert (
        "Payer says: the member ID is wrong or missing - fix: check the member ID on the card; "
        "correct and send again" in result.lines
    )
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.patients.coverage(coverage).eligibility_verified_on is None
        check = uow.eligibility.latest(coverage)
        assert check is not None and check.active is None
        events = uow.audit_reads.events(entity="coverage", entity_id=str(coverage))
        assert events[-1].action == "coverage.eligibility-unverified"


def test_a_dependent_is_asked_about_with_the_subscriber_and_procedure_codes(db: Database) -> None:
    ids = seed_clinic(db)
    subscriber = {"first_name": "Bob", "last_name": "Lee", "dob": "1945-01-02", "sex": "M"}
    coverage = _coverage(db, ids, "ACM901", relationship="spouse", subscriber=subscriber)
    payer = SimulatedEligibilityPayer()
    result = _check(db, ids, coverage, payer, disciplines=("OT", "PT"),
                    procedure_codes=("97530",))  # fmt: skip
    assert result.summary.active is True
    [inquiry] = read_270(payer.requests[0]).inquiries
    assert (inquiry.subscriber.first_name, inquiry.dependent.first_name) == ("BOB", "ANN")
    assert inquiry.relationship == "spouse" and inquiry.member_id == "ACM901"
    assert inquiry.service_types == ("AD", "PT") and inquiry.procedure_codes == ("97530",)
    assert inquiry.originator == "1741234567" and inquiry.date_of_service == VISIT


def test_medicare_is_asked_without_procedure_codes(db: Database) -> None:
    ids = seed_clinic(db)
    payer = SimulatedEligibilityPayer()
    _check(db, ids, ids.coverage, payer, procedure_codes=("97530",))
    [inquiry] = read_270(payer.requests[0]).inquiries
    assert inquiry.procedure_codes == () and inquiry.service_types == ("AD",)


class _Down:
    def exchange(self, request: bytes) -> bytes:
        raise TransportError("connection refused")


class _Garbage:
    def exchange(self, request: bytes) -> bytes:
        return b"ISA*00*hello~"


class _Wrong:
    def exchange(self, request: bytes) -> bytes:
        return request  # a 270 sent back


@pytest.mark.parametrize(
    ("payer", "message"),
    [
        (_Down(), "the payer could not be asked: connection refused"),
        (_Garbage(), "the payer's 271 cannot be read: segment 1 ISA: the ISA segment is truncated"),
        (_Wrong(), "the payer's 271 does not follow the guide: segment 2 GS GS01: is 'HS'"),
    ],
)
def test_a_failed_exchange_stores_nothing(db: Database, payer, message) -> None:  # type: ignore[no-untyped-def]
    ids = seed_clinic(db)
    coverage = _coverage(db, ids, "ACM900")
    with pytest.raises(EligibilityCheckError) as exc:
        _check(db, ids, coverage, payer)
    assert message in str(exc.value)
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.eligibility.latest(coverage) is None
        assert uow.patients.coverage(coverage).eligibility_verified_on is None


def test_a_coverage_of_another_clinic_is_not_found(db: Database) -> None:
    ids = seed_clinic(db)
    other = seed_clinic(db, "BBB", 1)
    with pytest.raises(RecordError):
        _check(db, ids, other.coverage)
