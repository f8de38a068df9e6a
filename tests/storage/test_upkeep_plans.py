"""PostgreSQL plans of what an 835's step reads for its kept tables and prevention checks: each
reads the step's rows by their keys, not every row of the clinic.

A schema holds a clinic's 6,000 claims of four lines, a charge and a payment on each line, some
payments reversed, and 1,200 denials (written in SQL, then analyzed). Each test runs a repository
method for one step's 200 claims, records the SELECTs it sent and asks PostgreSQL to ``EXPLAIN``
them as planned (sequential scans not priced out: the old shapes chose them at this size). A plan
that reads a whole table named here, or runs a sub-plan, fails the test.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from otbill.storage import Database
from otbill.storage.repositories.denials import DenialRepository
from otbill.storage.repositories.owner_summary import summary_mismatches
from support.dbkit import pg_schema_url, pg_session_schema, selects_sent

pytestmark = pytest.mark.postgres

CLINIC = 1
STEP = range(3001, 3201)  # one step's claims
TODAY = dt.date(2025, 3, 5)
_ROWS = [
    """INSERT INTO claim (id, clinic_id, number, patient_id, coverage_id, payer_id, date_of_service,
        status, frequency_code, place_of_service, telehealth, total_charge_cents, findings,
        error_count, created_by, last_edited_by, created_at, version)
    SELECT g, 1, 'C' || g, g % 2000, g % 2000, 1 + g % 2, DATE '2025-02-14', 'submitted', '1',
        '11', false, 24000, '[]'::json, 0, 1, 1, now(), 1
    FROM generate_series(1, 6000) g""",
    """INSERT INTO claim_line (id, clinic_id, claim_id, position, date, code, units, modifiers,
        charge_cents, allowed_cents, rendering_provider_id, furnished_by_assistant,
        distinct_service)
    SELECT c * 4 + p, 1, c, p + 1, DATE '2025-02-14',
        (ARRAY['97530','97110','97535','97112'])[p + 1], 2, 'GO', 6000, 3000, 1, false, false
    FROM generate_series(1, 6000) c, generate_series(0, 3) p""",
    # a charge (odd ids) and a payment (even ids) on every line
    """INSERT INTO posting (id, clinic_id, source_key, kind, amount_cents, claim_id, claim_line_id,
        patient_id, payer_id, payer_side, posted_on, posted_at, posted_by)
    SELECT l * 2 + k, 1, 'p' || (l * 2 + k), (ARRAY['charge','payment'])[k + 1],
        6000 - k * 3600, l / 4, l, 1, 1, true, DATE '2025-03-05', now(), 1
    FROM generate_series(4, 24003) l, generate_series(0, 1) k""",
    # every 30th claim's payments reversed
    """INSERT INTO posting (id, clinic_id, source_key, kind, amount_cents, claim_id, claim_line_id,
        patient_id, payer_id, payer_side, posted_on, posted_at, posted_by, reverses_id)
    SELECT 100000 + l, 1, 'r' || l, 'reversal', 2400, l / 4, l, 1, 1, true, DATE '2025-03-05',
        now(), 1, l * 2 + 1
    FROM generate_series(4, 24003) l WHERE (l / 4) % 30 = 0""",
    # every 5th claim denied, half of them on their second line
    """INSERT INTO denial (id, clinic_id, claim_id, claim_line_id, group_code, carc, denied_on,
        amount_cents)
    SELECT c, 1, c, CASE WHEN c % 2 = 0 THEN c * 4 + 1 END, 'CO',
        CASE WHEN c % 2 = 0 THEN '50' ELSE '197' END, DATE '2025-03-05', 6000
    FROM generate_series(5, 6000, 5) c""",
]


@pytest.fixture(scope="module")
def loaded() -> Iterator[Database]:
    for schema in pg_session_schema():
        admin = create_engine(pg_schema_url(schema))
        with admin.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # rows, not FKs
            for statement in _ROWS:
                conn.execute(text(statement))
        admin.dispose()
        vacuum = create_engine(pg_schema_url(schema), isolation_level="AUTOCOMMIT")
        with vacuum.connect() as conn:
            conn.execute(text("VACUUM ANALYZE claim, claim_line, posting, denial"))
        vacuum.dispose()
        db = Database(pg_schema_url(schema), migrate=False)
        yield db
        db.dispose()


def _whole_tables_read(db: Database, read: Callable[[Session], Any]) -> set[str]:
    """The tables some SELECT that ``read`` sent reads in full, as PostgreSQL plans it: a
    sequential scan, or an index scan or sub-plan over the whole table (no condition)."""
    sent = selects_sent(db, read)
    whole: set[str] = set()
    with db.engine.begin() as conn:
        for statement, params in sent:
            plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", params).scalar()
            whole |= _full_reads(plan[0]["Plan"])  # type: ignore[index]
    return whole


def _full_reads(node: dict[str, Any]) -> set[str]:
    out = set()
    scans = ("Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan")
    if node["Node Type"] in scans and not (node.get("Index Cond") or node.get("Recheck Cond")):
        out.add(node["Relation Name"])
    if node.get("Parent Relationship") == "SubPlan":  # run once over the whole table and hashed
        out.add("a sub-plan: " + json.dumps(node)[:200])
    for child in node.get("Plans", ()):
        out |= _full_reads(child)
    return out


def test_a_steps_ledger_check_reads_its_claims_postings_and_their_originals(
    loaded: Database,
) -> None:
    """summary_mismatches for a step's claims: their postings by claim, the postings they
    reverse by id (joined on ``reverses_id`` alone, the plan hashed every posting)."""
    read = lambda s: summary_mismatches(s, CLINIC, list(STEP))  # noqa: E731
    assert "posting" not in _whole_tables_read(loaded, read)


def test_prevention_counts_join_each_denials_own_line(loaded: Database) -> None:
    """event_counts: a denial's own line is joined, not found by a sub-plan that hashed every
    claim line of the database (``NOT EXISTS`` under an ``OR``). The lines themselves may be
    hashed from a scan at this size, as the planner's statistics decide."""
    step_denials = [c for c in STEP if c % 5 == 0]

    def read(session: Session) -> None:
        kinds = [(1, "50"), (2, "50"), (1, "197"), (2, "197")]
        since = TODAY - dt.timedelta(days=90)
        DenialRepository(session, CLINIC).event_counts(since, TODAY, kinds, step_denials)

    whole = _whole_tables_read(loaded, read)
    assert not any(w.startswith("a sub-plan") for w in whole), whole
