"""Facts shared by the diagnosis rules: one cached ICD-10-CM verdict per code."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import NamedTuple

from otbill.codes import icd10cm
from otbill.errors import CodeError, NotBillable, UnknownCode
from otbill.rules import wording

__all__ = ["Verdict", "release_note", "verdict"]

_EXAMPLE = re.compile(r"for example ([0-9A-Z.]+)")


class Verdict(NamedTuple):
    """Why a diagnosis cannot be billed: ``header`` (NotBillable) or not; ``example`` a leaf.

    ``by_release`` is True when the answer depends on the code list (unknown or header code),
    False when the shape or the date alone decides.
    """

    header: bool
    reason: str
    example: str | None = None
    by_release: bool = True


def verdict(code: str, on: dt.date) -> Verdict | None:
    """None when ``code`` may be billed on ``on``; else why not (ICD-10-CM list loads once)."""
    # The release in force on the date decides (M54.5 is billable in FY2021, a header from FY2022).
    return _verdict(code, on)


@functools.lru_cache(maxsize=16384)
def _verdict(code: str, on: dt.date | None) -> Verdict | None:
    try:
        icd10cm.validate(code, on)
    except NotBillable as exc:
        match = _EXAMPLE.search(exc.reason)
        return Verdict(True, exc.reason, match.group(1) if match else None)
    except UnknownCode as exc:
        return Verdict(False, exc.reason)
    except CodeError as exc:
        return Verdict(False, exc.reason, by_release=False)
    return None


def release_note(problem: Verdict, on: dt.date) -> str:
    """A short note when the code list used is not the release of the date of service."""
    match = icd10cm.release_for(on)
    if match.exact or not problem.by_release:
        return ""
    if match.release.name in problem.reason:
        return f" (the nearest release to the date of service {wording.day(on)})"
    return f" (checked against {match.release.name}, the nearest release to {wording.day(on)})"
