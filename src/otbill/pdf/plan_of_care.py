"""The plan-of-care certification request the clinic faxes to the physician to sign and date.

What it shows follows Pub 100-02, ch. 15, §220.1.2-220.1.3: the diagnoses, long-term goals, and
the type, amount, frequency and duration of therapy, with a line for the physician's signature
and date. Fonts are the PDF core fonts (Latin-1), so text is folded to what they can print.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fpdf import FPDF

from otbill.domain.care import PlanOfCare
from otbill.domain.parties import Patient
from otbill.domain.plans import Physician, certification_deadline

__all__ = ["PlanRequestFacts", "render_certification_request"]

_WIDTH = 180  # printable width in mm on A4/Letter with 15 mm margins


@dataclass(frozen=True, slots=True)
class PlanRequestFacts:
    """Everything the request prints."""

    clinic_name: str
    clinic_npi: str
    clinic_address: str
    patient: Patient
    physician: Physician | None
    plan: PlanOfCare
    recertification: bool


def _latin1(text: str) -> str:
    """Text the core fonts can print: characters outside Latin-1 become '?'."""
    return text.encode("latin-1", "replace").decode("latin-1")


def _row(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(45, 6, _latin1(label))
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(_WIDTH - 45, 6, _latin1(value), new_x="LMARGIN", new_y="NEXT")


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(_WIDTH, 7, _latin1(text), new_x="LMARGIN", new_y="NEXT")


def _title(pdf: FPDF, facts: PlanRequestFacts) -> None:
    kind = "Recertification" if facts.recertification else "Certification"
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(_WIDTH, 9, f"Plan of Care - {kind} Request", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(_WIDTH, 5, _latin1(facts.clinic_name), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(_WIDTH, 5, _latin1(facts.clinic_address), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(_WIDTH, 5, f"Clinic NPI {facts.clinic_npi}", new_x="LMARGIN", new_y="NEXT")


def _parties(pdf: FPDF, facts: PlanRequestFacts) -> None:
    patient = facts.patient
    _heading(pdf, "Patient")
    _row(pdf, "Name", f"{patient.first_name} {patient.last_name}")
    _row(pdf, "Date of birth", patient.dob.isoformat())
    _row(pdf, "Account / MRN", patient.mrn)
    _heading(pdf, "Certifying physician")
    physician = facts.physician
    plan = facts.plan
    name = (
        physician.name if physician else f"{plan.certifying_first_name} {plan.certifying_last_name}"
    )
    _row(pdf, "Name", name)
    _row(pdf, "NPI", physician.npi if physician else plan.certifying_npi)
    if physician and physician.fax:
        _row(pdf, "Fax", physician.fax)


def _plan(pdf: FPDF, plan: PlanOfCare) -> None:
    _heading(pdf, "Plan of care (occupational therapy)")
    _row(pdf, "Start date", plan.start.isoformat())
    _row(pdf, "Diagnoses", ", ".join(plan.diagnoses))
    _row(pdf, "Goals", plan.goals)
    _row(pdf, "Frequency", f"{plan.frequency_per_week} visits per week")
    _row(pdf, "Duration", f"{plan.duration_weeks} weeks")
    if plan.recert_due:
        _row(pdf, "Certified through", plan.recert_due.isoformat())


def _signature(pdf: FPDF, plan: PlanOfCare) -> None:
    _heading(pdf, "Physician certification")
    pdf.set_font("Helvetica", "", 10)
    text = (
        "I certify that the patient needs occupational therapy and that the services above are "
        "furnished under this plan of care while the patient is under my care. Please sign, date "
        f"and return by {certification_deadline(plan.start).isoformat()}."
    )
    pdf.multi_cell(_WIDTH, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.cell(110, 6, "Physician signature: ______________________________")
    pdf.cell(70, 6, "Date: ______________", new_x="LMARGIN", new_y="NEXT")


def render_certification_request(facts: PlanRequestFacts, *, printed_on: dt.date) -> bytes:
    """The request as PDF bytes."""
    pdf = FPDF(format="letter")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_creation_date(dt.datetime.combine(printed_on, dt.time(), dt.UTC))
    pdf.set_title("Plan of care certification request")
    pdf.add_page()
    _title(pdf, facts)
    _parties(pdf, facts)
    _plan(pdf, facts.plan)
    _signature(pdf, facts.plan)
    return bytes(pdf.output())
