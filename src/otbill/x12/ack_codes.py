"""Plain words for the codes acknowledgements carry (999 IK3/IK4/IK5/AK9, 277CA STC).

Sources: the 005010X231A1 (999) code lists for elements 716 (IK304), 723 (IK403), 717 (IK501,
AK901), 718 (IK502) and 715 (AK905); the X12 external code lists 507 (health care claim status
category) and 508 (health care claim status, only the common ones here) and element 98 (entity
identifier). An unknown code is shown as the code itself, never guessed.
"""

from __future__ import annotations

__all__ = [
    "ACCEPT_CATEGORIES",
    "ACK_STATUS",
    "CATEGORY",
    "ELEMENT_ERROR",
    "ENTITY",
    "REJECT_CATEGORIES",
    "SEGMENT_ERROR",
    "SET_ERROR",
    "STATUS",
    "describe",
]

ACK_STATUS = {
    "A": "accepted", "E": "accepted, but errors were noted", "M": "rejected: message authentication code failed",
    "P": "partially accepted: at least one transaction set was rejected", "R": "rejected",
    "W": "rejected: assurance failed validity tests", "X": "rejected: content could not be analyzed after decryption",
}  # fmt: skip
SEGMENT_ERROR = {
    "1": "unrecognized segment ID", "2": "unexpected segment", "3": "required segment missing",
    "4": "loop occurs over maximum times", "5": "segment exceeds maximum use",
    "6": "segment not in defined transaction set", "7": "segment not in proper sequence",
    "8": "segment has data element errors", "I4": "implementation \"not used\" segment present",
    "I6": "implementation dependent segment missing", "I7": "implementation loop occurs under minimum times",
    "I8": "implementation segment below minimum use", "I9": "implementation dependent \"not used\" segment present",
}  # fmt: skip
ELEMENT_ERROR = {
    "1": "required data element missing", "2": "conditional required data element missing",
    "3": "too many data elements", "4": "data element too short", "5": "data element too long",
    "6": "invalid character in data element", "7": "invalid code value", "8": "invalid date",
    "9": "invalid time", "10": "exclusion condition violated", "12": "too many repetitions",
    "13": "too many components", "I6": "code value not used in implementation",
    "I9": "implementation dependent data element missing", "I10": "implementation \"not used\" data element present",
    "I11": "implementation too few repetitions", "I12": "implementation pattern match failure",
    "I13": "implementation dependent \"not used\" data element present",
}  # fmt: skip
SET_ERROR = {
    "1": "transaction set not supported", "2": "transaction set trailer missing",
    "3": "transaction set control number in header and trailer do not match",
    "4": "number of included segments does not match actual count", "5": "one or more segments in error",
    "6": "missing or invalid transaction set identifier", "7": "missing or invalid transaction set control number",
    "23": "transaction set control number not unique within the functional group",
    "I5": "implementation one or more segments in error", "I6": "implementation convention not supported",
}  # fmt: skip
CATEGORY = {
    "A0": "forwarded", "A1": "received", "A2": "accepted into the adjudication system",
    "A3": "returned as unprocessable", "A4": "not found", "A5": "split claim",
    "A6": "rejected for missing information", "A7": "rejected for invalid information",
    "A8": "rejected for a relational field in error", "E0": "response not possible: error in the request",
    "E1": "response not possible: system status", "E2": "information holder not responding",
    "E3": "correction required: relational fields in error", "E4": "trading partner agreement requirement not met",
}  # fmt: skip
ACCEPT_CATEGORIES = frozenset({"A0", "A1", "A2", "A5"})
REJECT_CATEGORIES = frozenset({"A3", "A4", "A6", "A7", "A8", "E0", "E3", "E4"})
STATUS = {
    "0": "cannot provide further status electronically", "3": "adjudicated, awaiting payment cycle",
    "19": "entity acknowledges receipt of the claim", "20": "accepted for processing",
    "21": "missing or invalid information", "35": "claim not found",
    "562": "entity's National Provider Identifier (NPI)",
}  # fmt: skip
ENTITY = {
    "03": "dependent", "40": "receiver", "41": "submitter", "77": "service location",
    "82": "rendering provider", "85": "billing provider", "87": "pay-to provider",
    "DK": "ordering physician", "DN": "referring provider", "DQ": "supervising physician",
    "GB": "other insured", "IL": "subscriber", "PR": "payer", "QC": "patient",
    "PRP": "primary payer", "SEP": "secondary payer",
}  # fmt: skip


def describe(table: dict[str, str], code: str, kind: str) -> str:
    """The plain words for ``code``, or "<kind> <code>" when the table does not know it."""
    return table.get(code, f"{kind} {code}") if code else ""
