"""Which transaction a file holds, and reading any supported one into JSON-ready data.

The kind comes from the first ST (ST01) and the version it travels under (ST03, else GS08): 837
with X222 (or an unlabelled 837) → 837P; 835; 999; 277 with X214 → 277CA; 270, 271, 276, 277
(X212) and 278 (X217, a request or a response) under a 5010 version (or none) → themselves. Other
kinds (837I, TA1, 4010 files) are tokenized and enveloped by :func:`check_envelope` only.

The 270/271, 276/277 and 278 findings are the guide validator's
(:func:`otbill.x12.guide_rules.validate`: envelopes, loops, required segments, code lists), found
before the reader runs; a value the reader cannot take (a date that is not a date) refuses the
file naming the element.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from decimal import Decimal
from pathlib import Path
from typing import Any

from otbill.x12.envelope import ENVELOPE_IDS, EnvelopeTracker
from otbill.x12.findings import X12Error, X12Finding
from otbill.x12.tokens import Segment, read_segments

__all__ = ["SUPPORTED", "check_envelope", "plain", "read_any", "transaction_kind"]

SUPPORTED = ("837P", "835", "999", "277CA", "270", "271", "276", "277", "278")
# Read with their guide tables when they travel under 5010 (ST03/GS08 00501…) or say no version.
GUIDED = ("270", "271", "276", "277", "278")


def plain(value: Any) -> Any:
    """Dataclasses, Decimal and dates as JSON-ready data (money stays exact, as a string)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "_asdict"):  # the 835 records are named tuples
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, enum.Enum):  # the 278's decisions: their value, not the enum
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def transaction_kind(path: Path) -> str:
    """837P, 835, 999, 277CA, 270, 271, 276, 277, 278, or what else the first ST says (e.g.
    837/005010X223A2, 270/004010X092A1)."""
    version = ""
    for seg in read_segments(path):
        if seg.id == "GS":
            version = seg.el(8)
        elif seg.id == "ST":
            set_id, version = seg.el(1), seg.el(3) or version
            if set_id == "837" and ("X222" in version or not version):
                return "837P"
            if set_id == "277" and "X214" in version:
                return "277CA"
            if set_id in ("835", "999"):
                return set_id
            if set_id in GUIDED and (not version or version.startswith("00501")):
                return set_id
            return f"{set_id}/{version}" if version else set_id
        elif seg.position > 3:
            break
    raise X12Error(
        "no ST segment at the start of the file: not a transaction set (a TA1?)", position=1
    )


def check_envelope(path: Path) -> list[X12Finding]:
    """Tokenize a whole file and check only its envelopes (any transaction kind)."""
    tracker = EnvelopeTracker()
    last: Segment | None = None
    for seg in read_segments(path):
        last = seg
        if seg.id in ENVELOPE_IDS:
            tracker.feed(seg)
    tracker.finish(last)
    return tracker.findings


def _claims_json(path: Path) -> tuple[dict[str, Any], list[X12Finding]]:
    from otbill.domain.claim_json import CLAIM_ADAPTER
    from otbill.x12.read_837p import read_837p

    result = read_837p(path)
    claims = [
        CLAIM_ADAPTER.dump_python(c, mode="json", by_alias=True, exclude_none=True)
        for c in result.claims
    ]
    return {"claims": claims}, result.findings


def _guided_json(path: Path, kind: str) -> tuple[dict[str, Any], list[X12Finding]]:
    """A 270, 271, 276, 277 or 278: the guide's findings (envelopes included), then what it
    says."""
    from otbill.x12.guide_rules import validate

    findings = validate(path, kind if kind != "278" else None)  # 278: BHT02 picks the table
    if kind == "270":
        from otbill.x12.read_270 import read_270

        return {"inquiries": plain(read_270(path).inquiries)}, findings
    if kind == "271":
        from otbill.x12.read_271 import read_271

        r271 = read_271(path)
        data = {"payer_name": r271.payer_name, "answers": plain(r271.answers),
                "rejections": plain(r271.rejections)}  # fmt: skip
        return data, findings
    if kind == "276":
        from otbill.x12.read_276 import read_276

        return {"claims": plain(read_276(path).questions)}, findings
    if kind == "278":
        from otbill.domain.prior_auth import words
        from otbill.x12.read_278 import read_278

        r278 = read_278(path)
        responses = [plain(r) | {"words": words(r)} for r in r278.responses]
        data = {"kind": r278.kind, "requests": plain(r278.requests), "responses": responses}
        return data, findings
    from otbill.x12.read_277 import read_277

    r277 = read_277(path)
    answers = [plain(a) | {"outcome": a.outcome, "words": a.words} for a in r277.answers]
    return {"payer_name": r277.payer_name, "answers": answers}, findings


def read_any(path: Path) -> dict[str, Any]:
    """The file's transaction as JSON-ready data: {"transaction", ..., "findings"}."""
    kind = transaction_kind(path)
    data: dict[str, Any]
    if kind == "837P":
        data, findings = _claims_json(path)
    elif kind == "835":
        from otbill.domain.remittance import to_json
        from otbill.x12.read_835 import read_835

        r835 = read_835(path)
        remittances = [to_json(r) for r in r835.remittances]
        data, findings = {"remittances": remittances}, r835.findings
    elif kind == "999":
        from otbill.x12.read_999 import read_999

        r999 = read_999(path)
        data, findings = {"groups": plain(r999.groups)}, r999.findings
    elif kind == "277CA":
        from otbill.x12.read_277ca import read_277ca

        r277 = read_277ca(path)
        claims = [plain(c) | {"outcome": c.outcome, "reason": c.reason} for c in r277.claims]
        data = {"claims": claims, "batch_statuses": plain(r277.batch_statuses)}
        findings = r277.findings
    elif kind in GUIDED:
        data, findings = _guided_json(path, kind)
    else:
        raise X12Error(
            f"transaction {kind} is not supported (otbill reads {', '.join(SUPPORTED)})",
            position=None,
        )
    return {"transaction": kind, **data, "findings": [f.as_json() for f in findings]}
