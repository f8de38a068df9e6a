"""Import from the old system: patients, coverages, providers, opening balances and
appointments from CSV.

Why all-or-nothing: a clinic's first day should not start with half its patients imported and no
list of which; every row is checked by the service the desk uses (:mod:`csv_rows`), and when any
row is refused nothing is written, unless the clerk asks to import the good rows and skip the bad.
Why the old system's IDs: re-running the same file, or a later export of the same system, maps
each old ID to the record made the first time, so nothing is imported twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from otbill import clock
from otbill.domain.lifecycle import Role
from otbill.domain.record_errors import RecordError
from otbill.payers import PayerProfile
from otbill.services.clinic.setup import require_role
from otbill.services.frontdesk.csv_rows import COLUMNS, ImportContext, RowProblem, import_row
from otbill.storage import Database

__all__ = [
    "COLUMNS",
    "KINDS",
    "ImportReport",
    "RowProblem",
    "check_header",
    "digest_of",
    "import_rows",
]

KINDS = tuple(COLUMNS)
#: What each kind's rows refer to (their old IDs are looked up in these kinds' mappings).
_REFERS_TO = {"coverages": ("patients",), "balances": ("patients", "providers"),
              "providers": ("providers",), "patients": (),
              "appointments": ("patients", "providers", "coverages")}  # fmt: skip
#: Who may import each kind (admins always may): the roles that add such records by hand.
_ROLES = {"patients": (Role.FRONT_DESK, Role.BILLER), "coverages": (Role.FRONT_DESK, Role.BILLER),
          "providers": (Role.ADMIN,), "balances": (Role.BILLER,),
          "appointments": (Role.FRONT_DESK, Role.BILLER)}  # fmt: skip
_MAX_ROWS = 1_000_000


@dataclass(slots=True)
class ImportReport:
    """What an import did: rows read, imported, already imported before, and refused."""

    kind: str
    rows: int = 0
    imported: int = 0
    unchanged: int = 0
    refused: list[RowProblem] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False


class _RollBack(Exception):
    """Leave the unit of work without committing (a dry run, or rows were refused)."""


def digest_of(content: bytes) -> str:
    """The file's SHA-256, the ledger source keys' file part."""
    return hashlib.sha256(content).hexdigest()


def check_header(kind: str, header: Iterable[str]) -> None:
    """:class:`RecordError` naming the kind's required columns missing from the header."""
    if kind not in COLUMNS:
        raise RecordError(f"kind {kind!r}: one of {', '.join(KINDS)}")
    missing = [c for c in COLUMNS[kind][0] if c not in set(header)]
    if missing:
        raise RecordError(f"{kind} file: the header lacks column(s) {', '.join(missing)}")


def _run(
    ctx: ImportContext,
    kind: str,
    rows: Iterable[Mapping[str, str]],
    old_system: str,
    report: ImportReport,
    progress: Callable[[int], None] | None,
) -> dict[str, int]:
    """Every row through its service; returns the new old-ID -> id pairs to remember."""
    done = ctx.mapped.setdefault(kind, {})
    made: dict[str, int] = {}
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):  # row 1 is the header, as a spreadsheet counts
        report.rows += 1
        if report.rows > _MAX_ROWS:
            raise RecordError(f"{kind} file: more than {_MAX_ROWS} rows; split it")
        old_id = (row.get("old_id") or "").strip()
        if not old_id or len(old_id) > 80 or old_id in seen:
            why = "is empty" if not old_id else "is longer than 80 characters"
            why = f"{old_id!r} appears twice in the file" if old_id in seen else why
            report.refused.append(RowProblem(number, "old_id", why))
        elif old_id in done:
            seen.add(old_id)
            report.unchanged += 1
        else:
            seen.add(old_id)
            result = import_row(ctx, kind, row, number)
            if isinstance(result, RowProblem):
                report.refused.append(result)
            else:
                made[old_id] = done[old_id] = result
        if progress is not None:
            progress(1)
    return made


def import_rows(
    db: Database,
    clinic_id: int,
    actor_id: int,
    kind: str,
    rows: Iterable[Mapping[str, str]],
    *,
    digest: str,
    profiles: Mapping[str, PayerProfile],
    old_system: str = "legacy",
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import ``rows`` (dicts by column name) of ``kind`` in one unit of work, as ``actor_id``.
    Nothing is written on a dry run, nor when a row is refused (unless ``skip_bad_rows``)."""
    if kind not in COLUMNS:
        raise RecordError(f"kind {kind!r}: one of {', '.join(KINDS)}")
    report = ImportReport(kind, dry_run=dry_run)
    try:
        with db.unit_of_work(clinic_id, actor_id) as uow:
            require_role(uow, actor_id, *_ROLES[kind])
            # the services' reads answered from memory, their new rows inserted in bulk below
            # (appointments write no patients: the booking reads the stored ones as the desk does)
            buffered = uow.imports.buffered_patients()
            if kind != "appointments":
                uow.patients = buffered
            uow.payers = uow.imports.cached_payers()
            ctx = ImportContext(uow, digest, today or clock.today(), profiles, old_system)
            for other in (kind, *_REFERS_TO[kind]):
                ctx.mapped[other] = uow.imports.mapped(old_system, other)
            with uow.audit.batched():  # the rows' audit events in one statement, not one a row
                made = _run(ctx, kind, rows, old_system, report, progress)
                if dry_run or (report.refused and not skip_bad_rows):
                    raise _RollBack
                buffered.write_buffered()
                uow.imports.remember(old_system, kind, made)
                after = {"kind": kind, "old_system": old_system, "file_sha256": digest,
                         "imported": len(made), "unchanged": report.unchanged,
                         "refused_rows": [p.row for p in report.refused]}  # fmt: skip
                uow.audit.record(actor_id, "import.csv", "import", digest[:16], None, after)
            report.imported = len(made)
            report.written = True
    except _RollBack:
        report.imported = 0
    return report
