"""Turn database errors into domain errors that name the record (table, columns, constraint).

Why here: only storage knows SQL; services and the CLI see :class:`ConstraintViolation` with a
sentence a biller can act on, e.g. ``patient: another record already has this clinic_id, mrn``.
"""

from __future__ import annotations

import re

from sqlalchemy.exc import IntegrityError

from otbill.domain.record_errors import ConstraintViolation

__all__ = ["translate_integrity_error"]

_SQLITE = re.compile(r"(UNIQUE|NOT NULL|CHECK|FOREIGN KEY) constraint failed(?:: (.*))?")


def _from_postgres(orig: object) -> ConstraintViolation | None:
    diag = getattr(orig, "diag", None)
    if diag is None:
        return None
    table = diag.table_name or "record"
    constraint = diag.constraint_name or (diag.column_name or "constraint")
    sqlstate = getattr(orig, "sqlstate", "")
    kind = {
        "23505": "another record already has these values",
        "23503": "refers to a record that does not exist (or still has records referring to it)",
        "23514": "a value is out of the allowed range",
        "23502": f"{diag.column_name} is required",
    }.get(sqlstate or "", "the database refused the change")
    return ConstraintViolation(table, constraint, kind)


def _from_sqlite(message: str) -> ConstraintViolation:
    match = _SQLITE.search(message)
    if match is None:
        return ConstraintViolation("record", "constraint", message)
    kind, detail = match.group(1), match.group(2) or ""
    if kind == "UNIQUE":
        columns = [c.strip() for c in detail.split(",")]
        table = columns[0].split(".")[0]
        names = ", ".join(c.split(".")[-1] for c in columns)
        return ConstraintViolation(table, f"unique({names})", f"another record has this {names}")
    if kind == "NOT NULL":
        table, _, column = detail.partition(".")
        return ConstraintViolation(table, f"not null({column})", f"{column} is required")
    if kind == "CHECK":
        table = detail.removeprefix("ck_").split("_")[0] if detail else "record"
        return ConstraintViolation(table, detail, "a value is out of the allowed range")
    return ConstraintViolation(
        "record", "foreign key", "refers to a record that does not exist in this clinic"
    )


def translate_integrity_error(exc: IntegrityError) -> ConstraintViolation:
    return _from_postgres(exc.orig) or _from_sqlite(str(exc.orig))
