"""Visit documentation templates and their completeness check (Pub 100-02, ch. 15, §220.3).

Five templates — evaluation, re-evaluation, daily treatment note, progress report, discharge
summary — each requiring the elements Medicare reviewers look for. Minutes are not typed into the
note: its interventions are the visit's service lines (code and minutes), so the note's total timed
minutes and the billed units come from the same numbers. A signed note is locked; later changes are
dated amendments laid over the original, which is never rewritten.

>>> note = VisitNote(NoteType.DAILY, NoteText(total_treatment_minutes=40),
...                  (Intervention("97530", 30, True),))
>>> note.missing()
['response_to_treatment', 'signature']
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from otbill.domain.claim import Documentation

__all__ = [
    "ELEMENTS",
    "REQUIRED",
    "TEXT_FIELDS",
    "Amendment",
    "Intervention",
    "NoteText",
    "NoteType",
    "Signature",
    "VisitNote",
]


class NoteType(enum.StrEnum):
    EVALUATION = "evaluation"
    REEVALUATION = "re-evaluation"
    DAILY = "daily"
    PROGRESS = "progress"
    DISCHARGE = "discharge"


#: Every element a template can require, in the order they are reported.
ELEMENTS = (
    "current_status", "goals", "interventions", "minutes_per_timed_code", "total_timed_minutes",
    "total_treatment_minutes", "response_to_treatment", "medical_necessity", "signature",
)  # fmt: skip
_TREATMENT = (
    "interventions",
    "minutes_per_timed_code",
    "total_timed_minutes",
    "total_treatment_minutes",
)
REQUIRED: dict[NoteType, tuple[str, ...]] = {
    NoteType.EVALUATION: (
        "current_status",
        "goals",
        "medical_necessity",
        "total_treatment_minutes",
        "signature",
    ),
    NoteType.REEVALUATION: (
        "current_status",
        "goals",
        "response_to_treatment",
        "medical_necessity",
        "total_treatment_minutes",
        "signature",
    ),
    NoteType.DAILY: (*_TREATMENT, "response_to_treatment", "signature"),
    NoteType.PROGRESS: (
        "current_status",
        "goals",
        "response_to_treatment",
        "medical_necessity",
        "total_treatment_minutes",
        "signature",
    ),
    NoteType.DISCHARGE: ("current_status", "goals", "response_to_treatment", "signature"),
}
#: The free-text (and the one number) the therapist types; amendments may change only these.
TEXT_FIELDS = (
    "current_status",
    "goals",
    "response_to_treatment",
    "medical_necessity",
    "total_treatment_minutes",
)


@dataclass(frozen=True, slots=True)
class Intervention:
    """One service line of the visit: the code, its minutes, and whether the code is timed."""

    code: str
    minutes: int
    timed: bool
    evaluation: bool = False


@dataclass(frozen=True, slots=True)
class NoteText:
    current_status: str | None = None
    goals: str | None = None
    response_to_treatment: str | None = None
    medical_necessity: str | None = None
    total_treatment_minutes: int | None = None  # timed + untimed, excluding rest

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> NoteText:
        unknown = set(data) - set(TEXT_FIELDS)
        if unknown:
            raise ValueError(f"unknown note field(s): {', '.join(sorted(unknown))}")
        return cls(**dict(data))

    def as_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in TEXT_FIELDS}


@dataclass(frozen=True, slots=True)
class Signature:
    name: str
    credential: str  # OTR/L or COTA
    signed_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Amendment:
    at: dt.datetime
    by: int
    changes: Mapping[str, Any]
    reason: str


@dataclass(frozen=True, slots=True)
class VisitNote:
    note_type: NoteType
    text: NoteText
    interventions: tuple[Intervention, ...] = ()
    signature: Signature | None = None
    amendments: tuple[Amendment, ...] = ()

    @property
    def signed(self) -> bool:
        return self.signature is not None

    @property
    def effective_text(self) -> NoteText:
        """The original text with the amendments applied in order (the original is kept)."""
        text = self.text
        for amendment in self.amendments:
            text = dataclasses.replace(text, **dict(amendment.changes))
        return text

    @property
    def total_timed_minutes(self) -> int:
        return sum(i.minutes for i in self.interventions if i.timed)

    @property
    def bills_treatment(self) -> bool:
        return any(not i.evaluation for i in self.interventions)

    def required(self) -> tuple[str, ...]:
        needed = set(REQUIRED[self.note_type])
        if self.bills_treatment:
            needed.update(_TREATMENT)
        if not any(i.timed for i in self.interventions):
            needed -= {"minutes_per_timed_code", "total_timed_minutes"}
        return tuple(e for e in ELEMENTS if e in needed)

    def missing(self) -> list[str]:
        """The required elements this note lacks, by name (empty: complete)."""
        return [e for e in self.required() if not self._has(e)]

    def _has(self, element: str) -> bool:
        text = self.effective_text
        if element == "signature":
            return self.signed
        if element == "interventions":
            return bool(self.interventions)
        if element == "minutes_per_timed_code":
            return all(i.minutes > 0 for i in self.interventions if i.timed)
        if element == "total_timed_minutes":
            return self.total_timed_minutes > 0
        if element == "total_treatment_minutes":
            total = text.total_treatment_minutes
            return total is not None and total >= self.total_timed_minutes and total > 0
        value = getattr(text, element)
        return bool(value and str(value).strip())

    def documentation(self) -> Documentation:
        """What the scrubber reads from this note (``otbill.domain.claim.Documentation``)."""
        return Documentation(
            note_type=self.note_type.value,
            signed=self.signed,
            current_status=self._has("current_status"),
            goals=self._has("goals"),
            interventions=self._has("interventions"),
            medical_necessity=self._has("medical_necessity"),
            total_timed_minutes=self.total_timed_minutes
            if any(i.timed for i in self.interventions)
            else None,
            total_treatment_minutes=self.effective_text.total_treatment_minutes,
        )
