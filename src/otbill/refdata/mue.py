"""Medically Unlikely Edits (MUE), practitioner services: CMS CSV reader and dated lookup table.

CMS layout (quarterly ``MCR_MUE_PractitionerServices_Eff_MM-DD-YYYY.csv``): an optional copyright
preamble row, a header row with ``HCPCS/CPT Code``, ``Practitioner Services MUE Values``,
``MUE Adjudication Indicator`` and ``MUE Rationale``, then one row per code. The indicator
cell is CMS's text, e.g. ``2 Date of Service Edit: Policy``; its leading digit is the MAI:
1 = line edit, 2 = date-of-service edit based on policy, 3 = date-of-service edit based on
clinical data (CMS Medically Unlikely Edits page on cms.gov).
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from otbill.refdata.formats import ProgressFn, RefdataFormatError, iter_lines

__all__ = ["MueLimit", "MueTable", "iter_mue_file", "read_mue"]

_MAX_PREAMBLE = 20
# Column key -> words that identify CMS's header cell (case-insensitive substring match).
_COLUMNS = {
    "code": "hcpcs",
    "units": "mue value",
    "mai": "adjudication indicator",
    "rationale": "rationale",
}


@dataclass(frozen=True, slots=True)
class MueLimit:
    """The most units of ``code`` one practitioner may report (per line for MAI 1, else per day)."""

    code: str
    max_units: int
    mai: int
    rationale: str


def _header_map(path: Path, number: int, row: list[str]) -> dict[str, int]:
    """Map our column keys to indexes in CMS's header row, or refuse the file."""
    lowered = [cell.strip().lower() for cell in row]
    found: dict[str, int] = {}
    for key, words in _COLUMNS.items():
        index = next((i for i, cell in enumerate(lowered) if words in cell), None)
        if index is None:
            raise RefdataFormatError(path, number, key, f"MUE header has no column like {words!r}")
        found[key] = index
    return found


def _parse_mai(path: Path, number: int, column: int, cell: str) -> int:
    text = cell.strip()
    if not text or text[0] not in "123":
        raise RefdataFormatError(path, number, column, f"MUE adjudication indicator {cell!r}")
    return int(text[0])


def _parse_row(path: Path, number: int, row: list[str], cols: dict[str, int]) -> MueLimit:
    if len(row) <= max(cols["code"], cols["units"], cols["mai"]):
        raise RefdataFormatError(path, number, len(row) + 1, "row is shorter than the header")
    code = row[cols["code"]].strip().upper()
    if len(code) != 5 or not code.isalnum():
        raise RefdataFormatError(path, number, cols["code"] + 1, f"not a HCPCS/CPT code: {code!r}")
    units_text = row[cols["units"]].strip()
    # plain ASCII digits of a bounded length ("²" passes isdigit() and then crashes int());
    # CMS's largest MUE values (drug units) have five digits
    if not (units_text.isascii() and units_text.isdigit() and len(units_text) <= 6):
        raise RefdataFormatError(path, number, cols["units"] + 1, f"MUE value {units_text!r}")
    mai = _parse_mai(path, number, cols["mai"] + 1, row[cols["mai"]])
    rationale = row[cols["rationale"]].strip() if len(row) > cols["rationale"] else ""
    return MueLimit(code, int(units_text), mai, rationale)


def iter_mue_file(path: Path, progress: ProgressFn | None = None) -> Iterator[MueLimit]:
    """Parse a CMS MUE practitioner CSV lazily; raise RefdataFormatError on the first bad row."""
    numbered = iter_lines(path, progress)
    numbers: list[int] = []

    def texts() -> Iterator[str]:
        for number, text in numbered:
            numbers.append(number)
            yield text

    cols: dict[str, int] | None = None
    for row in csv.reader(texts()):
        number = numbers[-1]
        if not any(cell.strip() for cell in row):
            continue
        if cols is None:
            if row[0].strip().lower().startswith("hcpcs"):
                cols = _header_map(path, number, row)
            elif number >= _MAX_PREAMBLE:
                break
            continue
        yield _parse_row(path, number, row, cols)
    if cols is None:
        raise RefdataFormatError(
            path,
            1,
            1,
            "no MUE header ('HCPCS/CPT Code,Practitioner Services MUE Values,...') "
            "found; is this a CMS practitioner MUE .csv file?",
        )


@dataclass(frozen=True, slots=True)
class _Version:
    effective: dt.date
    release: str
    limits: Mapping[str, MueLimit]


class MueTable:
    """MUE limits by code, one version per CMS release, chosen by the date of service.

    ``limit(code, on)`` uses the newest version effective on or before ``on`` and returns None
    when no version covers the date or the code has no MUE: no limit means no finding, which
    keeps the scrubber from crying wolf.
    """

    __slots__ = ("_starts", "_versions")

    def __init__(self) -> None:
        self._versions: list[_Version] = []
        self._starts: list[dt.date] = []

    def add_version(
        self, limits: Iterable[MueLimit], *, effective: dt.date | None, release: str = ""
    ) -> None:
        """Register one release; ``effective=None`` means valid for every date."""
        version = _Version(effective or dt.date.min, release, {m.code: m for m in limits})
        index = bisect.bisect_right(self._starts, version.effective)
        self._starts.insert(index, version.effective)
        self._versions.insert(index, version)

    @property
    def releases(self) -> list[tuple[dt.date, str]]:
        """(effective, release) of each version, oldest first."""
        return [(v.effective, v.release) for v in self._versions]

    def limit(self, code: str, on: dt.date) -> MueLimit | None:
        """The MUE for ``code`` on the date of service, or None."""
        index = bisect.bisect_right(self._starts, on) - 1
        if index < 0:
            return None
        return self._versions[index].limits.get(code)


def read_mue(
    path: Path, *, effective: dt.date | None, release: str = "", progress: ProgressFn | None = None
) -> MueTable:
    """Read one CMS MUE CSV into a single-version table."""
    table = MueTable()
    table.add_version(iter_mue_file(path, progress), effective=effective, release=release)
    return table
