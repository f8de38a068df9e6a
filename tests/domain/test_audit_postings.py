"""An 835's postings on a claim, as one audit event: told in a biller's words."""

from __future__ import annotations

from decimal import Decimal

from otbill.domain.audit_postings import (
    REMITTANCE_POSTINGS,
    claim_changes,
    posting_images,
    remittance_postings,
    remittance_postings_in_words,
)
from otbill.domain.ledger import Kind, Posting


def _posting(kind: Kind, amount: str, group: str | None = None) -> Posting:
    return Posting(0, f"835:x:{kind.value}:{amount}", kind, Decimal(amount), 5, 9, 2, 3,
                   group_code=group)  # fmt: skip


def test_the_event_lists_each_posting_and_reads_back() -> None:
    made = [(11, _posting(Kind.PAYMENT, "96"), None),
            (12, _posting(Kind.ADJUSTMENT, "30.5", "CO"), None),
            (13, _posting(Kind.TRANSFER, "24"), "N130")]  # fmt: skip
    after = remittance_postings(7, made)
    listed = after["postings"][0]
    assert "claim_id" not in listed and "carc" not in listed  # the claim's own, and no code
    images = dict(posting_images(REMITTANCE_POSTINGS, "claim", "5", after))
    assert list(images) == ["11", "12", "13"]
    assert images["11"]["claim_id"] == 5 and images["11"]["carc"] is None  # whole again
    assert images["12"]["group_code"] == "CO" and images["12"]["reverses"] is None
    assert images["12"]["amount"] == "30.50" and images["13"]["rarc"] == "N130"
    assert list(posting_images(REMITTANCE_POSTINGS, "note", "5", after)) == []  # not a claim's
    tampered = dict(posting_images(REMITTANCE_POSTINGS, "claim", "²", after))  # a row edited
    assert tampered["11"]["claim_id"] is None
    words = remittance_postings_in_words(after)
    assert words == "paid $96.00; written off $30.50; moved to the patient $24.00 (3 postings)"


def test_an_event_without_postings_is_told_as_such() -> None:
    assert remittance_postings_in_words({"postings": []}) == "0 postings"
    assert remittance_postings_in_words(None) == "0 postings"


def test_the_claims_moves_and_payer_number_are_in_the_event_and_read_back_as_their_own() -> None:
    moves = [("submitted", "accepted", "adjudicated (835)"), ("accepted", "paid", "835 T1: paid")]
    after = remittance_postings(7, [(11, _posting(Kind.PAYMENT, "96"), None)], moves,
                                (None, "ICN1"))  # fmt: skip
    assert list(claim_changes(after)) == [
        ("claim.transition", {"status": "submitted"},
         {"status": "accepted", "reason": "adjudicated (835)"}),
        ("claim.transition", {"status": "accepted"}, {"status": "paid", "reason": "835 T1: paid"}),
        ("claim.payer_claim_number", {"payer_claim_number": None}, {"payer_claim_number": "ICN1"}),
    ]  # fmt: skip
    assert remittance_postings_in_words(after) == (
        "submitted → accepted → paid; payer's claim number ICN1; paid $96.00 (1 posting)"
    )
    only_moved = remittance_postings(7, [], moves[:1])
    assert remittance_postings_in_words(only_moved) == "submitted → accepted; 0 postings"
    assert list(claim_changes({"status": ["not a move"], "payer_claim_number": "x"})) == []
