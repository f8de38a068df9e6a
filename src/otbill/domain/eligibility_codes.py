"""The 271's codes in plain words: AAA rejections with the fix, EB01 statuses, EB06 periods.

Source: ASC X12N 005010X279A1, AAA03 (Reject Reason Code) and AAA04 (Follow-up Action Code) in
loops 2000A, 2100A, 2100B, 2100C/D and 2110C/D; EB01, EB04 and EB06 code lists in 2110C. The fixes
are otbill's advice to a front desk, written for the field the clerk can correct.
"""

from __future__ import annotations

__all__ = ["ACTIVE", "FOLLOW_UP", "INACTIVE", "INSURANCE_TYPES", "PERIODS", "REJECTIONS", "reject"]

# AAA03 → (what the payer says, what to do about it)
REJECTIONS: dict[str, tuple[str, str]] = {
    "04": ("the authorized quantity is exceeded", "ask the payer for more visits"),
    "15": ("required information is missing", "complete the patient's coverage and ask again"),
    "33": ("the inquiry had input errors", "check the coverage's member ID, name and birth date"),
    "35": ("the provider is out of network", "check the clinic's network status with the payer"),
    "41": ("the clinic is not allowed to ask this payer", "enrol for real-time eligibility"),
    "42": ("the payer cannot answer now", "try again later"),
    "43": ("the provider ID (NPI) is invalid or missing", "check the clinic's or therapist's NPI"),
    "44": ("the provider name is invalid or missing", "check the provider name the payer has"),
    "45": ("the provider specialty is invalid", "check the provider's taxonomy"),
    "46": ("the provider phone number is invalid", "check the clinic's phone number"),
    "47": ("the provider state is invalid", "check the clinic's address"),
    "48": ("the referring provider ID is invalid", "check the referring physician's NPI"),
    "49": ("the provider is not the patient's primary care physician", "ask for a PCP referral"),
    "50": ("the provider may not ask this payer about eligibility",
           "check the clinic's enrolment with the payer (NPI registered for inquiries)"),
    "51": ("the provider is not on file with the payer", "enrol the clinic or therapist"),
    "52": ("the date is outside the provider's enrolment", "check the provider's enrolment dates"),
    "53": ("the benefit asked about does not fit the provider's type", "ask for service type 30"),
    "54": ("the procedure code qualifier is wrong", "ask without procedure codes"),
    "55": ("the procedure code is not accepted", "ask without procedure codes"),
    "56": ("the date is not accepted", "check the date of service"),
    "57": ("the date of service is invalid or missing", "check the date of service"),
    "58": ("the date of birth is invalid or missing", "enter the patient's date of birth"),
    "60": ("the date of birth is after the date of service", "correct the date of birth"),
    "61": ("the patient died before the date of service", "check the patient's record"),
    "62": ("the date of service is outside the period the payer answers for",
           "ask for a date within the payer's inquiry window"),
    "63": ("the date of service is in the future", "ask again closer to the visit"),
    "64": ("the patient's ID is invalid or missing", "check the member ID on the card"),
    "65": ("the patient's name is invalid or missing", "check the name as printed on the card"),
    "66": ("the patient's sex is invalid or missing", "enter the patient's sex"),
    "67": ("the payer did not find the patient", "check the member ID and the patient's name"),
    "68": ("the patient ID is on file twice", "call the payer"),
    "69": ("the service does not fit the patient's age", "check the date of birth"),
    "70": ("the service does not fit the patient's sex", "check the patient's sex"),
    "71": ("the date of birth does not match the payer's",
           "check the patient's date of birth against the card or the patient"),
    "72": ("the member ID is wrong or missing", "check the member ID on the card"),
    "73": ("the subscriber's name is wrong or missing",
           "check the subscriber's name as printed on the card"),
    "74": ("the subscriber's sex is invalid or missing", "enter the subscriber's sex"),
    "75": ("the payer did not find the subscriber",
           "check the member ID, name and birth date against the card"),
    "76": ("the member ID is on file twice", "call the payer"),
    "77": ("the subscriber was found but not the patient",
           "check the dependent's name and birth date, or ask with the patient's own ID"),
    "78": ("the subscriber is not in the group or plan named", "check the group number"),
    "79": ("the participant identification is invalid", "check the clinic's submitter ID"),
    "80": ("the payer did not respond", "try again later"),
    "97": ("the provider address is invalid or missing", "check the clinic's address"),
    "AA": ("the authorization number was not found", "check the authorization number"),
    "AE": ("the primary care physician must authorize this", "get the PCP's authorization"),
    "AF": ("the diagnosis code is invalid or missing", "check the diagnosis"),
    "AG": ("the procedure code is invalid or missing", "check the procedure code"),
    "AO": ("more information about the patient's condition is needed", "call the payer"),
    "CI": ("the certification does not match the patient", "check the authorization"),
    "E8": ("the payer requires medical review", "call the payer"),
    "IA": ("the authorization number format is invalid", "check the authorization number"),
    "MA": ("an authorization is missing", "request an authorization"),
}  # fmt: skip

FOLLOW_UP = {
    "C": "correct and send again",
    "N": "do not send again",
    "P": "send the same inquiry again",
    "R": "sending again is allowed",
    "S": "do not send again; the payer is asking a third party",
    "W": "wait 30 days and send again",
    "X": "wait 10 days and send again",
    "Y": "do not send again; the payer will follow up",
}

ACTIVE = {"1": "active", "2": "active (full-risk capitation)", "3": "services capitated",
          "4": "services capitated to the primary care physician",
          "5": "active, pending investigation"}  # fmt: skip
INACTIVE = {"6": "inactive", "7": "inactive, pending an eligibility update",
            "8": "inactive, pending investigation"}  # fmt: skip

PERIODS = {
    "6": "hour", "7": "day", "13": "24 hours", "21": "years", "22": "service year",
    "23": "calendar year", "24": "year to date", "25": "contract", "26": "episode", "27": "visit",
    "28": "outlier", "29": "remaining", "30": "exceeded", "31": "not exceeded", "32": "lifetime",
    "33": "lifetime remaining", "34": "month", "35": "week", "36": "admission",
}  # fmt: skip

INSURANCE_TYPES = {
    "MA": "Medicare Part A", "MB": "Medicare Part B", "MP": "Medicare primary",
    "HN": "Medicare Advantage (HMO, Medicare risk)", "MC": "Medicaid", "HM": "HMO",
    "PR": "PPO", "PS": "point of service", "EP": "exclusive provider organization",
    "C1": "commercial", "CO": "consolidated omnibus budget reconciliation act (COBRA)",
    "GP": "group policy", "IP": "individual policy", "SP": "supplemental policy",
    "WC": "workers' compensation", "OT": "other", "QM": "qualified Medicare beneficiary",
    "12": "Medicare secondary, working aged", "13": "Medicare secondary, ESRD",
    "14": "Medicare secondary, no-fault", "15": "Medicare secondary, workers' compensation",
    "16": "Medicare secondary, public health service", "41": "Medicare secondary, black lung",
    "42": "Medicare secondary, veterans", "43": "Medicare secondary, disabled",
    "47": "Medicare secondary, liability",
}  # fmt: skip

MEDICARE_ADVANTAGE = frozenset({"HN"})


def reject(code: str, follow_up: str) -> tuple[str, str]:
    """(what the payer said, what to do) for an AAA, in plain words."""
    said, fix = REJECTIONS.get(code, (f"the payer rejected the inquiry (reason {code})", ""))
    then = FOLLOW_UP.get(follow_up)
    return said, "; ".join(part for part in (fix, then) if part)
