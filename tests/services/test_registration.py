"""Front-desk registration: patients, coverage with history, attached documents (both backends)."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from decimal import Decimal

import pytest

from otbill.domain.record_errors import NotFound, RecordError
from otbill.domain.registration import Guarantor, Registration
from otbill.payers import load_profiles
from otbill.services.frontdesk import coverage, documents, registration
from otbill.services.frontdesk.coverage import CoverageDetails, Subscriber
from otbill.services.frontdesk.registration import PatientDetails, PossibleDuplicate
from otbill.storage import Database
from otbill.storage.repositories.patients import PatientRepository
from support.clinickit import Ids, insert_claim, seed_clinic

TODAY = dt.date(2025, 3, 1)
PROFILES = load_profiles([])
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _details(
    first: str = "Maya", last: str = "Ortiz", **registration_fields: object
) -> PatientDetails:
    return PatientDetails(
        first_name=first,
        last_name=last,
        dob=dt.date(1950, 7, 14),
        sex="F",
        address=("12 Elm St", "Austin", "tx", "78702"),
        registration=Registration(
            preferred_name="May",
            phone="512-555-0101",
            email="maya@example.org",
            **registration_fields,
        ),
    )


def _register(db: Database, ids: Ids, details: PatientDetails | None = None) -> int:
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return registration.register_patient(uow, details or _details(), today=TODAY)


def _enrol(db: Database, ids: Ids, patient: int, **fields: object) -> int:
    values: dict[str, object] = {
        "payer_id": ids.medicare,
        "member_id": "1EG4-TE5-MK72",
        "effective_from": dt.date(2025, 1, 1),
    } | fields
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return coverage.enrol(uow, patient, CoverageDetails(**values), PROFILES)  # type: ignore[arg-type]


def test_register_gives_account_numbers_and_search_finds_the_patient(db: Database) -> None:
    ids = seed_clinic(db)
    guarantor = Guarantor(
        "Luis", "Ortiz", "spouse", "12 Elm St", "Austin", "TX", "78702", "5125550102"
    )
    first = _register(db, ids, _details(guarantor=guarantor, consent_on=TODAY))
    second = _register(db, ids, _details("Ben", "Ortiz"))
    _enrol(db, ids, first)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        reg = uow.patients.registration(first)
        assert reg.account_number == "00000001" and uow.patients.get(first).mrn == "00000001"
        assert uow.patients.registration(second).account_number == "00000002"
        assert (
            reg.guarantor == guarantor and reg.consent_on == TODAY and reg.preferred_name == "May"
        )
        assert uow.patients.get(first).state == "TX"
        found = registration.search_patients(uow, text="ortiz")
        assert [p.first_name for p in found.patients] == ["Ben", "Maya"] and found.total == 2
        assert [p.id for p in registration.search_patients(uow, text="Ortiz, Ma").patients] == [
            first
        ]
        assert [p.id for p in registration.search_patients(uow, text="1EG4TE5MK72").patients] == [
            first
        ]
        assert [p.id for p in registration.search_patients(uow, text="00000002").patients] == [
            second
        ]
        by_birth = registration.search_patients(uow, dob=dt.date(1948, 5, 2))
        assert [p.id for p in by_birth.patients] == [ids.patient]
        assert registration.search_patients(uow, text="nobody").total == 0
        assert uow.audit_reads.has_action("patient.register", "patient")


def test_search_pages(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        for n in range(registration.PAGE_SIZE + 2):
            details = _details(f"P{n:02d}", "Paged")
            registration.register_patient(uow, details, today=TODAY)
        page2 = registration.search_patients(uow, text="paged", page=2)
    assert (page2.total, page2.pages, len(page2.patients)) == (27, 2, 2)
    assert [p.first_name for p in page2.patients] == ["P25", "P26"]


def test_duplicate_name_and_birth_date_warns_until_acknowledged(db: Database) -> None:
    ids = seed_clinic(db)
    same = PatientDetails("ann", "LEE", dt.date(1948, 5, 2), "F")
    with db.unit_of_work(ids.clinic, ids.biller) as uow, pytest.raises(PossibleDuplicate) as warned:
        registration.register_patient(uow, same, today=TODAY)
    assert [p.id for p in warned.value.matches] == [ids.patient]
    assert "possible duplicate" in str(warned.value)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        again = registration.register_patient(uow, same, today=TODAY, duplicate_acknowledged=True)
        assert again != ids.patient


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"dob": dt.date(2025, 3, 2)}, "date of birth 2025-03-02: is in the future"),
        ({"dob": dt.date(1899, 12, 31)}, "before 1900"),
        ({"sex": "X"}, "sex 'X'"),
        ({"first_name": " "}, "legal name"),
        ({"address": ("1 A St", "Austin", "Texas", "78701")}, "address state 'Texas'"),
        ({"address": ("1 A St", "Austin", "XX", "78701")}, "state 'XX': not a US state"),
        ({"address": ("1 A St", "Austin", "TX", "7870")}, "ZIP code '7870': five or nine"),
    ],
)
def test_bad_patient_details_are_refused_naming_the_field(
    db: Database, change: dict[str, object], message: str
) -> None:
    ids = seed_clinic(db)
    values = {"first_name": "Maya", "last_name": "Ortiz", "dob": dt.date(1950, 7, 14), "sex": "F"}
    details = PatientDetails(**(values | change))  # type: ignore[arg-type]
    with db.unit_of_work(ids.clinic, ids.biller) as uow, pytest.raises(RecordError, match=message):
        registration.register_patient(uow, details, today=TODAY)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert registration.search_patients(uow, text="ortiz").total == 0


def test_edit_keeps_the_account_number(db: Database) -> None:
    ids = seed_clinic(db)
    patient = _register(db, ids)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        registration.edit_patient(uow, patient, _details("Maya", "Ortiz-Reyes"), today=TODAY)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert uow.patients.get(patient).last_name == "Ortiz-Reyes"
        assert uow.patients.registration(patient).account_number == "00000001"


def test_medicare_member_id_must_be_an_mbi(db: Database) -> None:
    ids = seed_clinic(db)
    patient = _register(db, ids)
    with pytest.raises(RecordError, match="member ID 1EG4TO5MK72: not a Medicare MBI: position 6"):
        _enrol(db, ids, patient, member_id="1EG4TO5MK72")
    with pytest.raises(RecordError, match="an MBI is 11 characters"):
        _enrol(db, ids, patient, member_id="123456789A")  # an old SSN-based HICN
    accepted = _enrol(db, ids, patient, member_id="1eg4-te5-mk72")
    # another payer's profile has no pattern: any member ID is taken
    other = _enrol(db, ids, patient, payer_id=ids.commercial, member_id="ACME-55", priority=2)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert uow.patients.coverage(accepted).member_id == "1EG4TE5MK72"
        assert uow.patients.coverage(other).member_id == "ACME-55"


def test_an_eligibility_check_made_before_entry_is_kept_on_the_coverage(db: Database) -> None:
    ids = seed_clinic(db)
    patient = _register(db, ids)
    checked = _enrol(db, ids, patient, eligibility_verified_on=dt.date(2025, 2, 27),
                     eligibility_active=True)  # fmt: skip
    unchecked = _enrol(db, ids, patient, payer_id=ids.commercial, member_id="A-1", priority=2)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        kept = uow.patients.coverage(checked)
        assert (kept.eligibility_verified_on, kept.eligibility_active) == (
            dt.date(2025, 2, 27), True,
        )  # fmt: skip
        assert uow.patients.coverage(unchecked).eligibility_verified_on is None


def test_overlapping_coverages_of_one_priority_are_refused(db: Database) -> None:
    ids = seed_clinic(db)
    patient = _register(db, ids)
    _enrol(db, ids, patient, effective_to=dt.date(2025, 6, 30))
    with pytest.raises(RecordError, match="already has a primary coverage"):
        _enrol(db, ids, patient, payer_id=ids.commercial, member_id="X1",
               effective_from=dt.date(2025, 6, 1))  # fmt: skip
    later = _enrol(db, ids, patient, payer_id=ids.commercial, member_id="X1",
                   effective_from=dt.date(2025, 7, 1))  # fmt: skip
    with pytest.raises(RecordError, match="termination date 2024-12-31: before the effective"):
        _enrol(db, ids, patient, priority=2, effective_to=dt.date(2024, 12, 31))
    with pytest.raises(RecordError, match="subscriber: a spouse needs their name"):
        _enrol(db, ids, patient, priority=2, relationship="spouse")
    with pytest.raises(RecordError, match="coinsurance 120%"):
        _enrol(db, ids, patient, priority=2, coinsurance_percent=120)
    spouse = Subscriber(
        "Luis", "Ortiz", dt.date(1949, 1, 2), "M", ("12 Elm St", "Austin", "TX", "78702")
    )
    secondary = _enrol(db, ids, patient, payer_id=ids.commercial, member_id="S9", priority=2,
                       relationship="spouse", subscriber=spouse, copay=Decimal("25"),
                       plan_name="Acme Gold")  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        stored = uow.patients.coverage(secondary)
        assert stored.subscriber and stored.subscriber["city"] == "Austin"
        assert uow.patients.coverage_terms([secondary])[secondary].copay_cents == 2500
        assert uow.patients.coverage(later).priority == 1


def test_a_coverage_change_keeps_history_and_the_billed_coverage(db: Database) -> None:
    ids = seed_clinic(db)
    insert_claim(db, ids, "C-1")  # billed to the seeded Medicare coverage, a visit on 2025-02-14
    with (
        db.unit_of_work(ids.clinic, ids.biller) as uow,
        pytest.raises(
            RecordError, match="a claim billed to this coverage has a visit on 2025-02-14"
        ),
    ):
        coverage.end_coverage(uow, ids.coverage, dt.date(2025, 2, 13))
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        before = uow.patients.coverage(ids.coverage)
        new_card = CoverageDetails(ids.medicare, "5EG4TE5MK72", dt.date(2025, 3, 1))
        new_id = coverage.change_coverage(uow, ids.coverage, new_card, PROFILES)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        old = uow.patients.coverage(ids.coverage)
        assert old.effective_to == dt.date(2025, 2, 28)
        assert (old.member_id, old.payer_id, old.effective_from) == (
            before.member_id, before.payer_id, before.effective_from,
        )  # fmt: skip
        history = coverage.coverage_history(uow, ids.patient, TODAY)
        assert [(line.coverage.id, line.active) for line in history] == [
            (new_id, True),
            (ids.commercial_coverage, True),
            (ids.coverage, False),
        ]
        assert history[-1].billed and not history[0].billed
        with pytest.raises(RecordError, match="already ends on 2025-02-28"):
            coverage.end_coverage(uow, ids.coverage, dt.date(2025, 3, 15))


def test_documents_are_type_checked_by_content_and_size_limited(db: Database) -> None:
    ids = seed_clinic(db)
    other = seed_clinic(db, "OTH", 1)
    patient = _register(db, ids)
    now = dt.datetime(2025, 3, 1, 9, 30)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        with pytest.raises(RecordError, match="card.png: not a PNG, JPEG or PDF file"):
            documents.attach_document(uow, patient, kind="card-front", filename="card.png",
                                      content=b"MZ\x90\x00 not an image", now=now)  # fmt: skip
        with pytest.raises(RecordError, match="at most 10 MB"):
            documents.attach_document(uow, patient, kind="other", filename="big.pdf",
                                      content=b"%PDF-" + b"0" * documents.MAX_BYTES, now=now)  # fmt: skip
        with pytest.raises(RecordError, match="document kind 'selfie'"):
            documents.attach_document(uow, patient, kind="selfie", filename="a.png", content=PNG,
                                      now=now)  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        doc = documents.attach_document(uow, patient, kind="card-front",
                                        filename="C:\\scans\\card.png", content=PNG, now=now)  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        [listed] = documents.patient_documents(uow, patient)
        assert (listed.id, listed.filename, listed.content_type) == (doc, "card.png", "image/png")
        assert documents.document_download(uow, doc).content == PNG
    with db.unit_of_work(other.clinic, other.biller) as uow, pytest.raises(NotFound):
        documents.document_download(uow, doc)


def test_two_clerks_registering_at_once_get_two_account_numbers(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both read the highest account number before either writes, unless the read is locked."""
    ids = seed_clinic(db)
    both_read = threading.Barrier(2, timeout=2)
    named = PatientRepository.named

    def named_after_both_read(self, *args):  # type: ignore[no-untyped-def]
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()  # with the lock, the other clerk waits for this one to commit
        return named(self, *args)

    monkeypatch.setattr(PatientRepository, "named", named_after_both_read)
    made: list[int] = []
    failed: list[Exception] = []

    def register(last: str) -> None:
        try:
            made.append(_register(db, ids, _details("Ann", last)))
        except Exception as exc:  # the test reports what the loser saw
            failed.append(exc)

    threads = [threading.Thread(target=register, args=(n,)) for n in ("Lee", "Ray")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failed and len(made) == 2, failed
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        numbers = {uow.patients.registration(p).account_number for p in made}
    assert numbers == {"00000001", "00000002"}
