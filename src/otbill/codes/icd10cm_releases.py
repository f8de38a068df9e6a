"""The ICD-10-CM releases otbill checks against, and which one applies to a date of service.

ICD-10-CM releases take effect on 1 October (the fiscal year), some with 1 January or 1 April
updates. :data:`RELEASES` lists those otbill ships, oldest first; the last is :data:`RELEASE`, the
full list (see :mod:`otbill.codes.icd10cm`); the older ones are shipped as their differences from
it (:mod:`otbill.codes._icd10cm_history`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["RELEASE", "RELEASES", "Release", "ReleaseMatch", "neighbours", "release_for"]


@dataclass(frozen=True)
class Release:
    """One ICD-10-CM release: what it is, when it applies, where it came from."""

    name: str
    fiscal_year: int
    effective_from: dt.date
    effective_to: dt.date
    source: str
    package: str
    id: str = "current"  # the release column of data/icd10cm_history.csv for older releases


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
    name="ICD-10-CM FY2026 (and its April 1, 2026 update)",
    fiscal_year=2026,
    # the October 1, 2025 release has the same billable codes (CDC's icd10cm-order-2026.txt,
    # compared code by code), so this list also answers for 2025-10-01 to 2026-03-31
    effective_from=dt.date(2025, 10, 1),
    effective_to=dt.date(2026, 9, 30),
    source=(
        "CDC/NCHS ICD-10-CM files (https://www.cdc.gov/nchs/icd/icd-10-cm/files.html): "
        "icd10cm-tabular-April-1-2026.xml and code list, as shipped in simple-icd-10-cm 1.5.0 "
        "(code-list-April-2026.txt)"
    ),
    package="simple-icd-10-cm==1.5.0",
)
_CDC = "CDC/NCHS ICD-10-CM files (https://www.cdc.gov/nchs/icd/icd-10-cm/files.html): "
_ICD_DATA = "as parsed by the R package icd.data 1.1.2 (GitHub jackwasey/icd.data, commit 2909106)"
_MEDICALCODER = "as kept in GitHub dewittpe/medicalcoder (commit 4e48bdc), data-raw/icd/icd10"


def _release(rid: str, name: str, to: dt.date, source: str, package: str) -> Release:
    """An older release: ``rid`` is the year and month it took effect (``2021-10``)."""
    start = dt.date(int(rid[:4]), int(rid[5:]), 1)
    fiscal_year = start.year + (start.month >= 10)
    return Release(name, fiscal_year, start, to, _CDC + source, package, rid)


_CDC_FILE = "none (CDC file read at build time only)"
_DERIVED = "none (DERIVED at build time from a CDC order file and CDC addenda)"

#: Every release otbill checks against, oldest first; the last one is :data:`RELEASE`. The older
#: ones are shipped as their differences from it (data/icd10cm_history.csv, built by
#: scripts/build_icd10cm_history.py, which names each file; data/SOURCES.md says how each was
#: checked). Only the April 1, 2020 update (U07.0, U07.1) is missing: dates of service from
#: 2020-04-01 to 2020-09-30 are checked against the neighbouring releases (see the module).
RELEASES = (
    *(
        _release(
            f"{fy - 1}-10",
            f"ICD-10-CM FY{fy}",
            dt.date(fy, 9, 30),
            f"icd10cm_order_{fy}.txt (CMS) {_ICD_DATA}",
            f"icd.data 1.1.2 data/icd10cm{fy}.RData (its code table only)",
        )
        for fy in (2016, 2017, 2018, 2019)
    ),
    _release(
        "2019-10",
        "ICD-10-CM FY2020",
        dt.date(2020, 3, 31),
        f"FY2019 order file plus CDC's icd10cm_order_addenda_2020.txt {_MEDICALCODER}",
        _DERIVED,
    ),
    _release(
        "2020-10",
        "ICD-10-CM FY2021",
        dt.date(2020, 12, 31),
        f"FY2020 plus CDC's icd10cm_order_addenda_2021.txt {_MEDICALCODER}",
        _DERIVED,
    ),
    _release(
        "2021-01",
        "ICD-10-CM FY2021, January 1, 2021 update",
        dt.date(2021, 9, 30),
        "icd10cm-order-Jan-2021.txt, as shipped in simple-icd-10-cm 1.0.5",
        "simple-icd-10-cm==1.0.5 (its code file only)",
    ),
    _release(
        "2021-10",
        "ICD-10-CM FY2022",
        dt.date(2022, 3, 31),
        f"icd10cm-order-2022.txt (2022/Code Descriptions zip.zip) {_MEDICALCODER}",
        _CDC_FILE,
    ),
    _release(
        "2022-04",
        "ICD-10-CM FY2022, April 1, 2022 update",
        dt.date(2022, 9, 30),
        f"icd10cm-order-2022.txt plus CDC's April 2022 order addenda {_MEDICALCODER}",
        _DERIVED,
    ),
    _release(
        "2022-10",
        "ICD-10-CM FY2023",
        dt.date(2023, 3, 31),
        f"icd10cm-order-2023.txt (2023/icd10-Order-CodeFiles2023.zip) {_MEDICALCODER}",
        _CDC_FILE,
    ),
    _release(
        "2023-04",
        "ICD-10-CM FY2023, April 1, 2023 update",
        dt.date(2023, 9, 30),
        f"icd10cm-order-2024.txt less CDC's icd10cm-order-addenda-2024.txt {_MEDICALCODER}",
        _DERIVED,
    ),
    # The April 2024 and April 2025 order files are byte for byte the October ones, so these
    # two releases cover their whole fiscal year.
    _release(
        "2023-10",
        "ICD-10-CM FY2024 (and its April 1, 2024 update)",
        dt.date(2024, 9, 30),
        f"icd10cm-order-2024.txt (2024/icd10cm-CodesDescriptions-2024.zip) {_MEDICALCODER}",
        _CDC_FILE,
    ),
    _release(
        "2024-10",
        "ICD-10-CM FY2025 (and its April 1, 2025 update)",
        dt.date(2025, 9, 30),
        f"icd10cm-order-2025.txt (2025/ICD10-CM Code Descriptions 2025.zip) {_MEDICALCODER}",
        _CDC_FILE,
    ),
    RELEASE,
)


def neighbours(on: dt.date) -> tuple[Release | None, Release | None]:
    """The latest release ending before ``on`` and the earliest starting after it."""
    before = [r for r in RELEASES if r.effective_to < on]
    after = [r for r in RELEASES if r.effective_from > on]
    return (before[-1] if before else None), (after[0] if after else None)


def release_for(on: dt.date | None) -> ReleaseMatch:
    """Say which release a check for ``on`` used, so a UI can warn about a nearest-release check."""
    if on is None:
        return ReleaseMatch(RELEASE, on, True, f"checked against {RELEASE.name}")
    for release in RELEASES:
        if release.effective_from <= on <= release.effective_to:
            return ReleaseMatch(release, on, True, f"checked against {release.name}")
    before, after = neighbours(on)
    nearest = after if before is None else before if after is None else None
    if nearest is None:
        assert before is not None and after is not None
        nearest = before if on - before.effective_to <= after.effective_from - on else after
        between = f"between {before.name} and {after.name}, which otbill ships"
    else:
        side = "before" if on < nearest.effective_from else "after"
        between = f"{side} the window of {nearest.name}"
    note = (
        f"date of service {on.isoformat()} is {between} "
        f"({nearest.effective_from.isoformat()} to {nearest.effective_to.isoformat()}); "
        "checked against the nearest release available"
    )
    return ReleaseMatch(nearest, on, False, note)
