"""A billing company over many clinics: its users log in with its code, see exactly their granted
clinics (queue and dashboard), and lose a clinic at once when its grant is revoked; grants are
audited in the clinic. SQLite and PostgreSQL; the PostgreSQL flow also runs as a plain role."""

from __future__ import annotations

import datetime as dt

import pytest

from otbill.domain.record_errors import RecordError
from otbill.services.clinic import companies, sessions
from otbill.services.clinic.accounts import signed_in_user
from otbill.services.clinic.audit import audit_events
from otbill.services.views.company import company_dashboard, company_queue
from otbill.services.visits import record as visits
from otbill.storage import Database
from support.claimflow import build_all, record_visit
from support.clinickit import Ids, seed_clinic
from support.remitkit import submitted_claim
from support.rlskit import plain_role_database

_ = plain_role_database  # the fixture, used by name
PASSWORD = "company-pass-1"


def _three_clinics(db: Database) -> list[Ids]:
    clinics = [seed_clinic(db, code, n) for n, code in enumerate(("CA", "CB", "CC"), start=1)]
    for ids in clinics:
        record_visit(
            db, ids, dt.date(2025, 2, 3), [visits.Service("97165", 45)], note_type="evaluation"
        )
        build_all(db, ids)
    return clinics


def _company_with_two_grants(db: Database, clinics: list[Ids]) -> int:
    companies.create_company(db, "ACME", "Acme OT Billing")
    boss = companies.add_company_user(db, "ACME", "boss", "Bo Boss", PASSWORD, owner=True)
    for ids in clinics[:2]:
        companies.grant_clinic(db, boss, ids.clinic, ["biller", "admin"], actor_id=None, by="cli")
    return boss


def _flow(db: Database) -> None:
    clinics = _three_clinics(db)
    boss = _company_with_two_grants(db, clinics)
    user = companies.company_login(db, "acme", "BOSS", PASSWORD)
    assert user is not None and user.id == boss
    assert companies.company_login(db, "ACME", "boss", "wrong-password") is None
    granted = companies.granted_clinics(db, boss)
    assert [g.clinic_code for g in granted] == ["CA", "CB"]
    access = companies.company_access(db, granted[0].user_id)
    assert access is not None and access.user.id == boss
    queue = company_queue(db, access, "ready")
    assert {row.clinic_code for row in queue.rows} == {"CA", "CB"} and queue.total == 2
    only_b = company_queue(db, access, "ready", clinic_id=clinics[1].clinic)
    assert [row.clinic_code for row in only_b.rows] == ["CB"]
    not_granted = company_queue(db, access, "ready", clinic_id=clinics[2].clinic)
    assert not_granted.total == 2  # a clinic not granted is no filter: never its claims
    lines = company_dashboard(db, access)
    assert [(line.code, line.ready) for line in lines] == [("CA", 1), ("CB", 1)]
    linked = signed_in_user(db, granted[1].user_id)
    assert linked is not None and linked.roles == {"biller", "admin"}


def test_company_user_sees_exactly_the_granted_clinics(db: Database) -> None:
    _flow(db)


def test_the_company_flow_works_as_a_plain_postgresql_role(plain_role_database: Database) -> None:
    _flow(plain_role_database)


def test_revoking_a_grant_ends_access_and_sessions_at_once(db: Database) -> None:
    clinics = _three_clinics(db)
    boss = _company_with_two_grants(db, clinics)
    linked = companies.granted_clinics(db, boss)[0].user_id
    now = sessions.session_clock()
    session_id = sessions.start_session(db, linked, None, {}, now)
    assert session_id is not None
    ended = companies.revoke_clinic(db, boss, clinics[0].clinic, actor_id=None, by="cli")
    assert ended == 1
    assert sessions.resolve_session(db, session_id, sessions.SessionPolicy(), now) is None
    assert signed_in_user(db, linked) is None
    assert [g.clinic_code for g in companies.granted_clinics(db, boss)] == ["CB"]
    actions = [e["action"] for e in audit_events(db, clinics[0].clinic, "user", linked)]
    assert actions[-2:] == ["company.grant", "company.revoke"]
    again = companies.grant_clinic(db, boss, clinics[0].clinic, ["biller"], actor_id=None, by="cli")
    assert again == linked and signed_in_user(db, linked) is not None


def test_the_owner_grants_only_their_clinics_and_roles(db: Database) -> None:
    clinics = _three_clinics(db)
    boss = _company_with_two_grants(db, clinics)
    clerk = companies.add_company_user(db, "ACME", "clerk", "Cle Rk", PASSWORD, owner=False)
    access = companies.company_access(db, companies.granted_clinics(db, boss)[0].user_id)
    assert access is not None
    companies.owner_grants_clinic(db, access, "clerk", clinics[0].clinic, ["biller"])
    assert [g.clinic_code for g in companies.granted_clinics(db, clerk)] == ["CA"]
    with pytest.raises(RecordError, match="not one of your clinics"):
        companies.owner_grants_clinic(db, access, "clerk", clinics[2].clinic, ["biller"])
    events = audit_events(db, clinics[0].clinic, "user")
    grant = [e for e in events if e["action"] == "company.grant"][-1]
    assert grant["actor_id"] == access.clinic(clinics[0].clinic).user_id  # type: ignore[union-attr]
    clerk_access = companies.company_access(db, companies.granted_clinics(db, clerk)[0].user_id)
    assert clerk_access is not None
    with pytest.raises(RecordError, match="only the company's owner"):
        companies.owner_grants_clinic(db, clerk_access, "boss", clinics[0].clinic, ["biller"])


def test_company_codes_and_users_are_checked(db: Database) -> None:
    seed_clinic(db, "HOT", 1)
    with pytest.raises(RecordError, match="a clinic or company has it already"):
        companies.create_company(db, "hot", "Clashes with a clinic")
    companies.create_company(db, "ACME", "Acme OT Billing")
    with pytest.raises(RecordError, match="at least 10 characters"):
        companies.add_company_user(db, "ACME", "boss", "Bo", "short", owner=True)
    companies.add_company_user(db, "ACME", "boss", "Bo", PASSWORD, owner=True)
    with pytest.raises(RecordError, match="taken in company ACME"):
        companies.add_company_user(db, "ACME", "BOSS", "Bo", PASSWORD, owner=False)
    with pytest.raises(RecordError, match="no such billing company"):
        companies.add_company_user(db, "NOPE", "x", "X", PASSWORD, owner=False)


def test_the_dashboard_counts_each_clinics_receivables(db: Database) -> None:
    clinics = _three_clinics(db)
    boss = _company_with_two_grants(db, clinics)
    submitted_claim(db, clinics[1], "C1")  # $90 + $60 charged, nothing paid yet
    access = companies.company_access(db, companies.granted_clinics(db, boss)[0].user_id)
    assert access is not None
    lines = {line.code: line for line in company_dashboard(db, access)}
    assert lines["CB"].receivable == "$150.00" and lines["CB"].submitted == 1
    assert lines["CA"].receivable == "$0.00" and lines["CA"].unbilled_visits == 0
