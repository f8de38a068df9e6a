"""PostgreSQL plans of the hot reads: the work queues, claim search and the dashboard use their index.

Each test runs a repository method against a schema holding 60,000 claims of ten years in 20 clinics
(one holding a quarter of them; written in SQL, then analyzed), records the SQL it sent, and asks PostgreSQL to ``EXPLAIN`` it with sequential
scans priced out (``enable_seqscan = off``: at this size a scan could still win on cost, at
10,000,000 lines it never does). The named index must appear in the plan: dropping it, or a query
shape it cannot serve, fails the test.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from otbill.storage import Database
from otbill.storage.repositories.company_reads import CompanyReads
from otbill.storage.repositories.dashboard_summary import backfill_rollups
from otbill.storage.repositories.queues import QueueFilter, QueueRepository
from otbill.storage.repositories.report_claim_search import ClaimFilter, ClaimSearchReports
from otbill.storage.repositories.report_dashboard import DashboardReports
from support.dbkit import pg_schema_url, pg_session_schema, selects_sent

pytestmark = pytest.mark.postgres

CLINIC = 3  # one of the 20 clinics below
FIRST, END = dt.date(2025, 7, 1), dt.date(2026, 7, 1)
_ROWS = [
    """INSERT INTO claim (id, clinic_id, number, patient_id, coverage_id, payer_id, date_of_service,
        status, frequency_code, place_of_service, telehealth, total_charge_cents, findings,
        error_count, created_by, last_edited_by, created_at, version)
    SELECT g, CASE WHEN g % 4 = 0 THEN 3 ELSE 1 + g % 20 END, 'C' || g, g % 2000, g % 2000,
        1 + g % 4, DATE '2026-06-30' - (g % 3650),
        (ARRAY['held','ready','approved','submitted','denied','paid','paid','closed'])[1 + g % 8],
        '1', '11', false, 6500, '[]'::json, 0, 1, 1, now(), 1
    FROM generate_series(1, 60000) g""",
    """INSERT INTO patient (id, clinic_id, mrn, first_name, last_name, dob, sex, self_pay)
    SELECT g, 1 + g % 20, 'M' || g, 'Ana', 'Lopez' || g, DATE '1950-01-01', 'F', false
    FROM generate_series(0, 1999) g""",
    """INSERT INTO payer (id, clinic_id, payer_code, name, profile, network)
    SELECT g, 1, 'P' || g, 'Payer', 'medicare', 'in' FROM generate_series(1, 4) g""",
    """INSERT INTO claim_status_history (id, clinic_id, claim_id, from_status, to_status, at,
        by_user, reason)
    SELECT g * 2 + k, 1 + g % 20, g, 'draft', 'ready', now(), 1, ''
    FROM generate_series(1, 60000) g, generate_series(0, 1) k""",
    """INSERT INTO visit (id, clinic_id, patient_id, coverage_id, provider_id, date,
        place_of_service, telehealth)
    SELECT g, 1 + g % 20, g % 2000, g % 2000, 1, DATE '2026-06-30' - (g % 3650), '11', false
    FROM generate_series(1, 40000) g""",
]


@pytest.fixture(scope="module")
def loaded() -> Iterator[Database]:
    for schema in pg_session_schema():
        admin = create_engine(pg_schema_url(schema))
        with admin.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # rows, not FKs
            for statement in _ROWS:
                conn.execute(text(statement))
            backfill_rollups(conn)  # the dashboard's kept rows, from the claims above
        admin.dispose()
        vacuum = create_engine(pg_schema_url(schema), isolation_level="AUTOCOMMIT")
        with vacuum.connect() as conn:
            # statistics, and index-only scans priced as such; this schema's tables only
            conn.execute(text("VACUUM ANALYZE claim, patient, payer, claim_status_history, visit, "
                              "dashboard_day, claim_month"))  # fmt: skip
        vacuum.dispose()
        db = Database(pg_schema_url(schema), migrate=False)
        yield db
        db.dispose()


def _plans(db: Database, read: Callable[[Session], Any]) -> list[str]:
    """The JSON plan of each SELECT that ``read`` sent, sequential scans priced out."""
    sent = selects_sent(db, read, ("SELECT", "WITH"))
    plans = []
    with db.engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        for statement, params in sent:
            rows = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", params).scalar()
            plans.append(json.dumps(rows))
    return plans


def _uses(db: Database, index: str, read: Callable[[Session], Any]) -> None:
    used = [re.findall(r'"Index Name": "(\w+)"', plan) for plan in _plans(db, read)]
    wanted = index.split("|")  # any of these
    assert any(set(wanted) & set(names) for names in used), f"{index} not in the plans: {used}"


def _queues(session: Session) -> QueueRepository:
    return QueueRepository(session, CLINIC)


def _search(session: Session) -> ClaimSearchReports:
    return ClaimSearchReports(session, CLINIC)


_KEPT_DAYS = "ix_dashboard_day_key|ix_dashboard_day_clinic_id"
_KEPT_MONTHS = "ix_claim_month_key|ix_claim_month_clinic_id"


def _dashboard(session: Session) -> DashboardReports:
    return DashboardReports(session, CLINIC)


@pytest.mark.parametrize(
    ("index", "read"),
    [
        ("ix_claim_queue", lambda s: _queues(s).page_ids(("ready",), QueueFilter(), 50, 500)),
        (
            "ix_claim_queue",
            lambda s: _queues(s).page_ids(("submitted", "accepted"), QueueFilter(), 50, 0),
        ),
        # a payer's claims in one status: the queue's status range with the payer filtered, or
        # the payer's index, which carries the status (0032); the planner picks by statistics
        (
            "ix_claim_queue|ix_claim_payer",
            lambda s: _queues(s).count(("denied",), QueueFilter(payer_id=2)),
        ),
        (
            "ix_claim_queue",
            lambda s: _queues(s).count(
                ("held",), QueueFilter(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 4, 1))
            ),
        ),
    ],
    ids=["page", "two-statuses", "payer-filter", "date-filter"],
)
def test_work_queue_reads_use_their_index(loaded: Database, index: str, read: Any) -> None:
    _uses(loaded, index, read)


@pytest.mark.parametrize(
    ("index", "found"),
    [
        ("ix_claim_served", ClaimFilter()),
        (
            "ix_claim_served",
            ClaimFilter(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 4, 1)),
        ),
        ("ix_claim_payer", ClaimFilter(payer_id=2)),
        ("ix_claim_patient", ClaimFilter(patient="lopez12")),
        ("ix_claim_queue", ClaimFilter(status="paid")),
        ("ix_claim_number_trgm", ClaimFilter(number="c4812")),
    ],
    ids=["newest", "dates", "payer", "patient", "status", "number"],
)
def test_claim_search_uses_its_index(loaded: Database, index: str, found: ClaimFilter) -> None:
    _uses(loaded, index, lambda s: _search(s).search_claims(found, limit=26))


def test_claim_search_status_counts_by_payer_use_the_payer_index(loaded: Database) -> None:
    _uses(
        loaded, "ix_claim_payer", lambda s: _search(s).claim_status_counts(ClaimFilter(payer_id=2))
    )


@pytest.mark.parametrize(
    ("index", "read"),
    [
        ("ix_claim_status_served", lambda r: r.queue(("denied",))),
        ("ix_claim_status_served", lambda r: r.queue(("submitted", "accepted"), offset=950)),
        ("ix_patient_last_name_trgm", lambda r: r.queue(("denied",), search="lopez12")),
        ("ix_claim_number_trgm", lambda r: r.queue(("denied",), search="c4812")),
    ],
    ids=["tab-page", "two-statuses-page-20", "search-name", "search-number"],
)
def test_company_queue_reads_use_their_index(loaded: Database, index: str, read: Any) -> None:
    """A billing company's tabs over all 20 clinics: pages walk the cross-clinic index (0035);
    a search finds its patients and numbers through their trigram indexes."""
    _uses(loaded, index, lambda _s: read(CompanyReads(loaded, range(1, 21))))


@pytest.mark.parametrize(
    ("index", "read"),
    [
        # the kept rollups (migration 0033), read by their clinic-first keys
        (_KEPT_MONTHS, lambda s: _dashboard(s).claims_by_payer(FIRST, END)),
        (_KEPT_DAYS, lambda s: _dashboard(s).first_scrubs(FIRST, END)),
        (_KEPT_DAYS, lambda s: _dashboard(s).open_balances()),
        ("ix_visit_served", lambda s: _dashboard(s).visits_per_day(FIRST, END)),
    ],
    ids=["payer-mix", "clean-claim-rate", "ar-aging", "visits-per-day"],
)
def test_dashboard_reads_use_their_index(loaded: Database, index: str, read: Any) -> None:
    _uses(loaded, index, read)


def test_a_dropped_index_fails_the_check(loaded: Database) -> None:
    """The check itself: without ix_claim_served the newest-first search plans without it."""
    with loaded.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_claim_served"))
    try:
        with pytest.raises(AssertionError):
            _uses(
                loaded,
                "ix_claim_served",
                lambda s: _search(s).search_claims(ClaimFilter(), limit=26),
            )
    finally:
        with loaded.engine.begin() as conn:
            conn.execute(
                text("CREATE INDEX ix_claim_served ON claim (clinic_id, date_of_service, id)")
            )
