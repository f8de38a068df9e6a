"""DOC001 note-unsigned."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule


@rule("DOC001", "note-unsigned", "documentation", Severity.ERROR, since="0.1.0")
def note_unsigned(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The visit's note is missing or not signed, so the service is not yet documented.
    What it checks: the visit has a note (``documentation``) and the note is signed
    (``documentation.signed``) by the therapist who furnished the services.
    Why payers deny it: Medicare pays only for services the record supports; a treatment note
    must carry the signature and professional identification of the qualified professional who
    furnished or supervised the services. A claim sent before the note exists or is signed is a
    compliance risk: on a records request (ADR, RARC M127) the services are denied and any
    payment recouped.
    Example: a claim for 2025-02-14 whose daily note is still a draft (``signed: false``), or
    with no note at all.
    Fix: have the therapist complete and sign the note, then bill.
    Source: Medicare Benefit Policy Manual, Pub 100-02, ch. 15, §220.3 (documentation requirements for therapy services: treatment note, signature); RARC M127.
    """
    note = claim.documentation
    if note is None:
        yield note_unsigned.finding(
            "there is no note for this visit "
            f"({wording.day(ctx.first_date)}); a claim must not be sent before its note exists",
            fix=Fix("complete and sign the visit's note, then bill"),
        )
    elif not note.signed:
        yield note_unsigned.finding(
            f"the {note.note_type} note for "
            f"{wording.day(ctx.first_date)} is not signed by the therapist",
            fix=Fix("have the treating therapist sign the note, then bill"),
        )
