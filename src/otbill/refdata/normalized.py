"""The compact, normalized CSV form of each imported table (and of the packaged curated data).

Why a form of our own: CMS layouts change between years (title rows, stacked headers, new
columns) and carry text we must not ship (CPT descriptors). An import parses CMS's file once and
writes only the facts we use, as plain CSV with ISO dates, preceded by ``# key: value`` comment
lines naming the source file, release and effective date. Loading it back is a straight read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from otbill.refdata.fee_schedule import Gpci, RvuRow
from otbill.refdata.mue import MueLimit
from otbill.refdata.ncci import PtpEdit

__all__ = [
    "HEADERS",
    "Kind",
    "from_row",
    "read_meta",
    "read_normalized",
    "render_normalized",
    "to_row",
]

Kind = Literal["ncci-ptp", "mue", "rvu", "gpci"]

HEADERS: dict[str, tuple[str, ...]] = {
    "ncci-ptp": ("column1", "column2", "effective", "deleted", "modifier", "rationale"),
    "mue": ("code", "max_units", "mai", "rationale"),
    "rvu": (
        "hcpcs",
        "modifier",
        "status",
        "work",
        "pe_nonfacility",
        "pe_facility",
        "mp",
        "pctc",
        "mult_proc",
        "conversion_factor",
    ),
    "gpci": ("mac", "state", "locality", "name", "work", "pe", "mp"),
}


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def to_row(record: Any) -> list[str]:
    """One parsed record (PtpEdit, MueLimit, RvuRow, Gpci) as normalized CSV cells."""
    if isinstance(record, PtpEdit):
        return [
            record.column1,
            record.column2,
            _iso(record.effective),
            _iso(record.deleted),
            str(record.modifier_indicator),
            record.rationale,
        ]
    if isinstance(record, MueLimit):
        return [record.code, str(record.max_units), str(record.mai), record.rationale]
    if isinstance(record, RvuRow):
        cf = "" if record.conversion_factor is None else str(record.conversion_factor)
        return [
            record.hcpcs,
            record.modifier,
            record.status,
            str(record.work),
            str(record.pe_nonfacility),
            str(record.pe_facility),
            str(record.mp),
            record.pctc,
            record.mult_proc,
            cf,
        ]
    if isinstance(record, Gpci):
        return [
            record.mac,
            record.state,
            record.locality,
            record.name,
            str(record.work),
            str(record.pe),
            str(record.mp),
        ]
    raise TypeError(f"not a reference record: {record!r}")


def render_normalized(kind: str, records: Iterable[Any], meta: dict[str, str]) -> tuple[str, int]:
    """The normalized file text (LF line ends) and its number of data rows."""
    out = io.StringIO()
    for key, value in meta.items():
        out.write(f"# {key}: {value}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS[kind])
    count = 0
    for record in records:
        writer.writerow(to_row(record))
        count += 1
    return out.getvalue(), count


def read_normalized(path: Path) -> tuple[dict[str, str], Iterator[list[str]]]:
    """``(meta, rows)`` of a normalized file; rows exclude the header line."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    meta: dict[str, str] = {}
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        key, _, value = lines[start][1:].partition(":")
        meta[key.strip()] = value.strip()
        start += 1
    rows = csv.reader(lines[start + 1 :])
    return meta, rows


def read_meta(path: Path) -> dict[str, str]:
    """Only the leading ``# key: value`` lines: cheap even for a 60 MB PTP table."""
    meta: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            key, _, value = line[1:].partition(":")
            meta[key.strip()] = value.strip()
    return meta


def _interner() -> Callable[[str], str]:
    """Share one str object per distinct value: a full PTP table repeats codes a million times."""
    pool: dict[str, str] = {}
    return lambda value: pool.setdefault(value, value)


def _dater() -> Callable[[str], dt.date | None]:
    pool: dict[str, dt.date | None] = {"": None}

    def parse(value: str) -> dt.date | None:
        found = pool.get(value, dt.date.min)
        if found is dt.date.min:
            found = pool[value] = dt.date.fromisoformat(value)
        return found

    return parse


def from_row(kind: str, rows: Iterable[Sequence[str]]) -> Iterator[Any]:
    """Records back from normalized rows (the inverse of :func:`to_row`)."""
    intern, date = _interner(), _dater()
    for r in rows:
        if kind == "ncci-ptp":
            yield PtpEdit(
                intern(r[0]), intern(r[1]), date(r[2]), date(r[3]), int(r[4]), intern(r[5])
            )
        elif kind == "mue":
            yield MueLimit(r[0], int(r[1]), int(r[2]), intern(r[3]))
        elif kind == "rvu":
            yield RvuRow(
                r[0],
                r[1],
                r[2],
                Decimal(r[3]),
                Decimal(r[4]),
                Decimal(r[5]),
                Decimal(r[6]),
                r[7],
                r[8],
                Decimal(r[9]) if r[9] else None,
            )
        elif kind == "gpci":
            yield Gpci(r[0], r[1], r[2], r[3], Decimal(r[4]), Decimal(r[5]), Decimal(r[6]))
        else:
            raise ValueError(f"unknown kind {kind!r}")
