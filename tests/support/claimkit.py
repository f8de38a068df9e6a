"""Shared helpers for rule tests: a claim that every rule passes, and a one-call scrub.

Tests start from ``clean_claim_data()`` (a Medicare OT claim that is clean on ``TODAY``), change the
one fact the rule is about, and assert the rule's finding — and, for the clean claim, its absence.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from typing import Any

from pydantic import TypeAdapter

from otbill.domain.claim import Claim
from otbill.payers import load_profiles
from otbill.refdata.store import load_mue, load_ncci_ptp
from otbill.rules.context import ScrubContext
from otbill.rules.engine import scrub_batch
from otbill.rules.registry import Finding, load_rules
from otbill.rules.selection import select_rules

TODAY = dt.date(2025, 2, 20)
CLAIM = TypeAdapter(Claim)

_CLEAN: dict[str, Any] = {
    "claim_id": "CLM-0001",
    "payer": {"profile": "medicare", "payer_id": "00435", "name": "Medicare Part B", "network": "in"},
    "patient": {
        "id": "P001", "first_name": "Ann", "last_name": "Lee", "dob": "1948-05-02", "sex": "F",
        "member_id": "1EG4TE5MK73",
        "address": {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701"},
    },
    "subscriber": None,
    "billing_provider": {
        "name": "Hands On OT", "npi": "1234567893", "tax_id": "741234567", "taxonomy": "225X00000X",
        "address": {"line1": "9 Oak Ave", "city": "Austin", "state": "TX", "zip": "787011234"},
    },
    "rendering_provider": {"npi": "1245319599", "first_name": "Rita", "last_name": "Cole", "credential": "OTR/L"},
    "referring_provider": {"npi": "1003000126", "first_name": "Sam", "last_name": "Ng"},
    "place_of_service": "11",
    "diagnoses": ["M62.81", "R26.89"],
    "prior_authorization": {"number": "A123", "from": "2025-01-01", "to": "2025-03-31", "visits_authorized": 12, "visits_used": 5},
    "eligibility": {"verified_on": "2025-02-01", "active": True},
    "plan_of_care": {"start": "2025-01-10", "certified_on": "2025-01-20", "recert_due": "2025-04-09"},
    "visit_number": 7,
    "last_progress_report_visit": 1,
    "ytd_therapy_allowed": "1800.00",
    "documentation": {
        "note_type": "daily", "signed": True, "current_status": True, "goals": True, "interventions": True,
        "medical_necessity": True, "total_timed_minutes": 24, "total_treatment_minutes": 30,
    },
    "lines": [
        {"date": "2025-02-14", "code": "97530", "minutes": 24, "units": 2, "modifiers": ["GO"],
         "charge": "90.00", "dx_pointers": [1, 2], "furnished_by_assistant": False},
    ],
    "history": [{"claim_id": "CLM-0000", "date": "2025-02-07", "code": "97530", "rendering_npi": "1245319599", "units": 2}],
}  # fmt: skip


def clean_claim_data() -> dict[str, Any]:
    """A deep copy of the clean claim as JSON-like data, to change and build with ``make_claim``."""
    return copy.deepcopy(_CLEAN)


def make_claim(data: dict[str, Any] | None = None) -> Claim:
    return CLAIM.validate_python(clean_claim_data() if data is None else data)


def scrub(
    claims: Claim | Iterable[Claim],
    *,
    today: dt.date = TODAY,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> list[Finding]:
    """All findings for one claim or a batch, with every rule (or the selected ones)."""
    batch = [claims] if isinstance(claims, Claim) else list(claims)
    on = min(line.date for claim in batch for line in claim.lines)
    run = ScrubContext(
        profiles=load_profiles(),
        today=today,
        ncci=load_ncci_ptp(on, []),
        mue=load_mue(on, []),
    )
    rules = select_rules(load_rules(), list(select), list(ignore))
    return [f for result in scrub_batch(batch, run, rules) for f in result.findings]


def codes(findings: Iterable[Finding]) -> set[str]:
    return {f.rule for f in findings}
