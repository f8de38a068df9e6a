"""The simulated payer's 271 bodies: an answer per scenario, as 005010X279A1 segments.

What to say is decided in :mod:`otbill.clearinghouse.simulator.eligibility`; this module only lays
the segments out (payer, receiver, subscriber, dependent loops; an EB loop per benefit, MSG texts,
2120 names between LS and LE) so that every answer passes the guide's table
(:mod:`otbill.x12.guide_rules`, checked by the simulator's tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from otbill.domain.eligibility import Inquiry, Person

__all__ = ["Answer", "EbLine", "body_271"]

Body = list[list[str]]


@dataclass(frozen=True, slots=True)
class EbLine:
    """One EB loop: its 13 elements as text (empties trailing), MSG texts, a 2120 name."""

    elements: tuple[str, ...]
    messages: tuple[str, ...] = ()
    related: tuple[str, str, str] | None = None  # (NM101, name, payer id) in a 2120 loop


@dataclass(frozen=True, slots=True)
class Answer:
    """What the payer says about the person asked for."""

    plan_begin: dt.date | None
    plan_end: dt.date | None
    benefits: Sequence[EbLine] = ()
    rejection: tuple[str, str] | None = None  # AAA03, AAA04 in the person's name loop


def _d8(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _person(code: str, who: Person, member_id: str) -> Body:
    name = ["NM1", code, "1", who.last_name.upper(), who.first_name.upper()]
    body = [name + (["", "", "", "MI", member_id] if member_id else [])]
    return body


def _details(who: Person, answer: Answer) -> Body:
    body: Body = []
    if answer.rejection is not None:
        body.append(["AAA", "N", "", *answer.rejection])
    if who.dob is not None:
        body.append(["DMG", "D8", _d8(who.dob), who.sex if who.sex in "FMU" else "U"])
    if answer.rejection is not None:
        return body
    if answer.plan_begin is not None:
        body.append(["DTP", "346", "D8", _d8(answer.plan_begin)])
    if answer.plan_end is not None:
        body.append(["DTP", "347", "D8", _d8(answer.plan_end)])
    for eb in answer.benefits:
        body.append(["EB", *eb.elements])
        body += [["MSG", text] for text in eb.messages]
        if eb.related is not None:
            code, name, ident = eb.related
            body += [["LS", "2120"], ["NM1", code, "2", name, "", "", "", "", "PI", ident],
                     ["LE", "2120"]]  # fmt: skip
    return body


def body_271(inquiry: Inquiry, answer: Answer, on: dt.datetime) -> Body:
    """The segments between ST and SE answering ``inquiry``."""
    dependent = inquiry.dependent if inquiry.relationship != "self" else None
    body: Body = [
        ["BHT", "0022", "11", inquiry.trace or "0", _d8(on.date()), on.strftime("%H%M")],
        ["HL", "1", "", "20", "1"],
        ["NM1", "PR", "2", inquiry.payer_name.upper() or "SIMULATED PAYER", "", "", "", "", "PI",
         inquiry.payer_id or "00000"],
        ["HL", "2", "1", "21", "1"],
        ["NM1", "1P", "2", inquiry.provider_name.upper() or "PROVIDER", "", "", "", "", "XX",
         inquiry.provider_npi],
        ["HL", "3", "2", "22", "1" if dependent else "0"],
    ]  # fmt: skip
    trace = ["TRN", "2", inquiry.trace, inquiry.originator] if inquiry.trace else None
    if dependent is None:
        body += [trace] if trace else []
        body += _person("IL", inquiry.subscriber, inquiry.member_id)
        return body + _details(inquiry.subscriber, answer)
    body += _person("IL", inquiry.subscriber, inquiry.member_id)
    body += [["HL", "4", "3", "23", "0"]] + ([trace] if trace else [])
    body += _person("03", dependent, "")
    return body + _details(dependent, answer)
