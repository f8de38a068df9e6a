"""Shared plumbing for the CMS file readers: the format error, line reading, dates, file names.

Why one module: every CMS reader needs the same three things (an error that names file, line and
column; tolerant line reading with a byte count for progress bars; CMS date formats), and the
store needs to infer release and effective date from CMS's file names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from otbill.errors import ConfigError

__all__ = [
    "ProgressFn",
    "RefdataFormatError",
    "ReleaseInfo",
    "infer_release",
    "iter_lines",
    "parse_cms_date",
]

ProgressFn = Callable[[int, int], None]
"""``progress(done, total)``: bytes read so far and the file size."""

_PROGRESS_EVERY = 4096  # lines between progress calls: cheap, yet smooth for a 60 MB file


class RefdataFormatError(ConfigError):
    """A reference file whose layout is not the CMS layout we expect.

    Names the file, the 1-based line and the column (number or header name) so that the person
    importing it can open the file and look.
    """

    def __init__(self, path: Path | str, line: int, column: int | str, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        self.reason = reason
        super().__init__(f"{self.path}: line {line}, column {column}: {reason}")


def iter_lines(path: Path, progress: ProgressFn | None = None) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, text)`` with CR/LF stripped; tolerate CRLF, LF and a UTF-8 BOM.

    CMS files are ASCII/Latin-1 (the RVU25D readme and the files themselves), so Latin-1 decoding
    never fails and one character is one byte, which makes the progress count exact.
    """
    total = path.stat().st_size
    done = 0
    with path.open(encoding="latin-1", newline="") as handle:
        for number, raw in enumerate(handle, start=1):
            done += len(raw)
            text = raw.rstrip("\r\n")
            if number == 1 and text.startswith("\xef\xbb\xbf"):
                text = text[3:]
            if progress is not None and number % _PROGRESS_EVERY == 0:
                progress(done, total)
            yield number, text
    if progress is not None:
        progress(total, total)


_DATE_FORMATS = ("%Y%m%d", "%Y-%m-%d", "%m/%d/%Y")


def parse_cms_date(value: str) -> dt.date | None:
    """``YYYYMMDD`` (CMS TXT), ISO or ``MM/DD/YYYY`` (CMS xlsx exports); ``*``/empty mean none."""
    text = value.strip()
    if text in ("", "*"):
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {value!r} (expected YYYYMMDD or '*')")


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    """Release name and effective date read from a CMS file name."""

    release: str
    effective: dt.date


# NCCI versions: vXX.Q, where Q 0..3 is the calendar quarter and XX = year - 1994.
# Checked: v16.3 took effect 2010-10-01 (managemypractice.com, "The Cohen Report: NCCI 16.3
# analysis for edits effective October 1, 2010"); v30.1 is 2024-04-01 (shared/refdata/SOURCES.md).
_NCCI = re.compile(r"ccipra-v(\d{2})(\d)r(\d+)", re.IGNORECASE)
_MUE = re.compile(r"MUE_\w*?Eff_(\d{2})-(\d{2})-(\d{4})", re.IGNORECASE)
# PPRRVU files: one release per quarter, A=January .. D=October (RVU25A..RVU25D readmes).
_RVU = re.compile(r"PPRRVU(\d{4}|\d{2})_?(JAN|APR|JUL|OCT)", re.IGNORECASE)
_GPCI = re.compile(r"GPCI(\d{4})", re.IGNORECASE)
_RVU_LETTER = {"JAN": ("A", 1), "APR": ("B", 4), "JUL": ("C", 7), "OCT": ("D", 10)}


def infer_release(kind: str, name: str) -> ReleaseInfo | None:
    """Release and effective date from a CMS file name, or None when the name says nothing."""
    if kind == "ncci-ptp" and (m := _NCCI.search(name)):
        major, quarter, revision = int(m[1]), int(m[2]), int(m[3])
        if quarter > 3:
            return None
        release = f"v{major}.{quarter}" + (f"r{revision}" if revision else "")
        return ReleaseInfo(release, dt.date(1994 + major, 1 + 3 * quarter, 1))
    if kind == "mue" and (m := _MUE.search(name)):
        effective = dt.date(int(m[3]), int(m[1]), int(m[2]))
        return ReleaseInfo(f"{effective.year}Q{(effective.month - 1) // 3 + 1}", effective)
    if kind == "rvu" and (m := _RVU.search(name)):
        year = int(m[1]) if len(m[1]) == 4 else 2000 + int(m[1])
        letter, month = _RVU_LETTER[m[2].upper()]
        return ReleaseInfo(f"RVU{year % 100:02d}{letter}", dt.date(year, month, 1))
    if kind == "gpci" and (m := _GPCI.search(name)):
        return ReleaseInfo(f"GPCI{m[1]}", dt.date(int(m[1]), 1, 1))
    return None
