"""The Good Faith Estimate for a patient who has no insurance or pays for themselves.

Content follows 45 CFR 149.610(c)(1) (No Surprises Act; PHS Act §2799B-6): the patient's name and
date of birth; a description of the primary service in clear language and its scheduled date;
an itemized list of the services reasonably expected, each with its service code, the diagnosis
codes and the expected charge; the provider's name, NPI and TIN and the state and office where
the services are expected to be furnished; services to be scheduled separately; and the three
disclaimers: other services may be recommended separately (viii), this is only an estimate (ix),
and the right to the patient-provider dispute resolution process when the bill is substantially
in excess, that is at least $400 more than the estimate (x; 45 CFR 149.620(a)(2)(ii)), with where
to learn how to start it and that starting it does not affect the quality of care. The date it
was issued is printed on it. Codes are described in otbill's own words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from otbill.domain.parties import Patient
from otbill.pdf._layout import WIDTH, document, heading, latin1, money, paragraph, row, table

__all__ = ["DISCLAIMERS", "EstimateLine", "GoodFaithEstimate", "render_good_faith_estimate"]

ZERO = Decimal("0.00")
DISPUTE_THRESHOLD = 400  # dollars; 45 CFR 149.620(a)(2)(ii): "substantially in excess"

DISCLAIMERS = (
    "Other services: the clinic may recommend further items or services during your care that "
    "must be scheduled or requested separately. They are not part of this estimate.",
    "This is only an estimate. It lists the items and services the clinic reasonably expects to "
    "furnish, as known on the date it was issued; the actual items, services or charges may "
    "differ from it. It is not a contract and does not oblige you to receive these services.",
    "Your right to dispute the bill: if you are billed, in total, at least "
    f"${DISPUTE_THRESHOLD} more than this "
    "estimate, you may start the patient-provider dispute resolution process with the U.S. "
    "Department of Health and Human Services within 120 calendar days of the date on the bill. "
    "To learn how, visit www.cms.gov/nosurprises/consumers or call 1-800-985-3059. Starting a "
    "dispute will not affect the quality of the care the clinic gives you. Keep a copy of this "
    "estimate, and of the bill, for your records.",
)


@dataclass(frozen=True, slots=True)
class EstimateLine:
    """One service reasonably expected: its code, units each visit, visits, price per unit."""

    code: str
    description: str
    units_per_visit: int
    visits: int
    price: Decimal  # per unit, from the clinic's price list (charge master)
    diagnoses: tuple[str, ...]

    @property
    def units(self) -> int:
        return self.units_per_visit * self.visits

    @property
    def expected(self) -> Decimal:
        return self.price * self.units


@dataclass(frozen=True, slots=True)
class GoodFaithEstimate:
    clinic_name: str
    clinic_npi: str
    tax_id: str
    location: str  # the office where the services are furnished: street, city, state, ZIP
    state: str
    patient: Patient
    primary_service: str  # in clear language
    scheduled_from: dt.date | None
    visits: int
    basis: str  # where the number of visits and the services come from
    diagnoses: tuple[tuple[str, str], ...]  # (ICD-10-CM code, description)
    lines: tuple[EstimateLine, ...]
    issued_on: dt.date

    @property
    def total(self) -> Decimal:
        return sum((line.expected for line in self.lines), ZERO)


def _tax_id(value: str) -> str:
    return f"{value[:2]}-{value[2:]}" if len(value) == 9 and value.isdigit() else value


def render_good_faith_estimate(gfe: GoodFaithEstimate) -> bytes:
    """The estimate as PDF bytes."""
    pdf = document("Good Faith Estimate of expected charges", gfe.issued_on)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(WIDTH, 5, latin1(f"Date issued: {gfe.issued_on.isoformat()}"), new_x="LMARGIN",
             new_y="NEXT")  # fmt: skip
    paragraph(pdf, "For a patient who has no health insurance or is not using it (self-pay), "
                   "under the No Surprises Act (45 CFR 149.610).", size=9)  # fmt: skip
    patient = gfe.patient
    heading(pdf, "Patient")
    row(pdf, "Name", f"{patient.first_name} {patient.last_name}")
    row(pdf, "Date of birth", patient.dob.isoformat())
    heading(pdf, "Provider")
    row(pdf, "Name", gfe.clinic_name)
    row(pdf, "NPI", gfe.clinic_npi)
    row(pdf, "Tax ID (TIN)", _tax_id(gfe.tax_id))
    row(pdf, "Where", f"{gfe.location} (state: {gfe.state})")
    heading(pdf, "What is planned")
    row(pdf, "Primary service", gfe.primary_service)
    if gfe.scheduled_from is not None:
        row(pdf, "Starting", gfe.scheduled_from.isoformat())
    row(pdf, "Visits expected", str(gfe.visits))
    row(pdf, "Based on", gfe.basis)
    if gfe.diagnoses:
        row(pdf, "Diagnoses", "; ".join(f"{code} {text}" for code, text in gfe.diagnoses))
    else:
        row(pdf, "Diagnoses", "none recorded yet")
    heading(pdf, "Itemized expected charges")
    rows = [
        (line.code, line.description, ", ".join(line.diagnoses), str(line.units_per_visit),
         str(line.visits), money(line.price), money(line.expected))
        for line in gfe.lines
    ]  # fmt: skip
    rows.append(("", "Total expected charges", "", "", "", "", money(gfe.total)))
    header = ("Code", "Service", "Diagnoses", "Units a visit", "Visits", "Price a unit",
              "Expected")  # fmt: skip
    table(pdf, header, rows, (14, 62, 22, 17, 14, 24, 27), right=(3, 4, 5, 6), bold_last=True)
    heading(pdf, "Items or services scheduled separately")
    paragraph(pdf, "None expected by the clinic at the time of this estimate.")
    heading(pdf, "Please read")
    for text in DISCLAIMERS:
        paragraph(pdf, text, size=9)
        pdf.ln(1)
    return bytes(pdf.output())
