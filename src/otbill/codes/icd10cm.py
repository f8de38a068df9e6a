"""ICD-10-CM diagnosis codes: shape, existence and billability for a date of service.

Why this module exists: payers reject a claim whose diagnosis is not a current ICD-10-CM code
or is a header (category) code that has more specific children. The code list is the full
CDC/CMS release shipped by the pinned ``simple-icd-10-cm`` package (see :data:`RELEASE`), never
a hand-picked sample. Lookups read an indexed copy of that release (``_icd10cm_store``: one row
per code, read through an index) that is built from the library the first time a code is looked
up and kept in the cache directory (``OTBILL_CACHE_DIR``); the untyped library itself is imported
only to build it, because parsing its tree takes over a second and about 190 MB.

Releases: we ship exactly one release. For a date of service outside its window the code is
still checked against that release (the nearest one we have); :func:`release_for` tells callers
so, and they should say so to the user. :class:`~otbill.errors.CodeNotEffective` is raised only
when we can prove the code was not in force: before 1 October 2015 no ICD-10-CM code was.

``is_valid`` answers "is this an ICD-10-CM code" (header codes included); ``is_billable`` answers
"may this go on a claim", i.e. ``validate`` succeeds.

>>> validate("m6281")
'M62.81'
>>> format("M6281")
'M62.81'
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.metadata
import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from otbill.codes._icd10cm_store import IcdStore, open_store
from otbill.errors import (
    CodeError,
    CodeNotEffective,
    ConfigError,
    MalformedCode,
    NotBillable,
    UnknownCode,
)

__all__ = [
    "CODE_SET",
    "ICD10CM_START",
    "RELEASE",
    "Release",
    "ReleaseMatch",
    "compact",
    "describe",
    "format",
    "is_billable",
    "is_valid",
    "release_for",
    "validate",
]

CODE_SET = "ICD-10-CM"

#: HIPAA compliance date for ICD-10-CM (45 CFR 162.1002(c)); before it ICD-9-CM applied.
ICD10CM_START = dt.date(2015, 10, 1)

# Letter, two alphanumerics, then an optional dot and up to four alphanumerics. The second
# character is usually a digit, but the FY2026 release added category QA0 ("QA0.0101"), so
# the shape accepts a letter there too; existence is decided by the code list, not the regex.
_SHAPE = re.compile(r"[A-Z][0-9A-Z]{2}(?:\.?[0-9A-Z]{1,4})?")


@dataclass(frozen=True)
class Release:
    """One ICD-10-CM release: what it is, when it applies, where it came from."""

    name: str
    fiscal_year: int
    effective_from: dt.date
    effective_to: dt.date
    source: str
    package: str


@dataclass(frozen=True)
class ReleaseMatch:
    """Which release a check used for a date of service, and whether it is the right one.

    ``exact`` is False when the date falls outside the shipped release's window: the result
    is then a best effort against the nearest release and should be shown as such.
    """

    release: Release
    on: dt.date | None
    exact: bool
    note: str


RELEASE = Release(
    name="ICD-10-CM FY2026, April 1, 2026 update",
    fiscal_year=2026,
    effective_from=dt.date(2026, 4, 1),
    effective_to=dt.date(2026, 9, 30),
    source=(
        "CDC/NCHS ICD-10-CM files (https://www.cdc.gov/nchs/icd/icd-10-cm/files.html): "
        "icd10cm-tabular-April-1-2026.xml and code list, as shipped in simple-icd-10-cm 1.5.0 "
        "(code-list-April-2026.txt)"
    ),
    package="simple-icd-10-cm==1.5.0",
)
_PINNED_VERSION = "1.5.0"


@dataclass(frozen=True)
class _Entry:
    dotted: str
    billable: bool


def compact(value: str) -> str:
    """Upper-case and drop spaces and the dot: ``" m62.81 "`` -> ``"M6281"``."""
    return "".join(value.split()).upper().replace(".", "")


def format(code: str) -> str:
    """The dotted form CMS prints: ``"M6281"`` -> ``"M62.81"`` (3-character codes unchanged)."""
    key = compact(code)
    return key if len(key) <= 3 else f"{key[:3]}.{key[3:]}"


def release_for(on: dt.date | None) -> ReleaseMatch:
    """Say which release a check for ``on`` used, so a UI can warn about a nearest-release check."""
    if on is None or RELEASE.effective_from <= on <= RELEASE.effective_to:
        return ReleaseMatch(RELEASE, on, True, f"checked against {RELEASE.name}")
    side = "before" if on < RELEASE.effective_from else "after"
    note = (
        f"date of service {on.isoformat()} is {side} the window of {RELEASE.name} "
        f"({RELEASE.effective_from.isoformat()} to {RELEASE.effective_to.isoformat()}); "
        "checked against that release as the nearest one available"
    )
    return ReleaseMatch(RELEASE, on, False, note)


def validate(value: str, on: dt.date | None = None) -> str:
    """Return the dotted code if it may be billed on ``on``; otherwise raise a CodeError."""
    entry = _lookup(value, on)
    if not entry.billable:
        example = _example_leaf(entry.dotted)
        raise NotBillable(
            CODE_SET,
            entry.dotted,
            f"is a header code; use a more specific code below it (for example {example})",
        )
    return entry.dotted


def is_valid(value: str, on: dt.date | None = None) -> bool:
    """True if ``value`` is an ICD-10-CM code (header or billable) in force on ``on``."""
    try:
        _lookup(value, on)
    except CodeError:
        return False
    return True


def is_billable(value: str, on: dt.date | None = None) -> bool:
    """True if ``value`` can go on a claim for ``on`` (``validate`` would succeed)."""
    try:
        validate(value, on)
    except CodeError:
        return False
    return True


def describe(code: str) -> str:
    """The official (public-domain) CMS/CDC description of a code, header codes included."""
    entry = _lookup(code, None)
    row = _store().row(compact(entry.dotted))
    assert row is not None  # _lookup found it
    return row[3]


def _lookup(value: str, on: dt.date | None) -> _Entry:
    """Check shape, date and existence; return the code's entry (billable or header)."""
    cleaned = "".join(value.split()).upper()
    if not _SHAPE.fullmatch(cleaned):
        raise MalformedCode(
            CODE_SET,
            value,
            "not shaped like an ICD-10-CM code (letter, two letters/digits, "
            "optional dot, up to 4 more letters/digits)",
        )
    key = cleaned.replace(".", "")
    entry = _index().get(key)
    if entry is None:
        raise UnknownCode(CODE_SET, format(key), f"not a code in {RELEASE.name}")
    if on is not None and on < ICD10CM_START:
        raise CodeNotEffective(
            CODE_SET,
            entry.dotted,
            f"ICD-10-CM applies to dates of service from {ICD10CM_START.isoformat()}; "
            f"{on.isoformat()} needs ICD-9-CM",
            on,
        )
    return entry


def _example_leaf(dotted: str) -> str:
    """The first billable code under a header, to make the NotBillable message actionable."""
    row = _store().row(compact(dotted))
    return row[2] if row is not None and row[2] else dotted


@functools.cache
def _library() -> Any:
    """Import simple_icd_10_cm once, to build the store; its import parses the whole tabular XML.

    :data:`RELEASE` describes what version 1.5.0 ships; another version would make it lie.
    """
    installed = importlib.metadata.version("simple-icd-10-cm")
    if installed != _PINNED_VERSION:
        raise ConfigError(
            f"simple-icd-10-cm {installed} is installed but otbill.codes.icd10cm.RELEASE "
            f"describes {_PINNED_VERSION}; update RELEASE and SOURCES.md with the pin"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import simple_icd_10_cm

    return simple_icd_10_cm


@functools.cache
def _store() -> IcdStore:
    """The indexed copy of the release, built from the library on first use."""
    from otbill.settings import cache_dir

    return open_store(cache_dir(), importlib.metadata.version("simple-icd-10-cm"), _library)


class _Index(Mapping[str, _Entry]):
    """Undotted code -> entry for every category and subcategory, read from the store."""

    def __getitem__(self, key: str) -> _Entry:
        row = _store().row(key)
        if row is None:
            raise KeyError(key)
        return _Entry(row[0], row[1])

    def __len__(self) -> int:
        return _store().count()

    def __iter__(self) -> Iterator[str]:
        return _store().keys()


@functools.cache
def _index() -> Mapping[str, _Entry]:
    """Undotted code -> entry for every category and subcategory of the shipped release."""
    return _Index()
