"""Check one coverage for a date of service over 270/271, and keep the answer on the coverage.

Steps, in one unit of work: build the inquiry from the coverage, its patient (and subscriber when
the patient is a dependent), the payer and the clinic; write the 270 and check it against the
guide's table (a 270 otbill wrote that breaks the guide is otbill's bug, refused before sending);
send it over the real-time transport; check the 271 against the guide and read it; then store it.
The three steps are functions of their own (:func:`prepare_check`, :func:`exchange_check`,
:func:`store_check`) so a batch (:mod:`otbill.services.exchange.eligibility_batch`) can read the
records and store the answers on one thread while the exchanges, the slow part, run on many;
:func:`check_coverage` is the three in a row in one unit of work.

An answer that says active or inactive goes through the front desk's
:func:`~otbill.services.frontdesk.coverage.record_eligibility_check` (the coverage's verified date
and result, what ELG001 and the booking warnings read), with the benefits and the raw 271 kept
beside it. An answer that verifies nothing (an AAA: member ID wrong, payer unavailable) is kept and
audited, and the coverage's last verified date is left as it was: nothing was verified.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from otbill.clearinghouse.realtime import RealTimeTransport, ResendableTransport
from otbill.clearinghouse.transport import TransportError
from otbill.domain.care import Coverage
from otbill.domain.eligibility import (
    EligibilityAnswer,
    Inquiry,
    Person,
    StoredCheck,
    service_types_for,
)
from otbill.domain.eligibility_codes import reject
from otbill.domain.eligibility_summary import Coverage271, summarize
from otbill.domain.eligibility_words import describe
from otbill.domain.parties import Clinic, Patient, Payer
from otbill.domain.record_errors import NotFound, RecordError
from otbill.errors import OtbillError
from otbill.payers import PayerProfile
from otbill.services.frontdesk.coverage import record_eligibility_check
from otbill.storage import UnitOfWork
from otbill.x12.findings import X12Error
from otbill.x12.guide_rules import validate
from otbill.x12.read_271 import read_271
from otbill.x12.write_270 import InquiryEnvelope, write_270

__all__ = [
    "AnsweredCheck",
    "EligibilityCheckError",
    "EligibilityResult",
    "PreparedCheck",
    "Wanted",
    "check_coverage",
    "exchange_check",
    "prepare_check",
    "prepare_checks",
    "store_check",
    "store_checks",
]


class EligibilityCheckError(OtbillError):
    """The check could not be made or its answer could not be read (nothing was stored)."""


@dataclass(frozen=True, slots=True)
class EligibilityResult:
    coverage_id: int
    check_id: int
    summary: Coverage271
    lines: list[str]  # the summary in plain words


def _person(first: str, last: str, dob: dt.date, sex: str) -> Person:
    return Person(first, last, dob, sex if sex in ("F", "M", "U") else "U")


def _subscriber(coverage: Coverage) -> Person:
    who = coverage.subscriber or {}
    try:
        dob = dt.date.fromisoformat(str(who.get("dob")))
    except ValueError:
        raise RecordError(f"coverage {coverage.id}: the subscriber has no date of birth") from None
    return Person(str(who.get("first_name", "")), str(who.get("last_name", "")), dob,
                  str(who.get("sex", "U")))  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Records:
    """What a 270 is written from besides the coverage: its patient, payer and the clinic."""

    patient: Patient
    payer: Payer
    clinic: Clinic


def _inquiry(
    coverage: Coverage,
    records: _Records,
    on: dt.date,
    profile: PayerProfile | None,
    disciplines: tuple[str, ...],
    procedure_codes: tuple[str, ...],
    trace: str,
) -> Inquiry:
    patient, payer, clinic = records.patient, records.payer, records.clinic
    ein = "".join(ch for ch in clinic.tax_id if ch.isdigit())
    if len(ein) != 9:
        raise RecordError(f"clinic tax ID {clinic.tax_id!r}: a 9-digit EIN is needed for a 270")
    me = _person(patient.first_name, patient.last_name, patient.dob, patient.sex)
    dependent = coverage.relationship != "self"
    asks_codes = profile is not None and profile.eligibility_procedure_codes
    return Inquiry(
        trace=trace,
        payer_name=payer.name,
        payer_id=payer.payer_code,
        provider_name=clinic.name,
        provider_npi=clinic.npi,
        subscriber=_subscriber(coverage) if dependent else me,
        member_id=coverage.member_id,
        date_of_service=on,
        service_types=service_types_for(disciplines),
        procedure_codes=procedure_codes if asks_codes else (),
        dependent=me if dependent else None,
        relationship=coverage.relationship,
        originator="1" + ein,
    )


def build_inquiry(
    uow: UnitOfWork,
    coverage: Coverage,
    on: dt.date,
    profile: PayerProfile | None,
    disciplines: tuple[str, ...],
    procedure_codes: tuple[str, ...],
    *,
    trace: str | None = None,
) -> Inquiry:
    """The 270's question for ``coverage`` on ``on``, from the records (RecordError naming a gap).

    ``trace`` is the TRN02 to send; by default the coverage's next check number for the date."""
    patient = uow.patients.get(coverage.patient_id)
    payer = uow.payers.get(coverage.payer_id)
    records = _Records(patient, payer, uow.providers.billing())
    if trace is None:
        done = len(uow.eligibility.of_coverage(coverage.id))
        trace = f"OTB{coverage.id}-{on:%Y%m%d}-{done + 1}"
    return _inquiry(coverage, records, on, profile, disciplines, procedure_codes, trace)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _takes_payload_id(transport: RealTimeTransport) -> bool:
    try:
        return "payload_id" in inspect.signature(transport.exchange).parameters
    except (TypeError, ValueError):
        return False


def _exchange(transport: RealTimeTransport, request: bytes, payload_id: str | None) -> bytes:
    try:
        if payload_id is not None and _takes_payload_id(transport):
            return cast("ResendableTransport", transport).exchange(request, payload_id=payload_id)
        return transport.exchange(request)
    except TransportError as exc:
        raise EligibilityCheckError(f"the payer could not be asked: {exc}") from exc


def _answer(response: bytes, trace: str) -> tuple[EligibilityAnswer | None, list[tuple[str, str]]]:
    try:
        problems = validate(response, "271")
        if problems:
            message = f"the payer's 271 does not follow the guide: {problems[0]}"
            raise EligibilityCheckError(message)
        read = read_271(response)
    except X12Error as exc:
        raise EligibilityCheckError(f"the payer's 271 cannot be read: {exc}") from exc
    return read.answer_for(trace), [reject(r.code, r.follow_up) for r in read.rejections]


@dataclass(frozen=True, slots=True)
class PreparedCheck:
    """A 270 written from the records and checked against the guide, ready to send."""

    coverage_id: int
    on: dt.date
    inquiry: Inquiry
    request: bytes
    patient_id: int


@dataclass(frozen=True, slots=True)
class AnsweredCheck:
    """The payer's 271 to a prepared check, read into a summary (nothing stored yet)."""

    prepared: PreparedCheck
    response: bytes
    summary: Coverage271
    lines: list[str]


def _written(
    coverage: Coverage, on: dt.date, inquiry: Inquiry, envelope: InquiryEnvelope | None = None
) -> PreparedCheck:
    envelope = envelope or InquiryEnvelope(control_number=1 + coverage.id % 999_999_999)
    try:
        request = write_270(inquiry, envelope)
    except X12Error as exc:
        raise EligibilityCheckError(f"coverage {coverage.id}: {exc}") from exc
    problems = validate(request.encode(), "270")
    if problems:  # otbill's own 270 must follow the guide; never send a broken one
        raise EligibilityCheckError(f"the 270 otbill wrote breaks the guide: {problems[0]}")
    return PreparedCheck(coverage.id, on, inquiry, request.encode(), coverage.patient_id)


def prepare_check(
    uow: UnitOfWork,
    coverage_id: int,
    *,
    on: dt.date,
    profiles: Mapping[str, PayerProfile],
    disciplines: tuple[str, ...] = ("OT",),
    procedure_codes: tuple[str, ...] = (),
    trace: str | None = None,
) -> PreparedCheck:
    """Read the records and write the 270 for ``coverage_id`` on ``on`` (RecordError naming a
    gap in the records, EligibilityCheckError when otbill's own 270 would break the guide)."""
    coverage = uow.patients.coverage(coverage_id)
    profile = profiles.get(uow.payers.get(coverage.payer_id).profile)
    inquiry = build_inquiry(uow, coverage, on, profile, disciplines, procedure_codes, trace=trace)
    return _written(coverage, on, inquiry)


@dataclass(frozen=True, slots=True)
class Wanted:
    """One check a batch wants prepared: the coverage (and its patient), the date, the trace,
    and the interchange's control number and time, so the same 270 is written byte for byte
    when it is sent again."""

    coverage_id: int
    patient_id: int
    on: dt.date
    trace: str
    control_number: int
    created: dt.datetime


def prepare_checks(
    uow: UnitOfWork,
    wanted: Sequence[Wanted],
    *,
    profiles: Mapping[str, PayerProfile],
    disciplines: tuple[str, ...] = ("OT",),
) -> list[PreparedCheck | OtbillError]:
    """:func:`prepare_check` for many, reading the records in a few queries; in order, each a
    prepared check or the error that one could not be prepared for (the others go on)."""
    patient_ids = {w.patient_id for w in wanted}
    coverages = {c.id: c for c in uow.patients.coverages(patient_ids)}
    patients = {p.id: p for p in uow.patients.by_ids(patient_ids)}
    payers = {p.id: p for p in uow.payers.all()}
    clinic = uow.providers.billing()
    found: list[PreparedCheck | OtbillError] = []
    for one in wanted:
        coverage = coverages.get(one.coverage_id)
        if coverage is None or coverage.patient_id != one.patient_id:
            found.append(NotFound("coverage", one.coverage_id))
            continue
        payer = payers[coverage.payer_id]
        records = _Records(patients[coverage.patient_id], payer, clinic)
        try:
            inquiry = _inquiry(coverage, records, one.on, profiles.get(payer.profile),
                               disciplines, (), one.trace)  # fmt: skip
            envelope = InquiryEnvelope(control_number=one.control_number, created=one.created)
            found.append(_written(coverage, one.on, inquiry, envelope))
        except OtbillError as exc:
            found.append(exc)
    return found


def exchange_check(
    prepared: PreparedCheck, transport: RealTimeTransport, *, payload_id: str | None = None
) -> AnsweredCheck:
    """Send the 270 and read the 271 (no database: safe on any thread). ``payload_id`` is passed
    to a transport that takes one, so a resend carries the same id. EligibilityCheckError when
    the payer could not be asked or its answer cannot be read."""
    response = _exchange(transport, prepared.request, payload_id)
    inquiry = prepared.inquiry
    answer, top = _answer(response, inquiry.trace)
    if answer is None and not top:
        raise EligibilityCheckError(f"the payer's 271 does not answer our inquiry {inquiry.trace}")
    empty = EligibilityAnswer(inquiry.trace, "", inquiry.member_id, "", "", None, False)
    summary = summarize(answer or empty, prepared.on, inquiry.service_types)
    if top:
        summary = dataclasses.replace(summary, problems=tuple(top) + summary.problems)
        summary = dataclasses.replace(summary, active=None, status="not verified: " + top[0][0])
    return AnsweredCheck(prepared, response, summary, describe(summary))


def _stored(answered: AnsweredCheck, today: dt.date) -> StoredCheck:
    summary, lines = answered.summary, answered.lines
    benefits = json.loads(json.dumps({"summary": _plain(summary), "lines": lines}))
    return StoredCheck(answered.prepared.coverage_id, today, answered.prepared.on,
                       answered.prepared.inquiry.trace, summary.active, summary.status, benefits,
                       answered.response.decode("utf-8", "replace"))  # fmt: skip


def store_check(uow: UnitOfWork, answered: AnsweredCheck, *, today: dt.date) -> EligibilityResult:
    """Keep the answer: on the coverage when it says active or inactive, audited either way."""
    summary, lines = answered.summary, answered.lines
    coverage_id = answered.prepared.coverage_id
    stored = _stored(answered, today)
    if summary.active is None:
        check_id = uow.eligibility.add(stored, by_user=uow.actor_id)
        uow.audit.record(uow.actor_id, "coverage.eligibility-unverified", "coverage", coverage_id,
                         None, {"eligibility_check_id": check_id, "status": summary.status})  # fmt: skip
    else:
        record_eligibility_check(
            uow, coverage_id, on=today, active=summary.active, today=today, response=stored
        )
        latest = uow.eligibility.latest(coverage_id)
        check_id = latest.id if latest is not None else 0
    return EligibilityResult(coverage_id, check_id, summary, lines)


def store_checks(
    uow: UnitOfWork, answered: Sequence[AnsweredCheck], *, today: dt.date
) -> list[EligibilityResult]:
    """:func:`store_check` for many in a few statements, with the same records and audit events:
    each answer kept as a check; active or inactive also on the coverage (its verified date and
    result, as :func:`~otbill.services.frontdesk.coverage.record_eligibility_check` writes them).
    A coverage with a check recorded after ``today`` refuses the whole batch (RecordError naming
    it): store those one by one to keep the rest."""
    stored = [_stored(a, today) for a in answered]
    check_ids = uow.eligibility_runs.keep_checks(stored, by_user=uow.actor_id)  # the write lock
    coverages = {c.id: c for c in uow.patients.coverages({a.prepared.patient_id for a in answered})}
    changes: list[tuple[int, dt.date, bool]] = []
    results = []
    with uow.audit.batched():
        for one, check_id in zip(answered, check_ids, strict=True):
            coverage_id, summary = one.prepared.coverage_id, one.summary
            results.append(EligibilityResult(coverage_id, check_id, summary, one.lines))
            if summary.active is None:
                uow.audit.record(uow.actor_id, "coverage.eligibility-unverified", "coverage",
                                 coverage_id, None, {"eligibility_check_id": check_id,
                                                     "status": summary.status})  # fmt: skip
                continue
            coverage = coverages[coverage_id]
            verified = coverage.eligibility_verified_on
            if verified is not None and today < verified:
                raise RecordError(f"eligibility check date {today}: a later check ({verified}) is "
                                  "already recorded")  # fmt: skip
            uow.audit.record(uow.actor_id, "coverage.eligibility", "coverage", coverage_id,
                             {"eligibility_verified_on": verified,
                              "eligibility_active": coverage.eligibility_active},
                             {"eligibility_verified_on": today, "eligibility_active": summary.active,
                              "eligibility_check_id": check_id})  # fmt: skip
            coverages[coverage_id] = dataclasses.replace(
                coverage, eligibility_verified_on=today, eligibility_active=summary.active
            )
            changes.append((coverage_id, today, summary.active))
    uow.eligibility_runs.set_eligibility(changes)
    return results


def check_coverage(
    uow: UnitOfWork,
    coverage_id: int,
    *,
    on: dt.date,
    today: dt.date,
    transport: RealTimeTransport,
    profiles: Mapping[str, PayerProfile],
    disciplines: tuple[str, ...] = ("OT",),
    procedure_codes: tuple[str, ...] = (),
) -> EligibilityResult:
    """Ask the payer about ``coverage_id`` on ``on``; keep the answer; return it in plain words."""
    prepared = prepare_check(uow, coverage_id, on=on, profiles=profiles, disciplines=disciplines,
                             procedure_codes=procedure_codes)  # fmt: skip
    return store_check(uow, exchange_check(prepared, transport), today=today)
