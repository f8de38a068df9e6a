"""Claim status category (code source 507) and status codes (508) in plain words.

The 277 (005010X212 section 2, STC01) sends a category first — what stage the claim is at — and a
status code second — the reason. Wording here is otbill's own short paraphrase of the code lists
maintained by X12 (External Code Lists 507 and 508); an unknown code is named, never guessed.
"""

from __future__ import annotations

__all__ = ["OUTCOMES", "category_words", "outcome_of", "status_words"]

CATEGORY = {
    "A0": "acknowledged: forwarded to another entity", "A1": "received",
    "A2": "accepted into adjudication", "A3": "returned as unprocessable",
    "A4": "not found", "A5": "split into more than one claim",
    "A6": "rejected for missing information", "A7": "rejected for invalid information",
    "A8": "rejected for a relational field in error",
    "D0": "not on file: the payer's data search found nothing",
    "E0": "no answer possible: error in the request", "E1": "no answer possible: payer system down",
    "E2": "no answer possible: the information holder does not respond",
    "E3": "correction required: relational fields in error",
    "E4": "no answer possible: trading partner agreement not met",
    "F0": "finalized", "F1": "finalized: paid", "F2": "finalized: denied",
    "F3": "finalized: revised", "F3F": "finalized: forwarded to another payer",
    "F3N": "finalized: not forwarded", "F4": "finalized: adjudicated, no payment forthcoming",
    "P0": "pending: adjudication in process", "P1": "pending: in process",
    "P2": "pending: payer review", "P3": "pending: waiting for information from the provider",
    "P4": "pending: waiting for information from the patient",
    "P5": "pending: payer administrative or system hold",
    "R0": "more information requested", "R1": "more information requested about an entity",
    "R3": "more information requested about the claim or a line",
    "R4": "documentation requested", "R5": "more specific detail requested",
}  # fmt: skip

STATUS = {
    "0": "cannot give more status electronically", "1": "see the remittance advice",
    "2": "see the letter sent", "3": "adjudicated, waiting for the payment cycle",
    "6": "balance due from the subscriber", "16": "forwarded to another entity",
    "19": "receipt acknowledged", "20": "accepted for processing",
    "21": "missing or invalid information", "23": "returned to the sender",
    "24": "sender not approved for electronic claims", "26": "entity not found",
    "27": "policy cancelled", "29": "subscriber and policy number do not match",
    "30": "subscriber and subscriber ID do not match", "33": "subscriber not found",
    "35": "claim not found", "65": "paid", "88": "included in the allowance for another service",
    "107": "processed under the plan's provisions",
}  # fmt: skip

# What the biller does next, by outcome: the follow-up queue and the CLI speak these words.
OUTCOMES = (
    "received", "pending", "paid", "denied", "finalized", "not found", "rejected",
    "more information requested", "no answer possible",
)  # fmt: skip


def category_words(category: str) -> str:
    if category in CATEGORY:
        return CATEGORY[category]
    if category.startswith("R"):
        return "more information requested"
    return f"status category {category}"


def status_words(code: str) -> str:
    return STATUS.get(code, f"status code {code}") if code else ""


def outcome_of(category: str, code: str) -> str:
    """The outcome a category (and, for 'claim not found', its status code) means."""
    if category == "A4" or category == "D0" or code == "35":
        return "not found"
    if category == "F1" or (category == "F0" and code == "65"):
        return "paid"
    if category == "F2":
        return "denied"
    if category.startswith("F"):
        return "finalized"
    if category in ("A0", "A1", "A2", "A5"):
        return "received"
    if category.startswith("A"):
        return "rejected"
    if category.startswith("P"):
        return "pending"
    if category.startswith("R"):
        return "more information requested"
    return "no answer possible"
