"""What the 270, 276 and 278 writers share: the envelope of a real-time question, the checked text
of an element, dates as D8, and the person's NM1 and DMG segments.

Each writer keeps its own limits table and error prefix (the transaction set number) and passes
them in, so every message still names the transaction it comes from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from otbill import clock
from otbill.domain.eligibility import Person
from otbill.x12.envelope import InterchangeSettings
from otbill.x12.findings import X12Error
from otbill.x12.tokens import Delimiters

__all__ = [
    "RELATIONSHIP_INS02",
    "CheckedText",
    "Elements",
    "QuestionEnvelope",
    "d8",
    "demographics",
    "interchange_settings",
    "person_name",
]

Elements = list[str]
# INS02, the patient's relationship to the subscriber, for a dependent loop.
RELATIONSHIP_INS02 = {"spouse": "01", "child": "19", "other": "G8"}


@dataclass(frozen=True, slots=True)
class QuestionEnvelope:
    """Who sends to whom (ISA/GS) and the control number of this interchange."""

    sender_id: str = "OTBILL"
    receiver_id: str = "CLEARINGHOUSE"
    control_number: int = 1
    usage: str = "P"
    created: dt.datetime = field(default_factory=clock.now)
    delimiters: Delimiters = field(default_factory=Delimiters)


def interchange_settings(
    env: QuestionEnvelope, functional_code: str, version: str
) -> InterchangeSettings:
    """The ISA/GS settings of ``env`` for one transaction set (GS01 ``functional_code``)."""
    return InterchangeSettings(
        sender_id=env.sender_id,
        receiver_id=env.receiver_id,
        functional_code=functional_code,
        version=version,
        control_number=env.control_number,
        usage=env.usage,
        created=env.created,
        delimiters=env.delimiters,
    )


def d8(day: dt.date) -> str:
    """``day`` as a D8 date (CCYYMMDD)."""
    return day.strftime("%Y%m%d")


@dataclass(frozen=True, slots=True)
class CheckedText:
    """The text of an element, spaces collapsed and upper-cased, refused (X12Error starting with
    ``prefix``) when empty but required, longer than its limit (``limits`` by what it is, 60 when
    not listed) or holding one of the file's separators."""

    prefix: str
    limits: Mapping[str, int]

    def __call__(self, what: str, value: str, d: Delimiters, *, required: bool = True) -> str:
        value = " ".join(value.split()).upper()
        limit = self.limits.get(what, 60)
        if required and not value:
            raise X12Error(f"{self.prefix}: the {what} is empty")
        if len(value) > limit:
            raise X12Error(f"{self.prefix}: the {what} {value[:20]!r}… is over {limit} characters")
        bad = {d.element, d.component, d.segment, d.repetition or ""} & set(value)
        if bad:
            raise X12Error(
                f"{self.prefix}: the {what} {value!r} contains the X12 separator {''.join(bad)!r}"
            )
        return value


def person_name(
    who: Person, code: str, ids: list[str], text: CheckedText, d: Delimiters
) -> Elements:
    """The NM1 of a person (NM101 ``code``, NM102 1), ``ids`` as NM108/NM109 when given."""
    last = text("name", who.last_name, d)
    first = text("first name", who.first_name, d, required=False)
    return ["NM1", code, "1", last, first, "", "", "", *ids]


def demographics(who: Person) -> list[Elements]:
    """The DMG of a person with a birth date (and sex when F, M or U); none without one."""
    if who.dob is None:
        return []
    return [["DMG", "D8", d8(who.dob)] + ([who.sex] if who.sex in ("F", "M", "U") else [])]
