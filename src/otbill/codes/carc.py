"""Claim adjustment reason codes (CARC, 835 CAS02) and group codes (CAS01), in plain words.

Why: a remittance says *why* money was not paid only as a code ("CO-50"); billers need the reason
in words to decide whether to appeal, correct or write off. The meanings below are our own short
wording of the codes therapy clinics meet most (after the X12 Claim Adjustment Reason Code list; check the
current list at x12.org for the official text). An unknown but well-formed code is described as
such rather than refused: payers use many more codes than this table holds.

>>> describe("50")
'The payer decided the service was not medically necessary.'
>>> group_meaning("CO")
'Contractual: the clinic writes it off; do not bill the patient.'
"""

from __future__ import annotations

from otbill.codes._tables import PlainWords

__all__ = ["CODE_SET", "compact", "describe", "group_meaning", "is_known", "is_valid", "validate"]

CODE_SET = "claim adjustment reason code"

GROUPS = {
    "CO": "Contractual: the clinic writes it off; do not bill the patient.",
    "PR": "Patient responsibility: the patient owes it (deductible, coinsurance, copay).",
    "OA": "Other adjustment.",
    "PI": "Payer-initiated reduction.",
}

_MEANINGS = {
    "1": "The patient's deductible: the patient owes this part.",
    "2": "The patient's coinsurance share: the patient owes this part.",
    "3": "The patient's copay: the patient owes this part.",
    "4": "The modifier does not fit the procedure code, or a required one is missing.",
    "5": "The procedure does not fit the place of service billed.",
    "11": "The diagnosis does not support the procedure billed.",
    "16": "Information is missing or wrong on the claim; the remark code says what.",
    "18": "The payer already has this exact claim or service (a duplicate).",
    "22": "Another payer may cover this care first (coordination of benefits).",
    "23": "Adjusted because of what an earlier payer paid.",
    "27": "The service was after the patient's coverage ended.",
    "29": "The claim was sent after the payer's filing deadline.",
    "31": "The payer cannot find this patient as its member.",
    "45": "The charge is above the payer's fee schedule or contract; the difference is written off.",
    "50": "The payer decided the service was not medically necessary.",
    "96": "The service is not covered; the remark code says why.",
    "97": "Paid as part of another service already processed (bundled).",
    "109": "This payer does not cover it; send the claim to the right payer.",
    "119": "The patient's benefit limit for this period has been reached.",
    "151": "The records do not support this many services or units.",
    "167": "The diagnosis is not covered.",
    "170": "Not paid when this type of provider performs it.",
    "185": "The rendering provider may not bill this service.",
    "197": "Prior authorization was required and is missing.",
    "198": "More visits or units than the authorization allows.",
    "204": "Not covered under the patient's current plan.",
    "206": "The provider's NPI is missing.",
    "207": "The provider's NPI is not valid.",
    "208": "The provider's NPI does not match the payer's records.",
    "234": "This procedure is not paid separately.",
    "236": "This code pair is not allowed together on the same day (NCCI).",
    "242": "The provider is out of the patient's network.",
    "252": "The payer needs records or another attachment.",
    "253": "Sequestration: the federal 2% reduction of Medicare payments.",
    "272": "The plan's coverage guidelines were not met.",
    "273": "The plan's coverage guidelines were exceeded.",
    "284": "The authorization number does not apply to these services.",
    "286": "The appeal was filed after its time limit.",
    "288": "A required referral is missing.",
    "B7": "The provider was not eligible to be paid for this service on this date.",
    "B9": "The patient is enrolled in hospice.",
    "B15": "A qualifying service must be received and covered first.",
}


_LIST = PlainWords(
    CODE_SET,
    r"[A-Z]?[0-9]{1,3}",
    "a CARC is 1-3 digits, optionally after a letter",
    _MEANINGS,
    "Reason code {code}: see the payer's remittance advice.",
)
compact = _LIST.compact
validate = _LIST.validate
is_valid = _LIST.is_valid
is_known = _LIST.is_known
describe = _LIST.describe


def group_meaning(value: str) -> str:
    group = compact(value)
    return GROUPS.get(group, f"Group {group}.")
