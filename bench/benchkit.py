"""What the benches share: a bench clinic (a biller and its therapists) and claim rows written
straight to the tables (the data a bench times against is not what it times).

Run from a bench script (``python bench/<name>.py``): the script's folder is on the path, so
``from benchkit import ...`` finds this module.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import create_engine, event, insert, text

from otbill.codes import npi
from otbill.services.clinic import setup as clinic
from otbill.storage import Database
from otbill.storage.audit import utcnow
from otbill.storage.tables import ClaimRow

__all__ = [
    "PG_URL",
    "bench_clinic",
    "chunks",
    "claim_row",
    "insert_claims",
    "npi_for",
    "pg_bench_database",
]


def npi_for(n: int) -> str:
    """A valid NPI (Luhn check digit), distinct for each ``n``."""
    first9 = f"16{n:07d}"
    return first9 + npi.calc_check_digit(first9)


def bench_clinic(db: Database, prefix: str, therapists: int) -> tuple[int, int, list[int]]:
    """A new clinic (code ``prefix`` + random hex) with a biller and ``therapists`` OTs:
    the clinic's id, the biller's id, the providers' ids."""
    cid = clinic.create_clinic(
        db, code=f"{prefix}{uuid.uuid4().hex[:6]}", name="Bench OT", npi_number=npi_for(1),
        tax_id="741234567", address=("1 Main", "Austin", "TX", "78701"),
    )  # fmt: skip
    with db.unit_of_work(cid) as uow:
        biller = clinic.add_user(
            uow, username="biller", full_name="B", password="b", roles=["biller"]
        )
        providers = [
            clinic.add_provider(uow, npi_number=npi_for(10 + i), first_name="T",
                                last_name=f"T{i}", credential="OTR/L", taxonomy="225X00000X")
            for i in range(therapists)
        ]  # fmt: skip
    return cid, biller, providers


def claim_row(
    cid: int, number: str, who: tuple[int, int, int], day: dt.date, status: str, user: int,
    *, charge_cents: int = 0, findings: Sequence[Any] = (), errors: int = 0,
) -> dict[str, Any]:  # fmt: skip
    """One claim row of an office visit: ``who`` is (patient, coverage, payer)."""
    patient, coverage, payer = who
    return {
        "clinic_id": cid, "number": number, "patient_id": patient, "coverage_id": coverage,
        "payer_id": payer, "date_of_service": day, "status": status, "frequency_code": "1",
        "place_of_service": "11", "telehealth": False, "total_charge_cents": charge_cents,
        "findings": list(findings), "created_by": user, "last_edited_by": user,
        "created_at": utcnow(), "version": 1, "error_count": errors,
    }  # fmt: skip


def insert_claims(conn: Any, rows: Sequence[dict[str, Any]], chunk: int = 10_000) -> None:
    """Insert claim rows in chunks (one statement per ``chunk`` rows)."""
    for i in range(0, len(rows), chunk):
        conn.execute(insert(ClaimRow), rows[i : i + chunk])


PG_URL = os.environ.get(
    "OTBILL_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def pg_bench_database() -> tuple[Database, Callable[[], None]]:
    """A database in a new schema of the bench's PostgreSQL, and the function that drops it."""
    schema = f"otbill_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return Database(f"{PG_URL}?options=-csearch_path%3D{schema}"), drop


def as_plain_role(db: Database) -> tuple[Database, Callable[[], None]]:
    """``db`` (a bench schema of :func:`pg_bench_database`) reached as a new role with table rights
    and nothing more, as production runs (docs/deploy.md): row-level security holds it, so its
    bulk writes take the path production takes. Returns it and the function that drops the role."""
    role = f"otbill_bench_{uuid.uuid4().hex[:10]}"
    schema = str(db.engine.url.query["options"]).split("%3D")[-1].split("=")[-1]
    with db.engine.begin() as conn:
        for statement in (f"CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS",
                          f'GRANT USAGE ON SCHEMA "{schema}" TO {role}',
                          f'GRANT ALL ON ALL TABLES IN SCHEMA "{schema}" TO {role}',
                          f'GRANT ALL ON ALL SEQUENCES IN SCHEMA "{schema}" TO {role}'):  # fmt: skip
            conn.execute(text(statement))
    engine = create_engine(db.engine.url)

    @event.listens_for(engine, "connect")
    def _set_role(dbapi_connection: Any, _record: object) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {role}")
        dbapi_connection.commit()

    plain = Database(engine, migrate=False)

    def drop() -> None:
        plain.dispose()
        with db.engine.begin() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))

    return plain, drop


def chunks(size: int, rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """``rows`` in lists of at most ``size`` (one multi-row INSERT each)."""
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
