"""276 claim status request (005010X212) → one :class:`ClaimQuestion` per claim asked about.

The reverse of :mod:`otbill.x12.write_276`, for ``otbill x12 read`` and for anyone checking what a
276 asks. The hierarchy is payer (HL 20, NM1*PR) → information receiver (21, NM1*41) → provider
(19, NM1*1P) → subscriber (22: DMG, NM1*IL) → dependent (23: DMG, NM1*QC). A claim is its 2200D/E
loop: TRN*1 our claim number, REF*1K the payer's claim number, REF*EJ the patient account, AMT*T3
the total charge and DTP*472 the dates of service. Service lines (2210D/E, from SVC) are counted;
a claim asked about by its lines only (no AMT or claim-level DTP, TR3 1.4.3) keeps ``None`` there.

Every number and date passes through :mod:`otbill.x12.values`: a charge that is not an R number
refuses the file naming the element. Structure problems are the guide validator's findings
(:func:`otbill.x12.guide_rules.validate`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from otbill.domain.eligibility import Person
from otbill.x12.envelope import ENVELOPE_IDS, EnvelopeTracker
from otbill.x12.findings import X12Error, X12Finding
from otbill.x12.tokens import Segment, X12Source, read_segments
from otbill.x12.values import optional_amount, parse_d8

__all__ = ["ClaimQuestion", "Read276", "read_276"]


@dataclass(frozen=True, slots=True)
class ClaimQuestion:
    """One claim a 276 asks about, with the parties above it."""

    position: int  # of the TRN segment
    trace: str  # TRN02: the asker's claim number
    payer_name: str = ""
    payer_id: str = ""
    receiver_name: str = ""
    receiver_id: str = ""
    provider_name: str = ""
    provider_npi: str = ""
    subscriber: Person | None = None
    member_id: str = ""
    patient: Person | None = None  # the dependent (2000E), when not the subscriber
    payer_claim_number: str | None = None  # REF*1K
    patient_account: str | None = None  # REF*EJ
    total_charge: Decimal | None = None  # AMT*T3
    service_from: dt.date | None = None  # DTP*472 at the claim level
    service_to: dt.date | None = None
    service_lines: int = 0  # SVC loops asked about


@dataclass(frozen=True, slots=True)
class Read276:
    questions: list[ClaimQuestion]
    findings: list[X12Finding]


def _person(seg: Segment) -> Person:
    return Person(seg.el(4), seg.el(3))


def _dates(seg: Segment) -> tuple[dt.date, dt.date]:
    first = parse_d8(seg, 3)
    if seg.el(2) != "RD8":
        return first, first
    end = parse_d8(Segment(seg.position, [seg.id, "", "", seg.el(3)[9:]], seg.delimiters), 3)
    return first, end


def _party(seg: Segment, parties: dict[str, Any]) -> None:
    """The payer, receiver, provider and person names and the DMG of the level being read."""
    sid, q = seg.id, seg.el(1)
    if sid == "NM1" and q == "PR":
        parties.update(payer_name=seg.el(3), payer_id=seg.el(9))
    elif sid == "NM1" and q == "41":
        parties.update(receiver_name=seg.el(3), receiver_id=seg.el(9))
    elif sid == "NM1" and q == "1P":
        parties.update(provider_name=seg.el(3), provider_npi=seg.el(9))
    elif sid == "NM1" and q == "IL":
        dob = parties.pop("_dob", (None, "U"))
        parties.update(subscriber=Person(seg.el(4), seg.el(3), *dob), member_id=seg.el(9))
    elif sid == "NM1" and q == "QC":
        dob = parties.pop("_dob", (None, "U"))
        parties["patient"] = Person(seg.el(4), seg.el(3), *dob)
    elif sid == "DMG" and seg.el(2):
        parties["_dob"] = (parse_d8(seg, 2), seg.el(3) or "U")


_LEVEL_KEYS = (
    "payer_name", "payer_id", "receiver_name", "receiver_id", "provider_name", "provider_npi",
    "subscriber", "member_id", "patient", "_dob",
)  # fmt: skip
_LEVEL_KEYS_FROM = {"20": 0, "21": 2, "19": 4, "22": 6, "23": 8}


def _clear_below(parties: dict[str, Any], level: str) -> None:
    """A new HL at ``level`` forgets what the earlier loops at or below that level said."""
    start = _LEVEL_KEYS_FROM.get(level)
    if start is not None:
        for key in _LEVEL_KEYS[start:]:
            parties.pop(key, None)


def _claim(seg: Segment, claim: dict[str, Any]) -> None:
    sid, q = seg.id, seg.el(1)
    if sid == "SVC":
        claim["service_lines"] = claim.get("service_lines", 0) + 1
    elif claim.get("service_lines"):
        return  # a line's own REF and DTP
    elif sid == "REF" and q == "1K":
        claim["payer_claim_number"] = seg.el(2)
    elif sid == "REF" and q == "EJ":
        claim["patient_account"] = seg.el(2)
    elif sid == "AMT" and q == "T3":
        claim["total_charge"] = optional_amount(seg, 2)
    elif sid == "DTP" and q == "472":
        claim["service_from"], claim["service_to"] = _dates(seg)


def _freeze(parties: dict[str, Any], claim: dict[str, Any]) -> ClaimQuestion:
    shown = {k: v for k, v in parties.items() if not k.startswith("_")}
    return ClaimQuestion(**shown, **claim)


def read_276(source: X12Source) -> Read276:
    """Every claim question of a 276; raises X12Error naming the element of a number or date it
    cannot read, or ST01 when the file is not a 276."""
    findings: list[X12Finding] = []
    tracker = EnvelopeTracker(expected_set="276", findings=findings)
    questions: list[ClaimQuestion] = []
    parties: dict[str, Any] = {}
    claim: dict[str, Any] | None = None
    last: Segment | None = None
    for seg in read_segments(source):
        last, sid = seg, seg.id
        if sid in ENVELOPE_IDS or sid in ("HL", "TRN"):
            if claim is not None:
                questions.append(_freeze(parties, claim))
                claim = None
            if sid == "HL":
                _clear_below(parties, seg.el(3))
            elif sid == "TRN":
                claim = {"position": seg.position, "trace": seg.el(2)}
            else:
                if sid == "ST":
                    parties.clear()
                tracker.feed(seg)
        elif claim is not None:
            _claim(seg, claim)
        else:
            _party(seg, parties)
    tracker.finish(last)
    if not questions and not any(f.severity == "error" for f in findings):
        raise X12Error("276: no claim (TRN*1) is asked about")
    return Read276(questions, findings)
