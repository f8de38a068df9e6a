"""What the code-set modules share: reading the dated CSV tables in ``codes/data/`` and the
"in force on a date of service" test. Rows name their source and dates; a broken file is a
configuration error naming the file and line, never a finding."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from importlib import resources

from otbill.errors import ConfigError, MalformedCode

__all__ = ["PlainWords", "in_force", "parse_date", "read_rows"]


def parse_date(text: str) -> dt.date | None:
    """ISO date, or None for an empty cell (no known limit on that side)."""
    return dt.date.fromisoformat(text) if text else None


def in_force(start: dt.date | None, end: dt.date | None, on: dt.date) -> bool:
    """Whether a row dated ``start``..``end`` (both inclusive, None = open) applies on ``on``."""
    return (start is None or start <= on) and (end is None or on <= end)


def read_rows(name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of ``codes/data/<name>``, skipping ``#`` comment lines."""
    text = (resources.files("otbill.codes") / "data" / name).read_text(encoding="utf-8")
    numbered = [
        (n, line)
        for n, line in enumerate(text.splitlines(), 1)
        if line and not line.startswith("#")
    ]
    if not numbered:
        raise ConfigError(f"{name}: empty table")
    reader = csv.DictReader(line for _, line in numbered)
    for (number, _), row in zip(numbered[1:], reader, strict=True):
        if None in row or None in row.values():
            raise ConfigError(f"{name} line {number}: wrong number of columns")
        yield number, row


class PlainWords:
    """A code list described in our own plain words, for lists far longer than the table (CARC,
    RARC): a well-formed code outside the table is described generically, never refused."""

    def __init__(
        self, code_set: str, shape: str, rule: str, meanings: dict[str, str], unknown: str
    ) -> None:
        self.code_set = code_set
        self._shape = re.compile(shape)
        self._rule = rule  # what a well-formed code looks like, for the error message
        self._meanings = meanings
        self._unknown = unknown  # "Reason code {code}: ..."

    @staticmethod
    def compact(value: str) -> str:
        return "".join(value.split()).upper()

    def validate(self, value: str) -> str:
        """The compact code, or :class:`MalformedCode` when it is not shaped like one."""
        code = self.compact(value)
        if not self._shape.fullmatch(code):
            raise MalformedCode(self.code_set, value, self._rule)
        return code

    def is_valid(self, value: str) -> bool:
        try:
            self.validate(value)
        except MalformedCode:
            return False
        return True

    def is_known(self, value: str) -> bool:
        return self.compact(value) in self._meanings

    def describe(self, value: str) -> str:
        code = self.compact(value)
        return self._meanings.get(code, self._unknown.format(code=code))
