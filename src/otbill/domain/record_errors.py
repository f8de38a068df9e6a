"""Errors about billing records: what a caller did that the records refuse, named precisely.

Why a separate tree under :class:`otbill.errors.OtbillError`: the CLI and web layers turn these
into one-line messages (exit status 2, HTTP 4xx) without knowing SQL; storage translates database
constraint failures into :class:`ConstraintViolation` naming the table and columns.

    RecordError
    ├── NotFound               no such record in this clinic (records of other clinics are invisible)
    ├── ConstraintViolation    the database refused a write (unique, foreign key, check)
    ├── IllegalTransition      a claim status change the lifecycle does not allow
    ├── PermissionDenied       the user lacks the role, or separation of duties forbids the step
    ├── NoteLocked             a signed note cannot be edited; amend it instead
    ├── IncompleteNote         signing a note that lacks required elements
    ├── StaleRecord            someone else changed the record first (optimistic lock)
    └── LedgerInvariantBroken  balances no longer equal charges − payments − adjustments (a bug)
"""

from __future__ import annotations

from otbill.errors import OtbillError

__all__ = [
    "ConstraintViolation",
    "IllegalTransition",
    "IncompleteNote",
    "LedgerInvariantBroken",
    "NotFound",
    "NoteLocked",
    "PermissionDenied",
    "RecordError",
    "StaleRecord",
]


class RecordError(OtbillError):
    """A change the billing records refuse; the message names the record."""


class NotFound(RecordError):
    def __init__(self, kind: str, key: object) -> None:
        self.kind, self.key = kind, key
        super().__init__(f"{kind} {key}: not found in this clinic")


class ConstraintViolation(RecordError):
    """The database refused a write; ``table`` and ``constraint`` say which rule it broke."""

    def __init__(self, table: str, constraint: str, detail: str) -> None:
        self.table, self.constraint, self.detail = table, constraint, detail
        super().__init__(f"{table}: {detail} ({constraint})")


class IllegalTransition(RecordError):
    def __init__(
        self,
        record: str,
        current: str,
        target: str,
        allowed: tuple[str, ...],
        why: str | None = None,  # plain words instead of the list of moves, e.g. "already ..."
    ) -> None:
        self.record, self.current, self.target = record, current, target
        choices = ", ".join(allowed) or "none (final state)"
        reason = why or f"cannot go from {current} to {target}; allowed: {choices}"
        super().__init__(f"{record}: {reason}")


class PermissionDenied(RecordError):
    """The user may not do this: missing role, or the separation-of-duties rule."""


class NoteLocked(RecordError):
    """The note is signed: changes are added as dated amendments, never overwrites."""


class IncompleteNote(RecordError):
    def __init__(self, record: str, missing: tuple[str, ...]) -> None:
        self.record, self.missing = record, missing
        super().__init__(f"{record}: cannot sign, missing {', '.join(missing)}")


class StaleRecord(RecordError):
    """Another user changed the record between our read and our write; reload and retry."""


class LedgerInvariantBroken(RecordError):
    """The ledger's balances disagree with its postings: a bug, so the transaction rolls back."""
