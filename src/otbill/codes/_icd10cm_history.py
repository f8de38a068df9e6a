"""Which ICD-10-CM codes were billable under the older releases otbill ships.

ICD-10-CM changes every 1 October (the fiscal year's release) and sometimes on 1 January or
1 April: codes are added, deleted, or split into more specific codes (FY2022 split M54.5 "Low back
pain" into M54.50, M54.51 and M54.59, so M54.5 is billable for a date of service in FY2021 and a
header from 1 October 2021). HIPAA requires the code set in force on the date of service
(45 CFR 162.1002(c)(2)).

The current release is the full list (the store). For each older release otbill ships only how
it differs from the current one, in ``data/icd10cm_history.csv`` (``release,change,code``):
``added_later`` (billable now, not then) and ``billable_then`` (billable then, not now). The file
is derived from CDC/NCHS code files by ``scripts/build_icd10cm_history.py``, which names them.
"""

from __future__ import annotations

import csv
import enum
import functools
from importlib import resources

__all__ = ["Changes", "State", "changes"]


class State(enum.Enum):
    BILLABLE = "billable"
    HEADER = "header"  # a category or subcategory with more specific codes below it
    ABSENT = "absent"


class Changes:
    """How one older release differs from the current one."""

    def __init__(self, added_later: frozenset[str], billable_then: frozenset[str]) -> None:
        self.added_later = added_later
        self.billable_then = billable_then

    def state(self, key: str, now: State) -> State:
        """The undotted code's state in the older release, given its state now."""
        if key in self.billable_then:
            return State.BILLABLE
        if key in self.added_later:
            return State.ABSENT  # billable now, not then: most such codes did not exist yet
        return now


@functools.cache
def changes() -> dict[str, Changes]:
    """Release id -> its differences from the current release (read once)."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    text = resources.files("otbill.codes").joinpath("data/icd10cm_history.csv").read_text("ascii")
    for row in csv.DictReader(text.splitlines()):
        added, then = found.setdefault(row["release"], (set(), set()))
        (added if row["change"] == "added_later" else then).add(row["code"])
    return {r: Changes(frozenset(a), frozenset(b)) for r, (a, b) in found.items()}
