"""The audit image of postings: one posting alone, or a claim's postings from one remittance.

Why two shapes: a posting made by hand (or claim by claim) is one event on the posting, as every
record's change is. An 835 posts about eleven postings a claim payment, a hundred thousand for a
large file; one event per claim for the postings a remittance made on it (action
:data:`REMITTANCE_POSTINGS`, entity ``claim``, the postings listed with their ids) records the same
facts — every posting's key, kind, amount, line, codes — with a tenth of the chain's rows. The
check of records against their trail and the trail's page for one posting read both shapes
through :func:`posting_images`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from otbill.domain.ledger import Posting

__all__ = [
    "REMITTANCE_POSTINGS",
    "claim_changes",
    "posting_image",
    "posting_images",
    "remittance_postings",
    "remittance_postings_in_words",
]

#: The action of a claim's postings from one remittance, recorded as one event on the claim.
REMITTANCE_POSTINGS = "posting.remittance"


def posting_image(posting: Posting, rarc: str | None) -> dict[str, Any]:
    """What the trail records of one posting (its id and kind are the event's own when alone)."""
    return {
        "source_key": posting.source_key,
        "amount": f"{posting.amount:.2f}",  # whole cents (checked before posting), as stored
        "claim_id": posting.claim_id,
        "claim_line_id": posting.line_id,
        "payer_side": posting.payer_side,
        "group_code": posting.group_code,
        "carc": posting.carc,
        "rarc": rarc,
        "reverses": posting.reverses,
    }


def remittance_postings(
    remittance_id: int,
    postings: list[tuple[int, Posting, str | None]],
    moves: Sequence[tuple[str, str, str]] = (),
    payer_claim_number: tuple[str | None, str] | None = None,
) -> dict[str, Any]:
    """The after-image of :data:`REMITTANCE_POSTINGS`: the remittance, each posting (its id, the
    posting, its RARC) in the order made, with its id and kind, and what the remittance changed
    on the claim besides: its status ``moves`` (from, to, reason) and the payer's claim number
    (before, after). Posted claim by claim, each of those is an event of its own
    (``claim.transition``, ``claim.payer_claim_number``); :func:`claim_changes` reads them
    back in those events' images."""
    after: dict[str, Any] = {
        "remittance_id": remittance_id,
        "postings": [
            {"id": posting_id, "kind": p.kind.value, **_listed(posting_image(p, rarc))}
            for posting_id, p, rarc in postings
        ],
    }
    if moves:
        after["status"] = [{"from": old, "to": new, "reason": why} for old, new, why in moves]
    if payer_claim_number is not None:
        after["payer_claim_number"] = {"from": payer_claim_number[0], "to": payer_claim_number[1]}
    return after


def claim_changes(
    after: Mapping[str, Any] | None,
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """The claim's changes a :data:`REMITTANCE_POSTINGS` event records besides its postings, as
    the events of their own would have them: (action, before-image, after-image) for each status
    move and the payer's claim number."""
    if not isinstance(after, Mapping):
        return
    for move in after.get("status") or ():
        if isinstance(move, Mapping):
            yield ("claim.transition", {"status": move.get("from")},
                   {"status": move.get("to"), "reason": move.get("reason")})  # fmt: skip
    number = after.get("payer_claim_number")
    if isinstance(number, Mapping):
        yield ("claim.payer_claim_number", {"payer_claim_number": number.get("from")},
               {"payer_claim_number": number.get("to")})  # fmt: skip


#: What a listed posting leaves out when empty: :func:`posting_images` puts it back.
_OPTIONAL = ("group_code", "carc", "rarc", "reverses")


def _listed(image: dict[str, Any]) -> dict[str, Any]:
    """A posting's image as the claim's event lists it: without the claim (the event's own) and
    the codes it has none of; a third of the JSON the chain hashes and stores for a large 835."""
    return {
        k: v for k, v in image.items() if k != "claim_id" and (v is not None or k not in _OPTIONAL)
    }


def posting_images(
    action: str, entity: str, entity_id: str, after: Mapping[str, Any] | None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(posting id, its image) for each posting an event records: the posting of a
    ``posting.<kind>`` event on a posting, or each of a :data:`REMITTANCE_POSTINGS` event's;
    nothing for other events."""
    if not isinstance(after, Mapping):
        return
    if entity == "posting" and action.startswith("posting."):
        yield entity_id, dict(after)
    elif action == REMITTANCE_POSTINGS and entity == "claim":
        claim_id = int(entity_id) if entity_id.isascii() and entity_id.isdigit() else None
        for image in after.get("postings") or ():
            if isinstance(image, Mapping) and "id" in image:  # whole again (see _listed)
                yield str(image["id"]), {**dict.fromkeys(_OPTIONAL), "claim_id": claim_id, **image}


#: What each kind of posting does to the claim, in a biller's words, in the order told.
_DOES = {"payment": "paid", "adjustment": "written off", "transfer": "moved to the patient",
         "reversal": "reversed", "charge": "charged"}  # fmt: skip


def remittance_postings_in_words(after: Mapping[str, Any] | None) -> str:
    """A :data:`REMITTANCE_POSTINGS` event told plainly: the claim's status moves, its payer's
    number, what was paid, written off, moved to the patient or reversed, and how many postings
    (``submitted → accepted → paid; payer's claim number ICN1; paid $96.00; written off $30.00;
    moved to the patient $24.00 (7 postings)``)."""
    totals: dict[str, Decimal] = {}
    count = 0
    for _, image in posting_images(REMITTANCE_POSTINGS, "claim", "", after):
        count += 1
        try:
            amount = Decimal(str(image.get("amount")))
        except InvalidOperation:
            continue
        kind = str(image.get("kind"))
        totals[kind] = totals.get(kind, Decimal(0)) + amount
    told = [f"{_DOES[k]} ${totals[k]:,.2f}" for k in _DOES if k in totals]
    told += [f"{k} ${v:,.2f}" for k, v in totals.items() if k not in _DOES]
    postings = f"{count} posting{'' if count == 1 else 's'}"
    said = f"{'; '.join(told)} ({postings})" if told else postings
    return "; ".join([*_changes_in_words(after), said])


def _changes_in_words(after: Mapping[str, Any] | None) -> list[str]:
    """The claim's status moves (``submitted → accepted → paid``) and the payer's number."""
    words: list[str] = []
    statuses: list[Any] = []
    for action, before, now in claim_changes(after):
        if action == "claim.transition":
            statuses += [before["status"]] if not statuses else []
            statuses.append(now["status"])
        else:
            words.append(f"payer's claim number {now['payer_claim_number']}")
    return ([" → ".join(str(s) for s in statuses)] if statuses else []) + words
