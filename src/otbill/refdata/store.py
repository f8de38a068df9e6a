"""Versioned store of imported CMS tables: import a CMS file once, load the right release later.

Layout: ``<refdata_dir>/<kind>/<effective>__<release>.csv`` in the normalized form of
:mod:`otbill.refdata.normalized`. ``load_<kind>(on, dirs)`` picks, over all ``dirs``, the newest
release effective on or before the date of service. When none qualifies, NCCI PTP and MUE fall
back to the curated OT subset packaged in ``otbill/codes/data`` (CMS 2024 data, see SOURCES.md);
RVU and GPCI have no packaged data (the RVU file carries CPT descriptors), so they return None.
Loaded tables are cached per (file, mtime, size): the scrubber may call ``load_*`` per claim.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from otbill.errors import ConfigError
from otbill.refdata.fee_schedule import (
    FeeSchedule,
    Gpci,
    RvuRow,
    conversion_factor,
    iter_gpci_file,
    iter_pprrvu_file,
)
from otbill.refdata.formats import ProgressFn, RefdataFormatError, infer_release
from otbill.refdata.mue import MueTable, iter_mue_file
from otbill.refdata.ncci import PtpTable, iter_ptp_file
from otbill.refdata.normalized import (
    Kind,
    from_row,
    read_meta,
    read_normalized,
    render_normalized,
)

__all__ = [
    "CURATED_FILES",
    "KINDS",
    "ImportResult",
    "ImportedTable",
    "import_file",
    "list_imported",
    "load_fee_schedule",
    "load_gpci",
    "load_mue",
    "load_ncci_ptp",
    "load_rvu",
]

KINDS: tuple[Kind, ...] = ("ncci-ptp", "mue", "rvu", "gpci")
CURATED_FILES: dict[str, str] = {"ncci-ptp": "ncci_ptp_ot.csv", "mue": "mue_ot.csv"}
_PARSERS: dict[str, Callable[[Path, ProgressFn | None], Iterator[Any]]] = {
    "ncci-ptp": iter_ptp_file,
    "mue": iter_mue_file,
    "rvu": iter_pprrvu_file,
    "gpci": iter_gpci_file,
}
_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})__(.+)\.csv$")


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did; ``unchanged`` is True when the same file was already imported."""

    kind: str
    source: Path
    dest: Path
    release: str
    effective: dt.date
    rows: int
    unchanged: bool

    @property
    def message(self) -> str:
        verb = "already imported, nothing to do" if self.unchanged else "imported"
        return (
            f"{self.kind} {self.release} effective {self.effective}: {self.rows} rows "
            f"{verb} ({self.dest})"
        )


@dataclass(frozen=True, slots=True)
class ImportedTable:
    """One imported table as listed by ``otbill refdata list``."""

    kind: str
    release: str
    effective: dt.date
    path: Path
    rows: int
    source: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _resolve_release(
    kind: str, path: Path, effective: dt.date | None, release: str | None
) -> tuple[str, dt.date]:
    inferred = infer_release(kind, path.name)
    release = release or (inferred.release if inferred else None)
    effective = effective or (inferred.effective if inferred else None)
    if not release or effective is None:
        raise ConfigError(
            f"{path}: cannot infer the release/effective date from the file name; "
            "pass --effective YYYY-MM-DD and --release NAME"
        )
    return release, effective


def _atomic_write(dest: Path, text: str) -> None:
    """Write via a temp file in the same directory + rename, so readers never see half a file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _dest_path(dest_dir: Path, kind: str, effective: dt.date, release: str) -> Path:
    """``<dest_dir>/<kind>/<effective>__<release>.csv``, the release made safe for file names."""
    safe = re.sub(r"[^A-Za-z0-9.-]+", "_", release)
    return dest_dir / kind / f"{effective.isoformat()}__{safe}.csv"


def _imported_rows(dest: Path, sha: str) -> int | None:
    """Row count of an earlier import of the very same source file (same SHA-256), else None."""
    if not dest.is_file():
        return None
    meta = read_meta(dest)
    return int(meta.get("rows", "0")) if meta.get("sha256") == sha else None


def import_file(
    kind: Kind,
    path: Path,
    *,
    effective: dt.date | None = None,
    release: str | None = None,
    dest_dir: Path,
    progress: ProgressFn | None = None,
) -> ImportResult:
    """Parse a CMS file of ``kind`` and store its normalized copy; refuse a wrong layout.

    Raises RefdataFormatError (file, line, column) for a file that is not CMS's layout and
    ConfigError for a missing file or an undeterminable release.
    """
    if kind not in _PARSERS:
        raise ConfigError(f"unknown reference table kind {kind!r}; use one of {KINDS}")
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such file")
    release, effective = _resolve_release(kind, path, effective, release)
    dest = _dest_path(Path(dest_dir), kind, effective, release)
    sha = _sha256(path)
    previous = _imported_rows(dest, sha)
    if previous is not None:
        if progress is not None:
            size = path.stat().st_size
            progress(size, size)
        return ImportResult(kind, path, dest, release, effective, previous, True)
    records = list(_PARSERS[kind](path, progress))
    if not records:
        raise RefdataFormatError(path, 1, 1, f"no {kind} data rows found")
    meta = {
        "kind": kind,
        "source": path.name,
        "sha256": sha,
        "release": release,
        "effective": effective.isoformat(),
        "rows": str(len(records)),
    }
    text, count = render_normalized(kind, records, meta)
    _atomic_write(dest, text)
    return ImportResult(kind, path, dest, release, effective, count, False)


def _candidates(kind: str, dirs: list[Path]) -> list[tuple[dt.date, str, Path]]:
    found = []
    for root in dirs:
        folder = Path(root) / kind
        if not folder.is_dir():
            continue
        for file in folder.iterdir():
            if match := _NAME.match(file.name):
                found.append((dt.date.fromisoformat(match[1]), match[2], file))
    return sorted(found)


def _pick(kind: str, on: dt.date, dirs: list[Path]) -> Path | None:
    eligible = [path for start, _, path in _candidates(kind, dirs) if start <= on]
    return eligible[-1] if eligible else None


@functools.cache
def _curated(kind: str) -> Path:
    return Path(str(resources.files("otbill.codes") / "data" / CURATED_FILES[kind]))


@functools.lru_cache(maxsize=16)
def _read_cached(kind: str, path: str, _mtime: int, _size: int) -> tuple[dict[str, str], Any]:
    meta, rows = read_normalized(Path(path))
    records = tuple(from_row(kind, rows))
    if kind == "ncci-ptp":
        start = meta.get("effective")
        eff = dt.date.fromisoformat(start) if start else None
        return meta, PtpTable(records, release=meta.get("release", ""), effective=eff)
    return meta, records


def _read(kind: str, path: Path) -> tuple[dict[str, str], Any]:
    stat = path.stat()
    return _read_cached(kind, str(path), stat.st_mtime_ns, stat.st_size)


def load_ncci_ptp(on: dt.date, dirs: list[Path]) -> PtpTable:
    """PTP edits for a date of service: newest imported release, else the curated OT subset."""
    path = _pick("ncci-ptp", on, dirs) or _curated("ncci-ptp")
    table: PtpTable = _read("ncci-ptp", path)[1]
    return table


def load_mue(on: dt.date, dirs: list[Path]) -> MueTable:
    """MUE limits for a date of service: newest imported release, else the curated OT subset."""
    path = _pick("mue", on, dirs) or _curated("mue")
    meta, records = _read("mue", path)
    start = meta.get("effective")
    table = MueTable()
    table.add_version(
        records,
        effective=dt.date.fromisoformat(start) if start else None,
        release=meta.get("release", ""),
    )
    return table


# Curated RVUs of the OT catalog codes shipped with otbill, by the date they are used from.
CURATED_RVU: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2025, 1, 1), "mpfs_rvu_ot_2025.csv"),
    (dt.date(2026, 1, 1), "mpfs_rvu_ot_2026.csv"),
)


def _curated_rvu(on: dt.date) -> Path | None:
    names = [name for start, name in CURATED_RVU if start <= on]
    if not names or on.year > CURATED_RVU[-1][0].year:
        return None  # an old release must not price a later year
    return Path(str(resources.files("otbill.codes") / "data" / names[-1]))


def load_rvu(on: dt.date, dirs: list[Path]) -> tuple[RvuRow, ...] | None:
    """RVU rows in force on ``on``: the newest imported PPRRVU release, else the curated OT
    subset for that year (2025, 2026); None when neither covers the date."""
    path = _pick("rvu", on, dirs) or _curated_rvu(on)
    return None if path is None else tuple(_read("rvu", path)[1])


def load_gpci(on: dt.date, dirs: list[Path]) -> tuple[Gpci, ...] | None:
    """Localities of the newest imported GPCI file effective on ``on``; None if none."""
    path = _pick("gpci", on, dirs)
    return None if path is None else tuple(_read("gpci", path)[1])


def load_fee_schedule(
    on: dt.date, dirs: list[Path], *, qualifying_apm: bool = False
) -> FeeSchedule | None:
    """RVUs + GPCIs + CF for ``on``; the CF from the packaged dated table, else the RVU file."""
    rvus = load_rvu(on, dirs)
    if rvus is None:
        return None
    cf: Decimal | None = conversion_factor(on, qualifying_apm=qualifying_apm)
    return FeeSchedule(rvus, load_gpci(on, dirs) or (), cf)


def list_imported(dirs: list[Path]) -> list[ImportedTable]:
    """Every imported table under ``dirs``, by kind then effective date."""
    tables = []
    for kind in KINDS:
        for effective, _, path in _candidates(kind, dirs):
            meta = read_meta(path)
            tables.append(
                ImportedTable(
                    kind,
                    meta.get("release", ""),
                    effective,
                    path,
                    int(meta.get("rows", "0")),
                    meta.get("source", ""),
                )
            )
    return tables
