"""A claim → what each item of the 1500 claim form (02/12) says, form by form.

What goes where follows the NUCC 1500 Reference Instruction Manual for form version 02/12 and
carries the same facts the 837P writer sends (loop 2300 CLM → items 22, 26, 28; HI → 21; REF*G1
→ 23; 2310A → 17; 2400 SV1/DTP*472 → 24A-24G; 2320/2330 → 9, 9a, 9d, 11d):

- all text in capital letters; names LAST, FIRST; addresses without punctuation;
- dates of birth (3, 11a) as MM DD YYYY, other dates as MM DD YY;
- item 21: the ICD indicator 0 (ICD-10-CM) and up to twelve codes A-L without the period;
  item 24E points at them by letter (up to four: "AB");
- amounts split into dollars (right-justified, no $ and no commas) and cents (00 for whole);
- six service lines per form; a claim with more lines continues on further forms, each one
  complete (items 1-23 and 25-33 repeated), each form's item 28 the total of its own lines
  (item 28: "total of all charges in 24F"), and "PAGE n OF m" at the top right.

A claim the form cannot carry is refused with every reason in plain words
(:func:`paper_problems`), never printed half right.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from otbill.domain.claim import Address, Claim, Provider, ServiceLine
from otbill.errors import OtbillError
from otbill.pdf.cms1500_layout import LINE_SPOTS, LINES_PER_FORM, SPOTS, Spot

__all__ = ["PaperClaimError", "PaperForm", "paper_forms", "paper_problems"]

LETTERS = "ABCDEFGHIJKL"
MAX_DIAGNOSES = len(LETTERS)
MAX_MODIFIERS = 4
MAX_POINTERS = 4
CHECK = "X"
_PUNCTUATION = re.compile(r"[.,#]")


class PaperClaimError(OtbillError):
    """A claim that cannot be printed on the 1500 form; the message names the claim and item."""


@dataclass(frozen=True, slots=True)
class PaperForm:
    """One printed form: header items by spot key, and up to six service lines."""

    page: int
    pages: int
    items: dict[str, str] = field(default_factory=dict)
    lines: tuple[dict[str, str], ...] = ()
    total: Decimal = Decimal(0)


def _text(value: str) -> str:
    """Capitals the form's pica type prints: accents folded, anything else beyond ASCII '?'."""
    folded = unicodedata.normalize("NFKD", value)
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return plain.encode("ascii", "replace").decode("ascii").upper().strip()


def _street(address: Address) -> str:
    text = f"{address.line1} {address.line2 or ''}"
    return " ".join(_PUNCTUATION.sub(" ", _text(text)).split())


def _person(last: str, first: str) -> str:
    return f"{_text(last)}, {_text(first)}"


def _long_date(day: dt.date) -> str:
    return day.strftime("%m %d %Y")


def _short_date(day: dt.date) -> str:
    return day.strftime("%m %d %y")


def _split(amount: Decimal) -> tuple[str, str]:
    cents = int((amount * 100).quantize(Decimal(1)))
    return str(cents // 100), f"{cents % 100:02d}"


def _dx(code: str) -> str:
    return code.replace(".", "").strip().upper()


def _program(profile: str) -> str:
    """Item 1's box, from the payer profile's name (as the 837P's SBR09 reads it)."""
    name = profile.lower()
    if name.startswith("medicare"):
        return "1.medicare"
    if name.startswith("medicaid"):
        return "1.medicaid"
    return "1.group"


def _fits(problems: list[str], claim: Claim, what: str, text: str, width: int) -> None:
    if len(text) > width:
        problems.append(
            f"claim {claim.claim_id}: {what} {text!r} is {len(text)} characters, "
            f"longer than the {width} the form's box holds"
        )


def _line_problems(claim: Claim, number: int, line: ServiceLine) -> list[str]:
    where = f"claim {claim.claim_id}: service line {number}"
    out: list[str] = []
    if len(line.modifiers) > MAX_MODIFIERS:
        out.append(f"{where} has {len(line.modifiers)} modifiers; item 24D holds 4")
    if not line.dx_pointers:
        out.append(f"{where} points at no diagnosis (item 24E)")
    if len(line.dx_pointers) > MAX_POINTERS:
        out.append(f"{where} points at {len(line.dx_pointers)} diagnoses; item 24E holds 4")
    beyond = [p for p in line.dx_pointers if p > len(claim.diagnoses)]
    if beyond and claim.diagnoses:
        out.append(
            f"{where} points at diagnosis {beyond[0]} but item 21 lists "
            f"{len(claim.diagnoses)} diagnosis code(s)"
        )
    _fits(out, claim, f"service line {number} procedure code", _text(line.code), 6)
    return out


def paper_problems(claim: Claim) -> list[str]:
    """Every reason ``claim`` cannot be printed on the 1500 form (empty: it can)."""
    problems: list[str] = []
    if not claim.diagnoses:
        problems.append(f"claim {claim.claim_id} has no diagnosis for item 21")
    if len(claim.diagnoses) > MAX_DIAGNOSES:
        problems.append(
            f"claim {claim.claim_id} has {len(claim.diagnoses)} diagnoses; item 21 holds 12 "
            "(A-L): split the claim"
        )
    for n, code in enumerate(claim.diagnoses[:MAX_DIAGNOSES]):
        _fits(problems, claim, f"diagnosis {LETTERS[n]}", _dx(code), SPOTS["21.A"].width)
    if claim.frequency_code in ("7", "8") and not claim.original_claim_number:
        problems.append(
            f"claim {claim.claim_id} replaces or voids a claim (item 22 code "
            f"{claim.frequency_code}) but the payer's original claim number is not known"
        )
    _fits(problems, claim, "patient account number (item 26)", _text(claim.claim_id),
          SPOTS["26"].width)  # fmt: skip
    for number, line in enumerate(claim.lines, start=1):
        problems += _line_problems(claim, number, line)
    return problems


def _insured(claim: Claim, items: dict[str, str]) -> None:
    """Items 1a, 4, 6, 7, 11, 11a, 11c: the insured of this claim's payer."""
    patient, sub = claim.patient, claim.subscriber
    items["1a"] = _text(sub.member_id if sub else patient.member_id)
    items["4"] = (
        _person(sub.last_name, sub.first_name)
        if sub
        else _person(patient.last_name, patient.first_name)
    )
    items[f"6.{sub.relationship if sub else 'self'}"] = CHECK
    address = sub.address if sub else patient.address
    if address is not None:
        items.update({"7.street": _street(address), "7.city": _text(address.city),
                      "7.state": address.state, "7.zip": address.zip})  # fmt: skip
    dob, sex = (sub.dob, sub.sex) if sub else (patient.dob, patient.sex)
    if dob is not None:
        items["11a.dob"] = _long_date(dob)
    if sex in ("M", "F"):
        items[f"11a.sex.{sex}"] = CHECK
    if _program(claim.payer.profile) == "1.medicare":
        items["11"] = "NONE"  # billed to Medicare first: no insurance is primary to Medicare
    items["11c"] = _text(claim.payer.name)


def _patient(claim: Claim, items: dict[str, str]) -> None:
    """Items 2, 3 and 5."""
    patient = claim.patient
    items["2"] = _person(patient.last_name, patient.first_name)
    items["3.dob"] = _long_date(patient.dob)
    if patient.sex in ("M", "F"):
        items[f"3.sex.{patient.sex}"] = CHECK
    if patient.address is not None:
        a = patient.address
        items.update({"5.street": _street(a), "5.city": _text(a.city), "5.state": a.state,
                      "5.zip": a.zip})  # fmt: skip


def _others(claim: Claim, items: dict[str, str]) -> None:
    """Items 9, 9a, 9d and 11d: the next payer in line, if any."""
    items["11d.yes" if claim.other_coverages else "11d.no"] = CHECK
    if not claim.other_coverages:
        return
    other = claim.other_coverages[0]
    items["9"] = _person(other.last_name, other.first_name)
    items["9a"] = _text(other.group_number or other.member_id)
    items["9d"] = _text(other.payer.name)


def _provider_name(provider: Provider) -> str:
    credential = f" {provider.credential}" if provider.credential else ""
    return _text(f"{provider.first_name} {provider.last_name}{credential}")


def _claim_items(claim: Claim, items: dict[str, str]) -> None:
    """Items 10, 12, 13, 17, 21, 22, 23."""
    for item in ("10a", "10b", "10c"):  # the 837P sends no related cause (CLM11) either
        items[f"{item}.no"] = CHECK
    items["12.signed"] = "SIGNATURE ON FILE"  # CLM09: release of information on file
    items["13.signed"] = "SIGNATURE ON FILE"  # CLM08: benefits assigned
    if claim.referring_provider is not None:
        items["17.qual"] = "DN"
        items["17.name"] = _provider_name(claim.referring_provider)
        items["17b"] = claim.referring_provider.npi
    items["21.ind"] = "0"  # ICD-10-CM
    for letter, code in zip(LETTERS, claim.diagnoses, strict=False):
        items[f"21.{letter}"] = _dx(code)
    if claim.frequency_code in ("7", "8"):
        items["22.code"] = claim.frequency_code
        items["22.original"] = _text(claim.original_claim_number or "")
    if claim.prior_authorization is not None:
        items["23"] = _text(claim.prior_authorization.number)


def _providers(claim: Claim, items: dict[str, str], printed_on: dt.date) -> None:
    """Items 25-27, 31-33."""
    billing = claim.billing_provider
    items["25.number"] = billing.tax_id
    items["25.ein"] = CHECK
    items["26"] = _text(claim.claim_id)
    items["27.yes"] = CHECK  # CLM07 "A": assignment accepted
    signer = claim.rendering_provider
    if signer is not None:
        items["31.name"] = _provider_name(signer)
    items["31.signed"] = "SIGNATURE ON FILE"
    items["31.date"] = _short_date(printed_on)
    facility = claim.service_facility
    where = facility.address if facility else billing.address
    items["32.name"] = _text(facility.name if facility else billing.name)
    items["32.street"] = _street(where)
    items["32.city"] = f"{_text(where.city)} {where.state} {where.zip}"
    if facility is None:
        items["32a"] = billing.npi
    items["33.name"] = _text(billing.name)
    items["33.street"] = _street(billing.address)
    items["33.city"] = (
        f"{_text(billing.address.city)} {billing.address.state} {billing.address.zip}"
    )
    items["33a"] = billing.npi
    if billing.taxonomy:
        items["33b"] = f"ZZ{billing.taxonomy}"


def _header(claim: Claim, printed_on: dt.date) -> dict[str, str]:
    items: dict[str, str] = {
        "carrier.name": _text(claim.payer.name),
        _program(claim.payer.profile): CHECK,
    }
    _patient(claim, items)
    _insured(claim, items)
    _others(claim, items)
    _claim_items(claim, items)
    _providers(claim, items, printed_on)
    return items


def _line(claim: Claim, line: ServiceLine) -> dict[str, str]:
    dollars, cents = _split(line.charge)
    out = {
        "24A.from": _short_date(line.date),
        "24A.to": _short_date(line.date),
        "24B": claim.place_of_service,
        "24D.code": _text(line.code),
        "24E": "".join(LETTERS[p - 1] for p in line.dx_pointers),
        "24F.dollars": dollars,
        "24F.cents": cents,
        "24G": str(line.units),
    }
    for n, modifier in enumerate(line.modifiers, start=1):
        out[f"24D.mod{n}"] = _text(modifier)
    rendering = line.rendering_npi or (
        claim.rendering_provider.npi if claim.rendering_provider else None
    )
    if rendering:
        out["24J.npi"] = rendering
    provider = claim.rendering_provider
    if provider is not None and provider.taxonomy and rendering == provider.npi:
        out["24I.qual"] = "ZZ"  # the shaded part: the rendering provider's taxonomy
        out["24J.other"] = provider.taxonomy
    return out


def _chunks(lines: Sequence[ServiceLine]) -> list[Sequence[ServiceLine]]:
    return [lines[i : i + LINES_PER_FORM] for i in range(0, len(lines), LINES_PER_FORM)]


def paper_forms(claim: Claim, *, printed_on: dt.date) -> list[PaperForm]:
    """The forms that print ``claim``: one per six service lines, each complete."""
    problems = paper_problems(claim)
    if problems:
        raise PaperClaimError("; ".join(problems))
    header = _header(claim, printed_on)
    chunks = _chunks(claim.lines)
    forms = []
    for page, chunk in enumerate(chunks, start=1):
        total = sum((line.charge for line in chunk), Decimal(0))
        dollars, cents = _split(total)
        items = {**header, "28.dollars": dollars, "28.cents": cents}
        if len(chunks) > 1:
            items["page"] = f"PAGE {page} OF {len(chunks)}"
        lines = tuple(_line(claim, line) for line in chunk)
        forms.append(PaperForm(page, len(chunks), items, lines, total))
    _check_widths(claim, forms)
    return forms


#: Free text a typist would cut at the box's edge; every other item is refused when too long.
_CUT = frozenset({
    "carrier.name", "2", "4", "5.street", "5.city", "7.street", "7.city", "9", "9d", "11c",
    "17.name", "31.name", "32.name", "32.street", "32.city", "33.name", "33.street", "33.city",
})  # fmt: skip
_NAMES = {
    "1a": "item 1a (the insured's ID number)",
    "9a": "item 9a (the other insured's policy or group number)",
    "11": "item 11 (the insured's group number)",
    "17b": "item 17b (the referring provider's NPI)",
    "22.original": "item 22 (the original reference number)",
    "23": "item 23 (the prior authorization number)",
    "25.number": "item 25 (the federal tax ID)",
    "32a": "item 32a (the service facility's NPI)",
    "33a": "item 33a (the billing provider's NPI)",
    "33b": "item 33b (the billing provider's taxonomy)",
    "24D.code": "item 24D (the procedure code)",
    "24F.dollars": "item 24F (the charge)",
    "24G": "item 24G (the units)",
    "24J.npi": "item 24J (the rendering provider's NPI)",
    "24J.other": "item 24J shaded (the rendering provider's taxonomy)",
    "28.dollars": "item 28 (the total charge)",
}


def _fitted(claim: Claim, items: dict[str, str], spots: dict[str, Spot], where: str) -> list[str]:
    """Cut free text to its box; the reasons an identifier or amount does not fit."""
    problems: list[str] = []
    for key, text in items.items():
        width = spots[key].width
        if key in _CUT:
            items[key] = text[:width].rstrip()
        else:
            _fits(problems, claim, where + _NAMES.get(key, f"item {key}"), text, width)
    return problems


def _check_widths(claim: Claim, forms: Sequence[PaperForm]) -> None:
    """Cut names and addresses to their boxes; refuse a claim whose codes or IDs do not fit."""
    problems: list[str] = []
    for f in forms:
        problems += _fitted(claim, f.items, SPOTS, "")
        for number, line in enumerate(f.lines, start=(f.page - 1) * LINES_PER_FORM + 1):
            problems += _fitted(claim, line, LINE_SPOTS, f"service line {number}: ")
    if problems:
        raise PaperClaimError("; ".join(dict.fromkeys(problems)))
