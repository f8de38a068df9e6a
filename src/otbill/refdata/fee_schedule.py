"""Medicare Physician Fee Schedule: PPRRVU and GPCI readers, conversion factors, allowed amounts.

Formula (RVU25D readme, "The formula for 2025 physician fee schedule payment amount";
42 CFR 414.20):
    amount = [(work RVU x work GPCI) + (PE RVU x PE GPCI) + (MP RVU x MP GPCI)] x CF
with the non-facility or facility PE RVU. National amounts use GPCIs of 1.0.

Rounding: computed in full Decimal precision, then rounded once to cents, half up. The readme
states no intermediate rounding; this reproduces CMS's published national amounts
(97530 2025 non-facility: 1.07 x 32.3465 = 34.610755 -> $34.61).

Layouts: PPRRVU CSVs start with CMS title rows and a header stacked over 4-5 rows; the column
names are rebuilt by joining each column's stacked cells ("WORK" + "RVU" -> "WORK RVU"), so the
2026 layout (extra ``PRIC IND`` column) reads the same. GPCI is Addendum E: a title row, a header
row with ``Locality Number``, then localities and footnote rows. Descriptors are never kept:
CPT descriptors belong to the AMA.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

from otbill.refdata.formats import ProgressFn, RefdataFormatError, iter_lines

__all__ = [
    "CfPeriod",
    "FeeSchedule",
    "Gpci",
    "RvuRow",
    "allowed_amount",
    "conversion_factor",
    "iter_gpci_file",
    "iter_pprrvu_file",
    "load_conversion_factors",
]

CENT = Decimal("0.01")
_MAX_PREAMBLE = 30
_RVU_REQUIRED = {
    "hcpcs": "HCPCS",
    "modifier": "MOD",
    "status": "STATUS CODE",
    "work": "WORK RVU",
    "pe_nonfacility": "NON-FAC PE RVU",
    "pe_facility": "FACILITY PE RVU",
    "mp": "MP RVU",
}
_RVU_OPTIONAL = {"pctc": "PCTC IND", "mult_proc": "MULT PROC", "cf": "CONV FACTOR"}


@dataclass(frozen=True, slots=True)
class RvuRow:
    """One PPRRVU row without its descriptor; RVUs and CF as Decimal."""

    hcpcs: str
    modifier: str
    status: str
    work: Decimal
    pe_nonfacility: Decimal
    pe_facility: Decimal
    mp: Decimal
    pctc: str = ""
    mult_proc: str = ""
    conversion_factor: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Gpci:
    """GPCIs of one Medicare locality (MAC + locality number)."""

    mac: str
    state: str
    locality: str
    name: str
    work: Decimal
    pe: Decimal
    mp: Decimal

    @property
    def key(self) -> str:
        """``MAC-locality``, e.g. ``01112-54``: a locality number alone is not unique."""
        return f"{self.mac}-{self.locality}"


NATIONAL = Gpci("", "", "", "national", Decimal(1), Decimal(1), Decimal(1))


def _decimal(path: Path, number: int, column: str, cell: str) -> Decimal:
    text = cell.strip()
    try:
        return Decimal(text) if text else Decimal(0)
    except InvalidOperation:
        raise RefdataFormatError(path, number, column, f"not a number: {cell!r}") from None


def _csv_rows(path: Path, progress: ProgressFn | None) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for a one-row-per-line CMS CSV."""
    for number, text in iter_lines(path, progress):
        yield number, next(csv.reader([text]), [])


def _stacked_names(block: list[list[str]], width: int) -> list[str]:
    """Join each column's cells over the stacked header rows: 'WORK' / 'RVU' -> 'WORK RVU'."""
    names = []
    for index in range(width):
        parts = [row[index].strip() for row in block if index < len(row) and row[index].strip()]
        names.append(" ".join(" ".join(parts).upper().split()))
    return names


def _rvu_columns(path: Path, number: int, names: list[str]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for key, name in (_RVU_REQUIRED | _RVU_OPTIONAL).items():
        if name in names:
            cols[key] = names.index(name)
        elif key in _RVU_REQUIRED:
            raise RefdataFormatError(path, number, name, "PPRRVU header lacks this column")
    return cols


def _rvu_row(path: Path, number: int, row: list[str], cols: dict[str, int]) -> RvuRow:
    def cell(key: str) -> str:
        index = cols.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    def num(key: str) -> Decimal:
        return _decimal(path, number, _RVU_REQUIRED.get(key, key), cell(key))

    cf = cell("cf")
    return RvuRow(
        hcpcs=cell("hcpcs").upper(),
        modifier=cell("modifier").upper(),
        status=cell("status").upper(),
        work=num("work"),
        pe_nonfacility=num("pe_nonfacility"),
        pe_facility=num("pe_facility"),
        mp=num("mp"),
        pctc=cell("pctc"),
        mult_proc=cell("mult_proc"),
        conversion_factor=_decimal(path, number, "CONV FACTOR", cf) if cf else None,
    )


def iter_pprrvu_file(path: Path, progress: ProgressFn | None = None) -> Iterator[RvuRow]:
    """Parse a CMS PPRRVU CSV (2025 or 2026 layout) lazily; descriptors are dropped."""
    above: list[list[str]] = []
    cols: dict[str, int] | None = None
    for number, row in _csv_rows(path, progress):
        first = row[0].strip().upper() if row else ""
        if cols is None:
            if first == "HCPCS":
                block = [r for r in above[-4:] if not any(c.strip() for c in r[:2])] + [row]
                cols = _rvu_columns(path, number, _stacked_names(block, len(row)))
            elif number >= _MAX_PREAMBLE:
                break
            above.append(row)
            continue
        if not first:
            continue
        if len(first) != 5 or not first.isalnum():
            raise RefdataFormatError(path, number, 1, f"not a HCPCS/CPT code: {row[0]!r}")
        yield _rvu_row(path, number, row, cols)
    if cols is None:
        raise RefdataFormatError(
            path,
            1,
            1,
            "no PPRRVU header row starting 'HCPCS,MOD,DESCRIPTION' found; "
            "is this a CMS PPRRVU .csv file?",
        )


def _gpci_columns(path: Path, number: int, row: list[str]) -> dict[str, int]:
    lowered = [" ".join(cell.lower().split()) for cell in row]
    wanted = {
        "mac": "(mac)",
        "state": "state",
        "locality": "locality number",
        "name": "locality name",
        "work": "pw gpci",
        "pe": "pe gpci",
        "mp": "mp gpci",
    }
    cols: dict[str, int] = {}
    for key, words in wanted.items():
        index = next((i for i, cell in enumerate(lowered) if words in cell), None)
        if index is None:
            raise RefdataFormatError(path, number, words, "GPCI header lacks this column")
        cols[key] = index
    return cols


def iter_gpci_file(path: Path, progress: ProgressFn | None = None) -> Iterator[Gpci]:
    """Parse CMS's Addendum E GPCI CSV lazily; title and footnote rows are skipped."""
    cols: dict[str, int] | None = None
    for number, row in _csv_rows(path, progress):
        if cols is None:
            if any("locality number" in cell.lower() for cell in row):
                cols = _gpci_columns(path, number, row)
            elif number >= _MAX_PREAMBLE:
                break
            continue
        mac = row[cols["mac"]].strip() if row else ""
        if not mac.isdigit():  # footnotes: "MAC Assignments as of ...", "*Work GPCI ..."
            continue
        get = row.__getitem__
        yield Gpci(
            mac=mac,
            state=get(cols["state"]).strip(),
            locality=get(cols["locality"]).strip(),
            name=get(cols["name"]).strip(),
            work=_decimal(path, number, "PW GPCI", get(cols["work"])),
            pe=_decimal(path, number, "PE GPCI", get(cols["pe"])),
            mp=_decimal(path, number, "MP GPCI", get(cols["mp"])),
        )
    if cols is None:
        raise RefdataFormatError(path, 1, 1, "no GPCI header with 'Locality Number' found")


def allowed_amount(row: RvuRow, cf: Decimal, gpci: Gpci = NATIONAL, *, facility: bool) -> Decimal:
    """Medicare allowed amount for one unit, rounded to cents half up (module doc)."""
    pe = row.pe_facility if facility else row.pe_nonfacility
    raw = (row.work * gpci.work + pe * gpci.pe + row.mp * gpci.mp) * cf
    return raw.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class CfPeriod:
    start: dt.date
    end: dt.date
    basis: str
    value: Decimal


def load_conversion_factors(text: str | None = None) -> tuple[CfPeriod, ...]:
    """Periods from ``codes/data/conversion_factors.csv`` (or the given CSV text)."""
    if text is None:
        text = (resources.files("otbill.codes") / "data" / "conversion_factors.csv").read_text()
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return tuple(
        CfPeriod(
            dt.date.fromisoformat(r["start"]),
            dt.date.fromisoformat(r["end"]),
            r["payment_basis"],
            Decimal(r["conversion_factor"]),
        )
        for r in csv.DictReader(lines)
    )


def conversion_factor(on: dt.date, *, qualifying_apm: bool = False) -> Decimal | None:
    """The PFS conversion factor in force on ``on`` (the QP factor from 2026 when asked)."""
    wanted = ("qp", "all") if qualifying_apm else ("non-qp", "all")
    for period in load_conversion_factors():
        if period.start <= on <= period.end and period.basis in wanted:
            return period.value
    return None


class FeeSchedule:
    """RVUs + GPCIs + CF of one period: ``allowed(code)`` for the scrubber and reports."""

    __slots__ = ("_cf", "_gpci", "_rvu")

    def __init__(
        self, rvus: Iterable[RvuRow], gpcis: Iterable[Gpci] = (), cf: Decimal | None = None
    ) -> None:
        self._rvu: Mapping[tuple[str, str], RvuRow] = {(r.hcpcs, r.modifier): r for r in rvus}
        self._gpci: Mapping[str, Gpci] = {g.key: g for g in gpcis}
        self._cf = cf

    def rvu(self, code: str, modifier: str = "") -> RvuRow | None:
        return self._rvu.get((code, modifier))

    def allowed(
        self, code: str, *, modifier: str = "", locality: str | None = None, facility: bool = False
    ) -> Decimal | None:
        """Allowed amount per unit; None when the code, locality or CF is unknown.

        The CF is the one given, else the file's own CONV FACTOR column.
        """
        row = self._rvu.get((code, modifier))
        gpci = NATIONAL if locality is None else self._gpci.get(locality)
        cf = self._cf or (row.conversion_factor if row else None)
        if row is None or gpci is None or cf is None:
            return None
        return allowed_amount(row, cf, gpci, facility=facility)
