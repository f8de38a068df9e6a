"""Row-level security on PostgreSQL (issue 15), checked as a plain role: no scope sees nothing,
one clinic's scope never sees another's rows in any table with ``clinic_id``, and the app's own
flows (first clinic, users, visits, claims, login sessions) work under it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from otbill.payers import load_profiles
from otbill.services.clinic import audit, sessions
from otbill.services.clinic.accounts import signed_in_user
from otbill.services.clinic.setup import verify_password
from otbill.services.frontdesk.csv_import import import_rows
from otbill.services.remittances.post import post_remittance
from otbill.services.visits import record as visits
from otbill.storage import Database
from otbill.storage.bulk_rows import write_rows
from otbill.storage.row_security import clinic_tables, copy_allowed
from otbill.storage.tables import PatientRow
from support.claimflow import build_all, record_visit
from support.clinickit import Ids, seed_clinic
from support.remitkit import make_835, paid_claim, submitted_claim
from support.rlskit import plain_role_database, table_counts

pytestmark = pytest.mark.postgres
_ = plain_role_database  # the fixture, used by name


def _clinic_with_claims(db: Database, code: str, n: int) -> Ids:
    ids = seed_clinic(db, code, n)
    record_visit(
        db, ids, dt.date(2025, 2, 3), [visits.Service("97165", 45)], note_type="evaluation"
    )
    assert build_all(db, ids)
    return ids


def test_every_clinic_table_has_the_forced_policy(plain_role_database: Database) -> None:
    with plain_role_database.all_clinics() as session:
        conn = session.connection()
        tables = clinic_tables(conn)
        flags = conn.execute(
            text(
                "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class"
                " WHERE relnamespace = current_schema()::regnamespace AND relname = ANY(:t)"
            ),
            {"t": tables},
        ).all()
        policies = set(
            conn.execute(
                text("SELECT tablename FROM pg_policies WHERE schemaname = current_schema()")
            ).scalars()
        )
    assert len(tables) > 40 and "claim" in tables and "company_grant" in tables
    assert {name for name, on, forced in flags if on and forced} == set(tables)
    assert set(tables) <= policies


def test_a_query_with_no_scope_returns_nothing(db: Database, plain_role_database: Database) -> None:
    _clinic_with_claims(plain_role_database, "RLA", 1)
    with db.session() as session:  # the superuser: the rows are there
        assert table_counts(session)["claim"] == 1
    with plain_role_database.session() as session:
        counts = table_counts(session)
    assert counts and set(counts.values()) == {0}


def test_a_clinics_scope_never_sees_another_clinics_rows(
    db: Database, plain_role_database: Database
) -> None:
    a = _clinic_with_claims(plain_role_database, "RLA", 1)
    b = _clinic_with_claims(plain_role_database, "RLB", 2)
    with db.session() as session:
        own_b = table_counts(session, f"clinic_id = {b.clinic}")
    for ids in (a, b):
        with plain_role_database.unit_of_work(ids.clinic) as uow:
            assert set(table_counts(uow.session, f"clinic_id <> {ids.clinic}").values()) == {0}
            assert table_counts(uow.session)["claim"] == 1
    with plain_role_database.clinics_session([a.clinic, b.clinic]) as session:
        assert table_counts(session, f"clinic_id = {b.clinic}") == own_b
    assert own_b["patient"] == 1 and own_b["app_user"] >= 5


def test_a_clinics_scope_cannot_write_into_another_clinic(
    plain_role_database: Database,
) -> None:
    a = seed_clinic(plain_role_database, "RLA", 1)
    b = seed_clinic(plain_role_database, "RLB", 2)
    refused = pytest.raises(Exception, match="row-level security")
    with refused, plain_role_database.unit_of_work(a.clinic) as uow:
        uow.session.execute(
            text("UPDATE patient SET clinic_id = :b WHERE clinic_id = :a"),
            {"a": a.clinic, "b": b.clinic},
        )
    refused = pytest.raises(Exception, match="row-level security")
    with refused, plain_role_database.unit_of_work(a.clinic) as uow:
        uow.session.execute(
            text("INSERT INTO user_role (clinic_id, user_id, role) VALUES (:b, :u, 'admin')"),
            {"b": b.clinic, "u": b.admin},
        )


def test_login_and_sessions_work_as_a_plain_role(plain_role_database: Database) -> None:
    ids = seed_clinic(plain_role_database, "RLA", 1)
    with plain_role_database.unit_of_work(ids.clinic) as uow:
        user_id = verify_password(uow, "biller", "pw-biller")
    assert user_id == ids.biller
    signed = signed_in_user(plain_role_database, ids.biller)
    assert signed is not None and signed.roles == {"biller"}
    now = sessions.session_clock()
    session_id = sessions.start_session(plain_role_database, ids.biller, "127.0.0.1", {}, now)
    assert session_id is not None
    live = sessions.resolve_session(plain_role_database, session_id, sessions.SessionPolicy(), now)
    assert live is not None and live.clinic_id == ids.clinic
    sessions.end_session(plain_role_database, live)
    assert (
        sessions.resolve_session(plain_role_database, session_id, sessions.SessionPolicy(), now)
        is None
    )


def test_posting_an_835_works_as_a_plain_role(plain_role_database: Database) -> None:
    ids = seed_clinic(plain_role_database)
    seed_clinic(plain_role_database, "RLB", 2)  # another clinic's rows beside
    submitted_claim(plain_role_database, ids, "C1")
    report = post_remittance(
        plain_role_database, ids.clinic, ids.biller, make_835(paid_claim("C1"), "96"), name="era.835",
        today=dt.date(2025, 3, 10),
    )  # fmt: skip
    assert report.paid == 1
    with plain_role_database.unit_of_work(ids.clinic) as uow:
        assert table_counts(uow.session)["posting"] > 2  # charges, then the payment's


def test_a_csv_import_and_audit_verify_work_as_a_plain_role(plain_role_database: Database) -> None:
    """PostgreSQL refuses COPY where row-level security applies: the import's rows and audit
    events go in through a temporary table instead, and the chain still verifies."""
    ids = seed_clinic(plain_role_database)
    rows = [
        {"old_id": f"P{n}", "first_name": "Ann", "last_name": f"Lee{n}", "dob": "1950-01-01",
         "sex": "F"}
        for n in range(50)
    ]  # fmt: skip
    report = import_rows(
        plain_role_database, ids.clinic, ids.admin, "patients", rows, digest="d" * 64,
        profiles=load_profiles([]),
    )  # fmt: skip
    assert report.imported == 50
    assert audit.verify_audit(plain_role_database)["HOT"] == []


def test_bulk_rows_under_row_level_security_go_through_a_stage_the_policy_still_checks(
    plain_role_database: Database,
) -> None:
    a = seed_clinic(plain_role_database, "RLA", 1)
    b = seed_clinic(plain_role_database, "RLB", 2)

    def patients(clinic: int, first: int) -> list[dict[str, object]]:
        return [{"clinic_id": clinic, "mrn": f"S{n}", "first_name": "Ann", "last_name": f"L{n}",
                 "dob": dt.date(1950, 1, 1), "sex": "F"} for n in range(first, first + 3)]  # fmt: skip

    with plain_role_database.unit_of_work(a.clinic) as uow:
        assert not copy_allowed(uow.session, "patient")
        write_rows(uow.session, PatientRow, patients(a.clinic, 0))
        write_rows(uow.session, PatientRow, patients(a.clinic, 3))  # the stage emptied between
        mrns = uow.session.scalars(text("SELECT mrn FROM patient WHERE mrn LIKE 'S%'")).all()
    assert sorted(mrns) == [f"S{n}" for n in range(6)]
    refused = pytest.raises(Exception, match="row-level security")
    with refused, plain_role_database.unit_of_work(a.clinic) as uow:
        write_rows(uow.session, PatientRow, patients(b.clinic, 10))
    with plain_role_database.clinics_session([a.clinic, b.clinic]) as session:
        assert session.scalar(text("SELECT count(*) FROM patient WHERE mrn LIKE 'S%'")) == 6
