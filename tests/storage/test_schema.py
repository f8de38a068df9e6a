"""Migrations build exactly the tables the models declare; records stay inside their clinic."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from otbill.domain.record_errors import ConstraintViolation, NotFound, PermissionDenied
from otbill.services.clinic import setup as clinic
from otbill.services.frontdesk import patients
from otbill.storage import Database
from otbill.storage.migrate import current_revision, head_revision, is_otbill_name
from otbill.storage.tables import Base, PatientRow
from support.clinickit import seed_clinic


def test_migrated_schema_matches_models(db: Database) -> None:
    assert current_revision(db.engine) == head_revision()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": is_otbill_name}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_twice_is_a_no_op(db: Database) -> None:
    Database(db.engine)  # migrates again: nothing to do
    assert current_revision(db.engine) == head_revision()


def test_repositories_never_cross_clinics(db: Database) -> None:
    a = seed_clinic(db, "AAA", 0)
    b = seed_clinic(db, "BBB", 1)
    with db.unit_of_work(a.clinic) as uow:
        assert [p.mrn for p in uow.records.find(PatientRow)] == ["MRN1"]
        assert uow.records.get(PatientRow, a.patient).id == a.patient
        with pytest.raises(NotFound, match=f"patient {b.patient}: not found in this clinic"):
            uow.records.get(PatientRow, b.patient)
        assert uow.records.count(PatientRow) == 1
        assert [s.number for s in patients.authorization_status(uow)] == ["AUTH-1"]
    with db.unit_of_work(a.clinic) as uow, pytest.raises(NotFound):
        patients.add_coverage(
            uow,
            patient_id=b.patient,
            payer_id=a.medicare,
            member_id="X",
            effective_from=dt.date(2025, 1, 1),
        )
    with db.unit_of_work(a.clinic) as uow, pytest.raises(PermissionDenied):
        uow.records.add(
            PatientRow(
                clinic_id=b.clinic,
                mrn="Z",
                first_name="Z",
                last_name="Z",
                dob=dt.date(2000, 1, 1),
                sex="F",
            )
        )


def test_constraint_violation_names_the_record(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic) as uow, pytest.raises(ConstraintViolation) as info:
        patients.add_patient(
            uow, mrn="MRN1", first_name="B", last_name="C", dob=dt.date(1950, 1, 1), sex="F"
        )
    assert info.value.table == "patient"
    assert "mrn" in str(info.value)
    with db.unit_of_work(ids.clinic) as uow, pytest.raises(ConstraintViolation) as info:
        patients.add_patient(
            uow, mrn="MRN2", first_name="B", last_name="C", dob=dt.date(1950, 1, 1), sex="X"
        )
    assert "patient" in str(info.value)
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.records.count(PatientRow) == 1


def test_exception_inside_unit_of_work_rolls_back_everything(db: Database) -> None:
    ids = seed_clinic(db)
    with pytest.raises(RuntimeError), db.unit_of_work(ids.clinic, ids.admin) as uow:
        patients.add_patient(
            uow, mrn="MRN9", first_name="B", last_name="C", dob=dt.date(1950, 1, 1), sex="F"
        )
        clinic.add_user(uow, username="x", full_name="X", password="p", roles=["biller"])
        raise RuntimeError("crash mid-operation")
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.records.count(PatientRow) == 1
        assert clinic.verify_password(uow, "x", "p") is None


def test_passwords_are_argon2_hashes(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic) as uow:
        assert clinic.verify_password(uow, "biller", "pw-biller") == ids.biller
        assert clinic.verify_password(uow, "biller", "wrong") is None
        assert clinic.verify_password(uow, "nobody", "pw") is None
        assert clinic.user_roles(uow, ids.approver2) == {"approver", "biller"}
        from otbill.storage.tables import UserRow

        stored = uow.records.get(UserRow, ids.biller).password_hash
        assert stored.startswith("$argon2id$") and "pw-biller" not in stored


def test_provider_npi_and_credential_are_checked(db: Database) -> None:
    ids = seed_clinic(db)
    from otbill.domain.record_errors import RecordError
    from otbill.errors import InvalidCheckDigit

    with db.unit_of_work(ids.clinic) as uow:
        with pytest.raises(InvalidCheckDigit):
            clinic.add_provider(
                uow,
                npi_number="1234567890",
                first_name="A",
                last_name="B",
                credential="OTR/L",
                taxonomy="225X00000X",
            )
        with pytest.raises(RecordError, match="credential 'MD'"):  # PT is a provider since 0006
            clinic.add_provider(
                uow,
                npi_number="1234567893",
                first_name="A",
                last_name="B",
                credential="MD",
                taxonomy="225X00000X",
            )
