"""A superbill: the itemized statement a patient sends their own insurance plan (out of network).

It carries what a plan needs to pay the patient back: the billing provider's name, address, NPI
and tax ID; each treating therapist with their NPI; the patient; the diagnoses (ICD-10-CM); each
service with its date, place of service, CPT/HCPCS code, modifiers, units and charge; and what has
been paid. Codes are described in otbill's own words, never the AMA's descriptors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from fpdf import FPDF

from otbill.domain.parties import Patient
from otbill.pdf._layout import WIDTH, document, heading, latin1, money, paragraph, row, table

__all__ = ["Superbill", "SuperbillLine", "render_superbill"]

ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class SuperbillLine:
    """One service: a code on a date, as billed (or as the charge master prices it)."""

    date: dt.date
    place_of_service: str
    code: str
    description: str
    modifiers: tuple[str, ...]
    units: int
    charge: Decimal
    paid: Decimal  # payments received on the line, from the patient and any payer
    diagnoses: tuple[str, ...]  # the ICD-10-CM codes the service treats
    provider_npi: str  # the rendering therapist's NPI


@dataclass(frozen=True, slots=True)
class Superbill:
    clinic_name: str
    clinic_address: str
    clinic_npi: str
    tax_id: str
    patient: Patient
    start: dt.date
    end: dt.date
    providers: tuple[tuple[str, str], ...]  # (name with credential, NPI) of each therapist
    diagnoses: tuple[tuple[str, str], ...]  # (ICD-10-CM code, description)
    lines: tuple[SuperbillLine, ...]
    adjustments: Decimal = ZERO  # write-offs on the lines (a plan's contractual adjustments)

    @property
    def total_charges(self) -> Decimal:
        return sum((line.charge for line in self.lines), ZERO)

    @property
    def total_paid(self) -> Decimal:
        return sum((line.paid for line in self.lines), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.total_charges - self.total_paid - self.adjustments


def _tax_id(value: str) -> str:
    return f"{value[:2]}-{value[2:]}" if len(value) == 9 and value.isdigit() else value


def _parties(pdf: FPDF, bill: Superbill) -> None:
    heading(pdf, "Billing provider")
    row(pdf, "Name", bill.clinic_name)
    row(pdf, "Address", bill.clinic_address)
    row(pdf, "NPI", bill.clinic_npi)
    row(pdf, "Tax ID (EIN)", _tax_id(bill.tax_id))
    for name, npi in bill.providers:
        row(pdf, "Therapist", f"{name}, NPI {npi}")
    patient = bill.patient
    heading(pdf, "Patient")
    row(pdf, "Name", f"{patient.first_name} {patient.last_name}")
    row(pdf, "Date of birth", patient.dob.isoformat())
    if patient.address_line1:
        zip_code = patient.zip or ""
        shown = f"{zip_code[:5]}-{zip_code[5:]}" if len(zip_code) == 9 else zip_code
        where = f"{patient.address_line1}, {patient.city}, {patient.state} {shown}"
        row(pdf, "Address", where)
    row(pdf, "Account", patient.mrn)


def render_superbill(bill: Superbill, *, issued_on: dt.date) -> bytes:
    """The superbill as PDF bytes."""
    pdf = document("Superbill - statement of services", issued_on)
    pdf.set_font("Helvetica", "", 10)
    period = f"Services from {bill.start.isoformat()} to {bill.end.isoformat()}"
    pdf.cell(WIDTH, 5, latin1(f"{period} · issued {issued_on.isoformat()}"), new_x="LMARGIN",
             new_y="NEXT")  # fmt: skip
    _parties(pdf, bill)
    heading(pdf, "Diagnoses (ICD-10-CM)")
    if bill.diagnoses:
        for code, description in bill.diagnoses:
            row(pdf, code, description, label_width=25)
    else:
        paragraph(pdf, "No diagnosis is recorded for these visits.")
    heading(pdf, "Services")
    if not bill.lines:
        paragraph(pdf, "No visits in this period.", bold=True)
        return bytes(pdf.output())
    rows = [
        (line.date.isoformat(), line.place_of_service, line.code, ", ".join(line.modifiers),
         line.description, ", ".join(line.diagnoses), str(line.units), money(line.charge),
         money(line.paid))
        for line in bill.lines
    ]  # fmt: skip
    rows.append(("", "", "", "", "Total", "", str(sum(line.units for line in bill.lines)),
                 money(bill.total_charges), money(bill.total_paid)))  # fmt: skip
    header = ("Date", "POS", "Code", "Modifiers", "Service", "Diagnoses", "Units", "Charge",
              "Paid")  # fmt: skip
    table(pdf, header, rows, (19, 9, 12, 18, 51, 21, 10, 20, 20), right=(6, 7, 8),
          bold_last=True)  # fmt: skip
    pdf.ln(2)
    row(pdf, "Total charges", money(bill.total_charges))
    row(pdf, "Paid", money(bill.total_paid))
    if bill.adjustments:
        row(pdf, "Adjustments", money(bill.adjustments))
    row(pdf, "Balance due", money(bill.balance))
    pdf.ln(3)
    paragraph(
        pdf,
        "POS is the place of service code (11: office, 02 or 10: telehealth, 12: home). Paid is "
        "what the clinic has received for the service so far. Send this statement to your health "
        "plan to ask it to pay you back under your out-of-network benefits.",
        size=9,
    )
    return bytes(pdf.output())
