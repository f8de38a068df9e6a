"""Remittance advice remark codes (RARC, 835 LQ02 and MOA), in plain words.

A RARC adds detail to a denial's reason code (CARC): which document is missing, which coverage
policy applied, whether the decision may be appealed. Meanings are our own short wording of the
codes therapy clinics meet (after the X12 Remittance Advice Remark Code list; the official text is at
x12.org). A well-formed code outside this table is described generically.

>>> describe("N115")
'The decision follows a Local Coverage Determination (LCD).'
"""

from __future__ import annotations

from otbill.codes._tables import PlainWords

__all__ = ["CODE_SET", "compact", "describe", "is_known", "is_valid", "validate"]

CODE_SET = "remittance advice remark code"

_MEANINGS = {
    "M15": "Separately billed services were paid as parts of one procedure.",
    "M51": "A procedure code is missing or not valid.",
    "M62": "The prior authorization number is missing or not valid.",
    "M77": "The place of service is missing or not valid.",
    "M80": "Not covered in the same session or day as a service already processed.",
    "M86": "Already paid for the same or a similar service in this time frame.",
    "M127": "The payer needs the patient's medical record for this service.",
    "M135": "The plan of treatment is missing or not valid.",
    "M141": "The physician-certified plan of care is missing.",
    "MA01": "You may appeal (for Medicare, a redetermination within 120 days).",
    "MA130": "The claim could not be processed and cannot be appealed: send a new claim.",
    "N1": "You may appeal this decision.",
    "N20": "Not paid together with another service on the same date.",
    "N115": "The decision follows a Local Coverage Determination (LCD).",
    "N130": "See the plan's benefit documents or guidelines.",
    "N362": "More days or units than the payer accepts.",
    "N386": "The decision follows a National Coverage Determination (NCD).",
    "N425": "The law excludes this service from coverage.",
    "N430": "The procedure code does not fit the units billed.",
    "N435": "More services than allowed without supporting documentation.",
    "N640": "More services than allowed in this time period.",
}


_LIST = PlainWords(
    CODE_SET,
    r"(M|MA|N)[0-9]{1,3}",
    "a RARC is M, MA or N followed by 1-3 digits",
    _MEANINGS,
    "Remark code {code}: see the payer's remittance advice.",
)
compact = _LIST.compact
validate = _LIST.validate
is_valid = _LIST.is_valid
is_known = _LIST.is_known
describe = _LIST.describe
