"""ICD-10-CM diagnosis codes: shape, existence and billability for a date of service.

Why this module exists: payers reject a claim whose diagnosis is not a current ICD-10-CM code
or is a header (category) code that has more specific children. The code list is the full
CDC/CMS release shipped by the pinned ``simple-icd-10-cm`` package (see :data:`RELEASE`), never
a hand-picked sample. Lookups read an indexed copy of that release (``_icd10cm_store``: one row
per code, read through an index) that is built from the library the first time a code is looked
up and kept in the cache directory (``OTBILL_CACHE_DIR``); the untyped library itself is imported
only to build it, because parsing its tree takes over a second and about 190 MB.

Releases by date of service (:data:`RELEASES`): the current release in full, and for older
releases how they differ from it (:mod:`otbill.codes._icd10cm_history`), so a code is checked
against the release in force on the date of service: M54.5 is billable on 2021-06-15 (FY2021) and
M54.50, added in FY2022, is not yet valid then. otbill ships the releases whose CDC files it could
reach (see :data:`RELEASES`); a date of service between or before them is checked against the
neighbouring releases: where they agree that is the answer, where they differ the code is given
the benefit of the doubt, and :func:`release_for` says the check was not exact so callers can say
so. :class:`~otbill.errors.CodeNotEffective` is raised when we can show the code was not in force
on the date: before 1 October 2015 no ICD-10-CM code was; a code missing from the date's release
but present in another one was not in force then either.

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

from otbill.codes._icd10cm_history import State, changes
from otbill.codes._icd10cm_store import IcdStore, open_store
from otbill.codes.icd10cm_releases import (
    RELEASE,
    RELEASES,
    Release,
    ReleaseMatch,
    neighbours,
    release_for,
)
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
    "RELEASES",
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

#: The simple-icd-10-cm version whose code list :data:`RELEASE` describes.
_PINNED_VERSION = "1.5.0"

#: HIPAA compliance date for ICD-10-CM (45 CFR 162.1002(c)); before it ICD-9-CM applied.
ICD10CM_START = dt.date(2015, 10, 1)

# Letter, two alphanumerics, then an optional dot and up to four alphanumerics. The second
# character is usually a digit, but the FY2026 release added category QA0 ("QA0.0101"), so
# the shape accepts a letter there too; existence is decided by the code list, not the regex.
_SHAPE = re.compile(r"[A-Z][0-9A-Z]{2}(?:\.?[0-9A-Z]{1,4})?")


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


def _now(key: str) -> State:
    row = _store().row(key)
    return State.ABSENT if row is None else State.BILLABLE if row[1] else State.HEADER


def _state(key: str, release: Release, now: State) -> State:
    """The code's state in ``release``, given its state in the current one."""
    return now if release is RELEASE else changes()[release.id].state(key, now)


def _state_on(key: str, on: dt.date | None, now: State) -> tuple[State, Release]:
    """The code's state on the date of service and the release that says so. Between shipped
    releases that disagree, the more permissive state (the change's date is not known)."""
    match = release_for(on)
    if match.exact or on is None:
        return _state(key, match.release, now), match.release
    states = [(_state(key, r, now), r) for r in neighbours(on) if r is not None]
    for wanted in (State.BILLABLE, State.HEADER):
        for state, release in states:
            if state is wanted:
                return state, release
    return State.ABSENT, match.release


def _known_in(key: str, now: State) -> Release | None:
    """The latest shipped release in which the code exists (for 'not in force then' messages)."""
    for release in reversed(RELEASES):
        if _state(key, release, now) is not State.ABSENT:
            return release
    return None


def _not_in_force(
    key: str, on: dt.date, release: Release, known: Release, now: State
) -> CodeNotEffective:
    window = f"{release.effective_from.isoformat()} to {release.effective_to.isoformat()}"
    at = RELEASES.index(release)
    if RELEASES.index(known) > at:  # name the first shipped release that has it
        first = next(r for r in RELEASES[at + 1 :] if _state(key, r, now) is not State.ABSENT)
        change = f"it was added later ({first.name} has it)"
    else:
        change = f"it had been deleted ({known.name} has it)"
    reason = f"not in force on {on.isoformat()}: {release.name} ({window}) does not have it; "
    return CodeNotEffective(CODE_SET, format(key), reason + change, on)


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
    now = _now(key)
    known = _known_in(key, now)
    if known is None:
        nearest = release_for(on).release if on is not None and on >= ICD10CM_START else RELEASE
        raise UnknownCode(CODE_SET, format(key), f"not a code in {nearest.name}")
    if on is not None and on < ICD10CM_START:
        raise CodeNotEffective(
            CODE_SET,
            format(key),
            f"ICD-10-CM applies to dates of service from {ICD10CM_START.isoformat()}; "
            f"{on.isoformat()} needs ICD-9-CM",
            on,
        )
    state, release = _state_on(key, on, now)
    if state is State.ABSENT:
        if on is None or release is known:
            raise UnknownCode(CODE_SET, format(key), f"not a code in {release.name}")
        raise _not_in_force(key, on, release, known, now)
    return _Entry(format(key), state is State.BILLABLE)


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
