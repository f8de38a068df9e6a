"""271 (005010X279A1) → one :class:`EligibilityAnswer` per subscriber or dependent answered.

The hierarchy is information source, the payer (HL 20) → information receiver, us (HL 21) →
subscriber (HL 22) → dependent (HL 23). A person's loop (2100C/D) gives the name and member ID
(NM1), birth date (DMG), plan dates (DTP 346/347, or the ranges of 291/307/356) and AAA rejections;
each EB begins a benefit (2110C/D) that gathers its DTP dates, MSG texts (mined for visit limits,
:mod:`otbill.domain.eligibility_limits`) and the names of its 2120 loop (between LS and LE: other
payers, the primary care provider). AAAs of the payer (2000A/2100A) and receiver (2100B) loops are
kept as ``rejections`` of the whole response.

Every number passes through :mod:`otbill.x12.values` (EB07 money, EB08 percent, EB10 quantity):
a value that is not an R number of at most 18 digits refuses the file with the element named, as a
wrong copay must not reach the front desk. Structure problems are the guide validator's findings
(:func:`otbill.x12.guide_rules.validate`), which the service runs before reading.

Speed (issue 12, ``bench/x12_271_read.py``): segments are read as bare element lists
(:func:`otbill.x12.tokens.read_segment_lists`); a :class:`~otbill.x12.tokens.Segment` is built
only for the envelope and for a value that must be refused with its element named. Each distinct
EB text is read once per file, amounts come from the shared cache of parsed amounts
(:data:`otbill.x12.values.AMOUNTS`), dates and the limits mined from MSG texts from bounded caches
here, so a batch of 10,000 answers repeating the same copays and plan years parses each text once;
the results and every message are those of the plain reading. A :class:`Benefit` (and an
:class:`EligibilityAnswer`) is a named tuple built in one call from its fields, at its EB (rebuilt,
rarely, when its loop adds a date, an MSG or a 2120 name); an EB stating visits gives its limit
there, and an answer is searched for MSG limits and other payers only when its EBs have some.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from otbill.domain.eligibility import (
    Benefit,
    EligibilityAnswer,
    OtherPayer,
    Rejection,
    TherapyLimit,
)
from otbill.domain.eligibility_codes import MEDICARE_ADVANTAGE
from otbill.domain.eligibility_limits import mine
from otbill.x12.envelope import ENVELOPE_IDS, EnvelopeTracker
from otbill.x12.findings import X12Finding
from otbill.x12.tokens import Delimiters, Segment, X12Source, gc_paused, read_segment_lists
from otbill.x12.values import amount_at, parse_d8

__all__ = ["Read271", "read_271"]

_BEGIN = frozenset({"346", "356", "292", "348", "291", "307", "341", "343"})
_END = frozenset({"347", "357", "349", "340", "342"})
_PLAN_DATES = _BEGIN | _END
_LEVELS = {"20": "payer", "21": "provider", "22": "subscriber", "23": "dependent"}
_SPLIT = ENVELOPE_IDS | {"HL"}  # segments that end the person loop being read
_EB_ELEMENTS = 14  # EB01..EB13
_CACHE_SIZE = 4096
_DAYS: dict[str, dt.date] = {}
"""D8 element text → its date, for the dates already read (bounded by clearing)."""
_MINED: dict[tuple[str, tuple[str, ...]], tuple[TherapyLimit, ...]] = {}
"""(MSG text, its EB's service types) → the limits mined from it (bounded by clearing)."""


@dataclass(frozen=True, slots=True)
class Read271:
    answers: list[EligibilityAnswer]
    rejections: list[Rejection]  # of the payer or receiver loops: no person was looked up
    payer_name: str
    findings: list[X12Finding]

    def answer_for(self, trace: str) -> EligibilityAnswer | None:
        """The innermost answer (the dependent's, when there is one) echoing our TRN ``trace``."""
        chosen = [a for a in self.answers if a.trace == trace] or (
            self.answers if not trace else []
        )
        return chosen[-1] if chosen else None


class _Person:
    """A 2000C/D loop being read: its name loop's fields, its EB loops, its AAAs."""

    __slots__ = (
        "benefits",
        "dob",
        "first_name",
        "last_name",
        "level",
        "limits",
        "member_id",
        "messages",
        "others",
        "plan_begin",
        "plan_end",
        "rejections",
        "trace",
    )

    def __init__(self, level: str) -> None:
        self.level = level
        self.trace: str | None = None
        self.member_id = self.first_name = self.last_name = ""
        self.dob: dt.date | None = None
        self.plan_begin: dt.date | None = None
        self.plan_end: dt.date | None = None
        self.benefits: list[Benefit] = []  # the last one rebuilt as its loop's segments come
        self.rejections: list[Rejection] = []
        self.limits: list[TherapyLimit] = []  # of the EBs stating visits (_eb_limit), in order
        # noted as the EB loops are read, so that an answer without any is not searched for them:
        self.messages = False  # an EB loop has an MSG text (mined for visit limits)
        self.others = False  # an EB01 is R: another payer (_other_payers)


def _d8(elements: list[str], n: int, position: int, delimiters: Delimiters) -> dt.date:
    """Element ``n`` (present) as a CCYYMMDD date, as :func:`parse_d8` reads it."""
    text = elements[n]
    day = _DAYS.get(text)
    if day is None:
        day = parse_d8(Segment(position, elements, delimiters), n)
        if len(_DAYS) >= _CACHE_SIZE:
            _DAYS.clear()
        _DAYS[text] = day
    return day


def _dates(
    elements: list[str], position: int, delimiters: Delimiters
) -> tuple[dt.date | None, dt.date | None]:
    """DTP03 as (begin, end): a D8 is one day, an RD8 a range; which end a D8 is depends on DTP01."""
    first = _d8(elements, 3, position, delimiters)
    if len(elements) > 2 and elements[2] == "RD8":
        end_text = elements[3][9:]
        end = parse_d8(Segment(position, [elements[0], "", "", end_text], delimiters), 3)
        return first, end
    return (None, first) if elements[1] in _END else (first, None)


def _eb_fields(e: list[str], position: int, delimiters: Delimiters) -> tuple[Any, ...]:
    """A :class:`Benefit`'s fields read from its EB, from ``code`` to ``procedure``."""
    if len(e) < _EB_ELEMENTS:
        e = e + [""] * (_EB_ELEMENTS - len(e))
    rep = delimiters.repetition
    types = e[3].split(rep) if rep else [e[3]]
    procedure = e[13].split(delimiters.component) if e[13] else ()
    return (
        e[1],
        tuple(s for s in types if s),
        e[2],
        e[4],
        e[5],
        e[6],
        amount_at(e, 7, position) if e[7] else None,
        amount_at(e, 8, position) if e[8] else None,
        e[9],
        amount_at(e, 10, position) if e[10] else None,
        e[11],
        e[12],
        procedure[1] if len(procedure) > 1 else "",
    )


_NO_LOOP = (None, None, (), ())  # a Benefit's begin, end, messages, entities before its loop's
_NEW = tuple.__new__  # _NEW(Benefit, fields): a Benefit from its fields in order, in one C call
_BEGIN_AT, _END_AT, _MESSAGES, _ENTITIES = 14, 15, 16, 17  # indices of a Benefit's fields


def _gives_limit(fields: tuple[Any, ...]) -> bool:
    """True when an EB (its :func:`_eb_fields`) states visits: EB01 F, EB09 VS or 99, an EB10."""
    return fields[0] == "F" and fields[9] is not None and fields[8] in ("VS", "99")


def _eb_limit(benefit: Benefit) -> TherapyLimit:
    """The visit limit of a benefit whose EB :func:`_gives_limit`."""
    quantity = benefit.quantity or Decimal(0)
    qualifier, period = benefit.quantity_qualifier, benefit.period
    kind = "used" if qualifier == "99" else "limit"
    kind = "remaining" if period in ("29", "33") and kind == "limit" else kind
    where = f"EB at segment {benefit.position}"
    visits = int(quantity) if quantity == int(quantity) else 0
    return TherapyLimit(visits, kind, period, benefit.service_types, "EB", where)


def _other_payers(benefits: Iterable[Benefit]) -> list[OtherPayer]:
    found = []
    for b in benefits:
        if b.code != "R":
            continue
        names = [e for e in b.entities if e[0] in ("PRP", "SEP", "TTP", "PR", "GP")]
        name, ident = (names[0][1], names[0][2]) if names else (b.plan or "another payer", "")
        advantage = b.insurance_type in MEDICARE_ADVANTAGE or "ADVANTAGE" in b.plan.upper()
        found.append(OtherPayer(name, b.insurance_type, ident, b.plan, advantage))
    return found


def _mined(text: str, service_types: tuple[str, ...]) -> tuple[TherapyLimit, ...]:
    """:func:`mine` of an MSG text, once per text and service types (a batch repeats them)."""
    key = (text, service_types)
    found = _MINED.get(key)
    if found is None:
        found = tuple(mine(text, service_types))
        if len(_MINED) >= _CACHE_SIZE:
            _MINED.clear()
        _MINED[key] = found
    return found


def _freeze(person: _Person, payer: str) -> EligibilityAnswer:
    benefits = tuple(person.benefits)
    limits = person.limits
    if person.messages:
        limits += [
            m for b in benefits for text in b.messages for m in _mined(text, b.service_types)
        ]
    others = tuple(_other_payers(benefits)) if person.others else ()
    return EligibilityAnswer(
        trace=person.trace or "",
        payer_name=payer,
        member_id=person.member_id,
        first_name=person.first_name,
        last_name=person.last_name,
        dob=person.dob,
        dependent=person.level == "dependent",
        plan_begin=person.plan_begin,
        plan_end=person.plan_end,
        benefits=benefits,
        rejections=tuple(person.rejections),
        other_payers=others,
        limits=tuple(limits),
    )


def _person_segment(e: list[str], position: int, person: _Person, delimiters: Delimiters) -> None:
    sid, size = e[0], len(e)
    if sid == "TRN":
        if (size > 1 and e[1] == "2") or person.trace is None:
            person.trace = e[2] if size > 2 else ""
    elif sid == "NM1":
        if size > 1 and e[1] in ("IL", "03"):
            person.last_name = e[3] if size > 3 else ""
            person.first_name = e[4] if size > 4 else ""
            person.member_id = e[9] if size > 9 else ""
    elif sid == "DMG":
        if size > 2 and e[2]:
            person.dob = _d8(e, 2, position, delimiters)
    elif sid == "DTP":
        if size > 3 and e[3] and e[1] in _PLAN_DATES:
            begin, end = _dates(e, position, delimiters)
            if begin is not None and person.plan_begin is None:
                person.plan_begin = begin
            if end is not None and person.plan_end is None:
                person.plan_end = end
    elif sid == "AAA":
        person.rejections.append(_rejection(person.level, e, position))


def _rejection(level: str, e: list[str], position: int) -> Rejection:
    size = len(e)
    return Rejection(level, e[3] if size > 3 else "", e[4] if size > 4 else "", position)


def _benefit_segment(
    e: list[str], position: int, person: _Person, in_2120: bool, delimiters: Delimiters
) -> None:
    """A segment of the EB loop being read: its benefit (the last) rebuilt with what it adds."""
    sid, size = e[0], len(e)
    benefits = person.benefits
    fields: list[Any] = list(benefits[-1])
    if sid == "MSG":
        if not (size > 1 and e[1]):
            return
        fields[_MESSAGES] += (e[1],)
        person.messages = True
    elif sid == "NM1":
        if not in_2120:
            return
        el = e + [""] * (10 - size) if size < 10 else e
        name = " ".join(p for p in (el[4], el[3]) if p)
        fields[_ENTITIES] += ((el[1], name, el[9]),)
    elif sid == "DTP":
        if not (size > 3 and e[3]):
            return
        begin, end = _dates(e, position, delimiters)
        fields[_BEGIN_AT] = begin or fields[_BEGIN_AT]
        fields[_END_AT] = end or fields[_END_AT]
    else:
        if sid == "AAA":
            person.rejections.append(_rejection("benefit", e, position))
        return
    benefits[-1] = _NEW(Benefit, fields)


def read_271(source: X12Source) -> Read271:
    """Every answer in a 271 file; raises X12Error naming the element of a number or date it
    cannot read, or ST01 when the file is not a 271."""
    findings: list[X12Finding] = []
    tracker = EnvelopeTracker(expected_set="271", findings=findings)
    answers: list[EligibilityAnswer] = []
    top: list[Rejection] = []
    payer = ""
    level, person, in_2120 = "", None, False
    benefits: list[Benefit] = []  # of the person being read
    position = 0
    last: list[str] | None = None
    delimiters = Delimiters()
    # an EB's text → its Benefit's fields after the position (with _NO_LOOP), whether it states
    # visits, whether EB01 is R: read once per file (a batch repeats the same EBs)
    ebs: dict[tuple[str, ...], tuple[tuple[Any, ...], bool, bool]] = {}
    with gc_paused():
        for delimiters, batch in read_segment_lists(source):
            first = position + 1  # positions run on across the chunks read
            for position, e in enumerate(batch, first):
                sid = e[0]
                if sid == "EB" and person is not None:
                    key = tuple(e)
                    known = ebs.get(key)
                    if known is None:
                        fields = _eb_fields(e, position, delimiters)
                        known = fields + _NO_LOOP, _gives_limit(fields), fields[0] == "R"
                        if len(ebs) >= _CACHE_SIZE:
                            ebs.clear()
                        ebs[key] = known
                    benefit: Benefit = _NEW(Benefit, (position, *known[0]))
                    benefits.append(benefit)
                    if known[1]:
                        person.limits.append(_eb_limit(benefit))
                    if known[2]:
                        person.others = True
                    in_2120 = False
                elif sid in _SPLIT:
                    if person is not None:
                        answers.append(_freeze(person, payer))
                    person, in_2120 = None, False
                    if sid == "HL":
                        level = _LEVELS.get(e[3] if len(e) > 3 else "", "")
                        if level in ("subscriber", "dependent"):
                            person = _Person(level)
                            benefits = person.benefits
                    else:
                        tracker.feed(Segment(position, e, delimiters))
                elif person is None:
                    if sid == "NM1" and level == "payer":
                        payer = e[3] if len(e) > 3 else ""
                    elif sid == "AAA":
                        top.append(_rejection(level or "payer", e, position))
                elif sid == "LS" or sid == "LE":
                    in_2120 = sid == "LS"
                elif benefits:
                    _benefit_segment(e, position, person, in_2120, delimiters)
                else:
                    _person_segment(e, position, person, delimiters)
            last = batch[-1] if batch else last
    tracker.finish(Segment(position, last, delimiters) if last is not None else None)
    answers = [a if a.payer_name == payer else _with_payer(a, payer) for a in answers]
    return Read271(answers, top, payer, findings)


def _with_payer(answer: EligibilityAnswer, payer: str) -> EligibilityAnswer:
    """The answer under the file's payer (the last 2100A name read, as for every answer)."""
    return answer._replace(payer_name=payer)
