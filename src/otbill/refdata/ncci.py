"""NCCI procedure-to-procedure (PTP) edits, practitioner table: CMS TXT reader and lookup table.

CMS layout (quarterly ``ccipra-vXXYrZ-fN.txt``): an optional copyright preamble, then one
tab-delimited header line with 7 columns -- ``Column 1``, ``Column 2``,
``*=in existence prior to 1996``, ``Effective Date``, ``Deletion Date *=no data``,
``Modifier 0=not allowed 1=allowed 9=not applicable``, ``PTP Edit Rationale`` -- and one edit
per line. Dates are ``YYYYMMDD``; ``*`` in the deletion column means "not deleted".

When an edit applies (date semantics):
- An edit applies to dates of service on or after its effective date and on or before its
  deletion date; for dates of service *after* the deletion date it no longer applies. CMS
  deletes edits at quarter ends (e.g. 20191231 for the January 2020 release; v16.3, effective
  2010-10-01, terminated edits as of 2010-09-30 -- managemypractice.com, "The Cohen Report:
  NCCI 16.3"), and the Medicaid NCCI Edit Design Manual, "Claim Adjudication Rules", compares
  the date of service with the effective and deletion dates in the same way.
- Modifier indicator 9 means the edit does not apply: it was deleted retroactively
  (CMS NCCI PTP edit file layout, modifier indicator column). Such an edit never fires.
- Some copies (shared/refdata v30.1) lack effective dates. CMS never keeps two concurrent rows
  for the same ordered pair, so when an effective date is missing we start the row the day after
  the latest earlier deletion of the same ordered pair (DERIVED; documented in SOURCES.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from otbill.refdata.formats import ProgressFn, RefdataFormatError, iter_lines, parse_cms_date

__all__ = ["PtpEdit", "PtpTable", "iter_ptp_file", "read_ptp"]

_HEADER_PREFIXES = ("column 1", "column 2", "*=in existence", "effective", "deletion", "modifier")
_MAX_PREAMBLE = 20
_MODIFIERS = {"0": 0, "1": 1, "9": 9}


@dataclass(frozen=True, slots=True)
class PtpEdit:
    """One PTP edit: ``column2`` is denied when billed with ``column1`` (same patient, day).

    ``modifier_indicator``: 0 never together, 1 an NCCI-associated modifier may bypass it,
    9 not applicable. ``rationale`` is CMS's text.
    """

    column1: str
    column2: str
    effective: dt.date | None
    deleted: dt.date | None
    modifier_indicator: int
    rationale: str

    def active_on(self, on: dt.date) -> bool:
        """Whether the edit applies on ``on`` from its own dates alone (see the module doc)."""
        if self.modifier_indicator == 9:
            return False
        if self.effective is not None and on < self.effective:
            return False
        return self.deleted is None or on <= self.deleted


def _check_header(path: Path, number: int, fields: list[str]) -> None:
    """Refuse a header that is not CMS's PTP header, naming the first bad column.

    The rationale column (7th) is checked only when present: older releases had 6 columns.
    """
    if len(fields) < len(_HEADER_PREFIXES):
        raise RefdataFormatError(path, number, len(fields) + 1, "PTP header has too few columns")
    for index, prefix in enumerate(_HEADER_PREFIXES):
        if not fields[index].strip().lower().startswith(prefix):
            raise RefdataFormatError(
                path,
                number,
                index + 1,
                f"expected a PTP header column starting {prefix!r}, found {fields[index]!r}",
            )


def _parse_row(path: Path, number: int, fields: list[str]) -> PtpEdit:
    """One data line to a PtpEdit, or an error naming the offending column."""
    if len(fields) < 6:
        raise RefdataFormatError(path, number, len(fields) + 1, "expected 7 tab-separated columns")
    col1, col2 = fields[0].strip().upper(), fields[1].strip().upper()
    for index, code in ((1, col1), (2, col2)):
        if len(code) != 5 or not code.isalnum():
            raise RefdataFormatError(path, number, index, f"not a HCPCS/CPT code: {code!r}")
    dates: list[dt.date | None] = []
    for index in (3, 4):
        try:
            dates.append(parse_cms_date(fields[index]))
        except ValueError as exc:
            raise RefdataFormatError(path, number, index + 1, str(exc)) from None
    if fields[2].strip() == "*" and dates[0] is None:
        dates[0] = dt.date(1996, 1, 1)  # "in existence prior to 1996": NCCI began 1996-01-01
    modifier = _MODIFIERS.get(fields[5].strip())
    if modifier is None:
        raise RefdataFormatError(path, number, 6, f"modifier indicator {fields[5]!r} not 0/1/9")
    rationale = fields[6].strip() if len(fields) > 6 else ""
    return PtpEdit(col1, col2, dates[0], dates[1], modifier, rationale)


def iter_ptp_file(path: Path, progress: ProgressFn | None = None) -> Iterator[PtpEdit]:
    """Parse a CMS PTP TXT file lazily; raise RefdataFormatError on the first bad line."""
    header_seen = in_header = False
    first_text: tuple[int, str] | None = None
    for number, text in iter_lines(path, progress):
        if not text.strip():
            continue
        fields = text.split("\t")
        if not header_seen:
            first_text = first_text or (number, text)
            if fields[0].strip().lower() == "column 1":
                _check_header(path, number, fields)
                header_seen = in_header = True
            elif number >= _MAX_PREAMBLE:
                break
            continue
        if in_header and not fields[0].strip() and not "".join(fields[1:2]).strip():
            continue  # the header wrapped onto a second line: a continuation without codes
        in_header = False
        yield _parse_row(path, number, fields)
    if not header_seen:
        line = first_text[0] if first_text else 1
        raise RefdataFormatError(
            path,
            line,
            1,
            "no NCCI PTP header ('Column 1<TAB>Column 2<TAB>...') found; "
            "is this a CMS practitioner PTP .txt file?",
        )


def read_ptp(path: Path, progress: ProgressFn | None = None) -> PtpTable:
    """Read a CMS PTP TXT file into a lookup table."""
    return PtpTable(iter_ptp_file(path, progress))


_Span = tuple[dt.date, dt.date, PtpEdit]


def _spans(edits: Iterable[PtpEdit]) -> dict[tuple[str, str], list[_Span]]:
    """Each applicable edit as (first day, last day, edit), keyed by its ordered pair."""
    by_ordered: dict[tuple[str, str], list[PtpEdit]] = defaultdict(list)
    for edit in edits:
        if edit.modifier_indicator != 9:
            by_ordered[(edit.column1, edit.column2)].append(edit)
    spans: dict[tuple[str, str], list[_Span]] = {}
    for key, rows in by_ordered.items():
        rows.sort(key=lambda e: (e.deleted or dt.date.max, e.effective or dt.date.min))
        out: list[_Span] = []
        previous_end: dt.date | None = None
        for edit in rows:
            start = edit.effective
            if start is None:  # DERIVED: day after the previous deletion of this ordered pair
                start = previous_end + dt.timedelta(days=1) if previous_end else dt.date.min
            end = edit.deleted or dt.date.max
            out.append((start, end, edit))
            previous_end = edit.deleted
        spans[key] = out
    return spans


class PtpTable:
    """All PTP edits of one release, indexed for the scrubber's hot loop.

    Built once: ``_by_pair`` maps an unordered pair (lexically smaller code first) to its
    date spans; ``_partners`` maps a code to every code it has an applicable edit with, so
    that ``active_pairs_for`` costs one set intersection per code on the claim.
    """

    __slots__ = ("_by_pair", "_partners", "edits", "effective", "release")

    def __init__(
        self, edits: Iterable[PtpEdit], *, release: str = "", effective: dt.date | None = None
    ) -> None:
        self.edits: tuple[PtpEdit, ...] = tuple(edits)
        self.release = release
        self.effective = effective
        by_pair: dict[tuple[str, str], list[_Span]] = defaultdict(list)
        partners: dict[str, set[str]] = defaultdict(set)
        for (a, b), spans in _spans(self.edits).items():
            by_pair[(a, b) if a <= b else (b, a)].extend(spans)
            partners[a].add(b)
            partners[b].add(a)
        self._by_pair: dict[tuple[str, str], tuple[_Span, ...]] = {
            key: tuple(value) for key, value in by_pair.items()
        }
        self._partners: dict[str, frozenset[str]] = {
            key: frozenset(value) for key, value in partners.items()
        }

    def __len__(self) -> int:
        return len(self.edits)

    def edits_between(self, code_a: str, code_b: str, on: dt.date) -> list[PtpEdit]:
        """Edits active on ``on`` between two codes, in either column order."""
        key = (code_a, code_b) if code_a <= code_b else (code_b, code_a)
        spans = self._by_pair.get(key)
        if not spans:
            return []
        return [edit for start, end, edit in spans if start <= on <= end]

    def active_pairs_for(self, codes: Iterable[str], on: dt.date) -> list[PtpEdit]:
        """Active edits among the codes billed on one day, ordered by (column1, column2)."""
        present = codes if isinstance(codes, (set, frozenset)) else set(codes)
        found: list[PtpEdit] = []
        partners = self._partners
        by_pair = self._by_pair
        for code in present:
            others = partners.get(code)
            if not others:
                continue
            for other in others.intersection(present):
                if code < other:
                    for start, end, edit in by_pair[(code, other)]:
                        if start <= on <= end:
                            found.append(edit)
        if len(found) > 1:
            found.sort(key=lambda e: (e.column1, e.column2))
        return found
