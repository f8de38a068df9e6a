"""837P files as scrubber input: ``otbill scrub FILE.837`` reads claims through this module.

The scrubber takes ``Claim | ClaimInputError`` items (what ``parse_claims`` gives for JSON). An
837P's claims map one to one; every error finding of the file (a claim that could not be built, an
envelope count that is wrong) becomes a ``ClaimInputError`` naming the segment, so the scrub
summary counts it as unreadable instead of silently dropping it.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from otbill.domain.claim import Claim
from otbill.domain.claim_json import ClaimInputError

__all__ = ["looks_like_x12", "read_837p_claims"]


def looks_like_x12(data: bytes) -> bool:
    """True when the bytes start (after a BOM and blanks) with ISA or ST: route them here."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or data[1:2] == b"\0":
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    head = data.removeprefix(codecs.BOM_UTF8).lstrip()[:4]
    return head.startswith(b"ISA") or head[:3] in (b"ST*", b"ST|")


def read_837p_claims(path: Path) -> list[Claim | ClaimInputError]:
    """The file's claims, then one ``ClaimInputError`` per error finding (raises X12Error when
    the file cannot be read at all)."""
    from otbill.x12.read_837p import read_837p  # here: a JSON file never needs the X12 reader

    result = read_837p(path)
    items: list[Claim | ClaimInputError] = list(result.claims)
    for finding in result.findings:
        if finding.severity == "error":
            where = f"segment {finding.position} {finding.segment_id}".strip()
            items.append(ClaimInputError(finding.position or 0, None, ((where, finding.message),)))
    return items
