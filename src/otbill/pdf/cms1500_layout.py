"""Where everything sits on the 1500 claim form (02/12), as data on the form's print grid.

The NUCC 1500 Reference Instruction Manual (form version 02/12) describes the form as laid out
for 10 characters per inch and 6 lines per inch (pica): on a letter sheet that is 85 columns by
66 rows. Every position here is a (row, column) on that grid, rows and columns counted from 1 at
the top left of the sheet. The form keeps to columns 3-83 (:data:`PRINTABLE_COLUMNS`), a fifth of
an inch from each edge, where any office printer prints. Both PDFs print through these tables:

- :data:`SPOTS`: where each item's data is typed (one row, a column, a width in characters);
- :data:`LINE_SPOTS`: the same for the fields of one item 24 service line, with the row given
  relative to the line (0: the shaded supplemental row, 1: the line's own row) and
  :func:`line_row` turning a line number (1-6) into a sheet row;
- :data:`BOXES`: the boxes the complete black-and-white form draws, each with its caption; a
  spot of item ``n`` lies inside the box of item ``n`` (a test checks it).

These positions follow the form's item order and the pica grid; they are otbill's own, not a
copy of any vendor's print file. Check a test print against the red form before a large run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "BOXES",
    "COLUMNS",
    "COL_MM",
    "FIRST_LINE_ROW",
    "LINES_PER_FORM",
    "LINE_SPOTS",
    "PRINTABLE_COLUMNS",
    "ROWS",
    "ROW_MM",
    "SHADED_COLUMNS",
    "SPOTS",
    "Box",
    "Spot",
    "line_row",
]

COLUMNS = 85  # 8.5 in at 10 characters per inch
ROWS = 66  # 11 in at 6 lines per inch
COL_MM = 25.4 / 10
ROW_MM = 25.4 / 6
LINES_PER_FORM = 6  # item 24 has six service lines
FIRST_LINE_ROW = 46  # the shaded row of service line 1; its own row is 47
PRINTABLE_COLUMNS = (3, 83)  # 0.2 in from each edge
SHADED_COLUMNS = PRINTABLE_COLUMNS  # the shaded band runs the width of item 24


@dataclass(frozen=True, slots=True)
class Spot:
    """Where one field's text is typed: ``row``, first ``col``, ``width`` characters."""

    item: str  # the box it belongs to ("2", "24F", ...)
    row: int
    col: int
    width: int
    align: Literal["left", "right"] = "left"

    @property
    def last_col(self) -> int:
        return self.col + self.width - 1


@dataclass(frozen=True, slots=True)
class Box:
    """A box the complete form draws: rows ``top``-``bottom``, columns ``left``-``right``."""

    item: str
    caption: str
    top: int
    left: int
    bottom: int
    right: int

    def holds(self, row: int, col: int, last_col: int) -> bool:
        return self.top <= row <= self.bottom and self.left <= col and last_col <= self.right


def _s(item: str, row: int, col: int, width: int, align: Literal["left", "right"] = "left") -> Spot:
    return Spot(item, row, col, width, align)


#: Header items: key -> spot. Check boxes are one-character spots printed with an X.
SPOTS: dict[str, Spot] = {
    "page": _s("carrier", 2, 72, 11, "right"),
    "carrier.name": _s("carrier", 3, 53, 30),
    # item 1: the program, item 1a: the insured's ID number
    "1.medicare": _s("1", 8, 4, 1),
    "1.medicaid": _s("1", 8, 11, 1),
    "1.tricare": _s("1", 8, 18, 1),
    "1.champva": _s("1", 8, 26, 1),
    "1.group": _s("1", 8, 33, 1),
    "1.feca": _s("1", 8, 41, 1),
    "1.other": _s("1", 8, 47, 1),
    "1a": _s("1a", 8, 53, 29),
    "2": _s("2", 10, 4, 28),
    "3.dob": _s("3", 10, 33, 10),  # MM DD YYYY
    "3.sex.M": _s("3", 10, 45, 1),
    "3.sex.F": _s("3", 10, 50, 1),
    "4": _s("4", 10, 53, 29),
    "5.street": _s("5", 12, 4, 28),
    "6.self": _s("6", 12, 35, 1),
    "6.spouse": _s("6", 12, 40, 1),
    "6.child": _s("6", 12, 44, 1),
    "6.other": _s("6", 12, 49, 1),
    "7.street": _s("7", 12, 53, 29),
    "5.city": _s("5", 14, 4, 24),
    "5.state": _s("5", 14, 29, 2),
    "7.city": _s("7", 14, 53, 24),
    "7.state": _s("7", 14, 80, 2),
    "5.zip": _s("5", 16, 4, 10),
    "7.zip": _s("7", 16, 53, 10),
    "9": _s("9", 18, 4, 28),
    "11": _s("11", 18, 53, 29),
    "9a": _s("9a", 20, 4, 28),
    "10a.yes": _s("10a", 20, 37, 1),
    "10a.no": _s("10a", 20, 43, 1),
    "11a.dob": _s("11a", 20, 55, 10),
    "11a.sex.M": _s("11a", 20, 73, 1),
    "11a.sex.F": _s("11a", 20, 80, 1),
    "10b.yes": _s("10b", 22, 37, 1),
    "10b.no": _s("10b", 22, 43, 1),
    "10c.yes": _s("10c", 24, 37, 1),
    "10c.no": _s("10c", 24, 43, 1),
    "11c": _s("11c", 24, 53, 29),
    "9d": _s("9d", 26, 4, 28),
    "11d.yes": _s("11d", 26, 54, 1),
    "11d.no": _s("11d", 26, 60, 1),
    "12.signed": _s("12", 30, 10, 24),
    "12.date": _s("12", 30, 40, 10),
    "13.signed": _s("13", 30, 59, 24),
    "14.date": _s("14", 32, 5, 8),  # MM DD YY
    "14.qual": _s("14", 32, 22, 3),
    "17.qual": _s("17", 34, 4, 2),
    "17.name": _s("17", 34, 7, 25),
    "17b": _s("17b", 34, 38, 10),
    "21.ind": _s("21", 37, 48, 1),
    "21.A": _s("21", 38, 5, 8),
    "21.B": _s("21", 38, 17, 8),
    "21.C": _s("21", 38, 29, 8),
    "21.D": _s("21", 38, 41, 8),
    "22.code": _s("22", 38, 53, 11),
    "22.original": _s("22", 38, 65, 18),
    "21.E": _s("21", 40, 5, 8),
    "21.F": _s("21", 40, 17, 8),
    "21.G": _s("21", 40, 29, 8),
    "21.H": _s("21", 40, 41, 8),
    "21.I": _s("21", 42, 5, 8),
    "21.J": _s("21", 42, 17, 8),
    "21.K": _s("21", 42, 29, 8),
    "21.L": _s("21", 42, 41, 8),
    "23": _s("23", 42, 53, 29),
    "25.number": _s("25", 59, 4, 11),
    "25.ssn": _s("25", 59, 16, 1),
    "25.ein": _s("25", 59, 18, 1),
    "26": _s("26", 59, 22, 20),
    "27.yes": _s("27", 59, 44, 1),
    "27.no": _s("27", 59, 48, 1),
    "28.dollars": _s("28", 59, 53, 9, "right"),
    "28.cents": _s("28", 59, 63, 2),
    "29.dollars": _s("29", 59, 66, 8, "right"),
    "29.cents": _s("29", 59, 75, 2),
    "33.phone": _s("33", 60, 72, 11),
    "32.name": _s("32", 62, 26, 25),
    "33.name": _s("33", 62, 53, 30),
    "31.name": _s("31", 63, 4, 21),
    "32.street": _s("32", 63, 26, 25),
    "33.street": _s("33", 63, 53, 30),
    "31.signed": _s("31", 64, 4, 17),
    "32.city": _s("32", 64, 26, 25),
    "33.city": _s("33", 64, 53, 30),
    "31.date": _s("31", 65, 4, 8),
    "32a": _s("32a", 65, 27, 10),
    "32b": _s("32b", 65, 39, 13),
    "33a": _s("33a", 65, 54, 10),
    "33b": _s("33b", 65, 67, 16),
}

#: One service line's fields: key -> spot whose ``row`` is 0 (shaded) or 1 (the line itself).
LINE_SPOTS: dict[str, Spot] = {
    "supplemental": _s("24", 0, 3, 61),
    "24I.qual": _s("24I", 0, 69, 2),
    "24J.other": _s("24J", 0, 72, 11),
    "24A.from": _s("24A", 1, 3, 8),  # MM DD YY
    "24A.to": _s("24A", 1, 12, 8),
    "24B": _s("24B", 1, 21, 2),
    "24C": _s("24C", 1, 24, 2),
    "24D.code": _s("24D", 1, 27, 6),
    "24D.mod1": _s("24D", 1, 34, 2),
    "24D.mod2": _s("24D", 1, 37, 2),
    "24D.mod3": _s("24D", 1, 40, 2),
    "24D.mod4": _s("24D", 1, 43, 2),
    "24E": _s("24E", 1, 46, 4),
    "24F.dollars": _s("24F", 1, 51, 7, "right"),
    "24F.cents": _s("24F", 1, 59, 2),
    "24G": _s("24G", 1, 62, 4, "right"),
    "24H": _s("24H", 1, 67, 1),
    "24J.npi": _s("24J", 1, 72, 11),
}


def line_row(number: int, shaded: bool) -> int:
    """The sheet row of service line ``number`` (1-6): its shaded row, or its own row."""
    if not 1 <= number <= LINES_PER_FORM:
        raise ValueError(f"service line {number}: item 24 has lines 1 to {LINES_PER_FORM}")
    first = FIRST_LINE_ROW + 2 * (number - 1)
    return first if shaded else first + 1


def _b(item: str, caption: str, top: int, left: int, bottom: int, right: int) -> Box:
    return Box(item, caption, top, left, bottom, right)


_LAST_LINE_ROW = FIRST_LINE_ROW + 2 * LINES_PER_FORM - 1  # 57

#: The complete form's boxes, top to bottom, left to right (captions are the form's labels).
BOXES: tuple[Box, ...] = (
    _b("carrier", "", 1, 52, 5, 83),  # no caption: the payer's name and address
    _b(
        "1",
        "1. MEDICARE  MEDICAID  TRICARE  CHAMPVA  GROUP HEALTH PLAN  FECA BLK LUNG  OTHER",
        7,
        3,
        8,
        51,
    ),
    _b("1a", "1a. INSURED'S I.D. NUMBER (For Program in Item 1)", 7, 52, 8, 83),
    _b("2", "2. PATIENT'S NAME (Last Name, First Name, Middle Initial)", 9, 3, 10, 31),
    _b("3", "3. PATIENT'S BIRTH DATE (MM DD YY)   SEX  M  F", 9, 32, 10, 51),
    _b("4", "4. INSURED'S NAME (Last Name, First Name, Middle Initial)", 9, 52, 10, 83),
    _b(
        "5", "5. PATIENT'S ADDRESS (No., Street) / CITY  STATE / ZIP CODE  TELEPHONE", 11, 3, 16, 31
    ),
    _b("6", "6. PATIENT RELATIONSHIP TO INSURED  Self Spouse Child Other", 11, 32, 12, 51),
    _b(
        "7",
        "7. INSURED'S ADDRESS (No., Street) / CITY  STATE / ZIP CODE  TELEPHONE",
        11,
        52,
        16,
        83,
    ),
    _b("8", "8. RESERVED FOR NUCC USE", 13, 32, 16, 51),
    _b("9", "9. OTHER INSURED'S NAME (Last Name, First Name, Middle Initial)", 17, 3, 18, 31),
    _b("10", "10. IS PATIENT'S CONDITION RELATED TO:", 17, 32, 18, 51),
    _b("11", "11. INSURED'S POLICY GROUP OR FECA NUMBER", 17, 52, 18, 83),
    _b("9a", "a. OTHER INSURED'S POLICY OR GROUP NUMBER", 19, 3, 20, 31),
    _b("10a", "a. EMPLOYMENT? (Current or Previous)  YES  NO", 19, 32, 20, 51),
    _b("11a", "a. INSURED'S DATE OF BIRTH   SEX  M  F", 19, 52, 20, 83),
    _b("9b", "b. RESERVED FOR NUCC USE", 21, 3, 22, 31),
    _b("10b", "b. AUTO ACCIDENT?  YES  NO   PLACE (State)", 21, 32, 22, 51),
    _b("11b", "b. OTHER CLAIM ID (Designated by NUCC)", 21, 52, 22, 83),
    _b("9c", "c. RESERVED FOR NUCC USE", 23, 3, 24, 31),
    _b("10c", "c. OTHER ACCIDENT?  YES  NO", 23, 32, 24, 51),
    _b("11c", "c. INSURANCE PLAN NAME OR PROGRAM NAME", 23, 52, 24, 83),
    _b("9d", "d. INSURANCE PLAN NAME OR PROGRAM NAME", 25, 3, 26, 31),
    _b("10d", "10d. CLAIM CODES (Designated by NUCC)", 25, 32, 26, 51),
    _b("11d", "d. IS THERE ANOTHER HEALTH BENEFIT PLAN?  YES  NO", 25, 52, 26, 83),
    _b("12", "12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE   SIGNED / DATE", 27, 3, 30, 51),
    _b("13", "13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE   SIGNED", 27, 52, 30, 83),
    _b("14", "14. DATE OF CURRENT ILLNESS, INJURY, or PREGNANCY (LMP)   QUAL.", 31, 3, 32, 31),
    _b("15", "15. OTHER DATE   QUAL.", 31, 32, 32, 51),
    _b("16", "16. DATES PATIENT UNABLE TO WORK IN CURRENT OCCUPATION", 31, 52, 32, 83),
    _b("17", "17. NAME OF REFERRING PROVIDER OR OTHER SOURCE", 33, 3, 34, 31),
    _b("17a", "17a.", 33, 32, 33, 51),
    _b("17b", "17b. NPI", 34, 32, 34, 51),
    _b("18", "18. HOSPITALIZATION DATES RELATED TO CURRENT SERVICES", 33, 52, 34, 83),
    _b("19", "19. ADDITIONAL CLAIM INFORMATION (Designated by NUCC)", 35, 3, 36, 51),
    _b("20", "20. OUTSIDE LAB?   $ CHARGES", 35, 52, 36, 83),
    _b(
        "21",
        "21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY Relate A-L to service line below (24E)"
        "   ICD Ind.",
        37,
        3,
        42,
        51,
    ),
    _b("22", "22. RESUBMISSION CODE   ORIGINAL REF. NO.", 37, 52, 38, 83),
    _b("23", "23. PRIOR AUTHORIZATION NUMBER", 39, 52, 42, 83),
    _b("24", "", 43, 3, _LAST_LINE_ROW, 83),  # captioned by its columns
    _b("24A", "24. A. DATE(S) OF SERVICE From / To (MM DD YY)", 43, 3, _LAST_LINE_ROW, 20),
    _b("24B", "B. PLACE OF SERV.", 43, 21, _LAST_LINE_ROW, 23),
    _b("24C", "C. EMG", 43, 24, _LAST_LINE_ROW, 26),
    _b(
        "24D",
        "D. PROCEDURES, SERVICES, OR SUPPLIES CPT/HCPCS  MODIFIER",
        43,
        27,
        _LAST_LINE_ROW,
        45,
    ),
    _b("24E", "E. DIAGNOSIS POINTER", 43, 46, _LAST_LINE_ROW, 50),
    _b("24F", "F. $ CHARGES", 43, 51, _LAST_LINE_ROW, 61),
    _b("24G", "G. DAYS OR UNITS", 43, 62, _LAST_LINE_ROW, 66),
    _b("24H", "H. EPSDT", 43, 67, _LAST_LINE_ROW, 68),
    _b("24I", "I. ID. QUAL.", 43, 69, _LAST_LINE_ROW, 71),
    _b("24J", "J. RENDERING PROVIDER ID. #", 43, 72, _LAST_LINE_ROW, 83),
    _b("25", "25. FEDERAL TAX I.D. NUMBER   SSN EIN", 58, 3, 59, 20),
    _b("26", "26. PATIENT'S ACCOUNT NO.", 58, 21, 59, 41),
    _b("27", "27. ACCEPT ASSIGNMENT?  YES  NO", 58, 42, 59, 51),
    _b("28", "28. TOTAL CHARGE", 58, 52, 59, 64),
    _b("29", "29. AMOUNT PAID", 58, 65, 59, 77),
    _b("30", "30. Rsvd for NUCC Use", 58, 78, 59, 83),
    _b(
        "31",
        "31. SIGNATURE OF PHYSICIAN OR SUPPLIER INCLUDING DEGREES OR CREDENTIALS",
        60,
        3,
        65,
        24,
    ),
    _b("32", "32. SERVICE FACILITY LOCATION INFORMATION", 60, 25, 64, 51),
    _b("33", "33. BILLING PROVIDER INFO & PH #", 60, 52, 64, 83),
    _b("32a", "a.", 65, 25, 65, 37),
    _b("32b", "b.", 65, 38, 65, 51),
    _b("33a", "a.", 65, 52, 65, 64),
    _b("33b", "b.", 65, 65, 65, 83),
)
