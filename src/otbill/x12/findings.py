"""What an X12 reader or writer reports: findings for data problems, one exception for broken files.

Readers follow the scrubber's rule (ARCHITECTURE.md): a problem in the data is a *finding* that
names where it is — segment position (1-based, counted from the first segment of the file), segment
ID and element (``CLP04``) — and says what was expected; reading goes on. Only a file that cannot be
read at all (not X12, a truncated ISA, an amount that is not a number where money must be) raises
:class:`X12Error`, which names the same things. A caller that posts money must refuse a file whose
findings include an error: "a malformed file never posts anything".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from otbill.errors import OtbillError

__all__ = ["Severity", "X12Error", "X12Finding", "has_errors"]

Severity = Literal["error", "warning"]


def _where(position: int | None, segment_id: str, element: str | None) -> str:
    parts = []
    if position is not None:
        parts.append(f"segment {position}")
    if segment_id:
        parts.append(segment_id)
    if element:
        parts.append(element)
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class X12Finding:
    """One problem found in a file, located by segment position, segment ID and element."""

    severity: Severity
    position: int | None
    segment_id: str
    element: str | None
    message: str

    def __str__(self) -> str:
        where = _where(self.position, self.segment_id, self.element)
        return f"{where}: {self.message}" if where else self.message

    def as_json(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "position": self.position,
            "segment": self.segment_id,
            "element": self.element,
            "message": self.message,
        }


class X12Error(OtbillError):
    """A file (or a claim to write) that cannot be processed; names where, and what was expected."""

    def __init__(
        self,
        message: str,
        *,
        position: int | None = None,
        segment_id: str = "",
        element: str | None = None,
    ) -> None:
        self.position = position
        self.segment_id = segment_id
        self.element = element
        self.reason = message
        where = _where(position, segment_id, element)
        super().__init__(f"{where}: {message}" if where else message)


def has_errors(findings: list[X12Finding]) -> bool:
    """True when any finding is an error: the file must not be posted."""
    return any(f.severity == "error" for f in findings)
