"""The demo clinic's NPIs: each therapist has her own individual NPI, never the clinic's (issue 11
item 12), and the scrubber has nothing to say about them."""

from __future__ import annotations

import datetime as dt

from otbill.codes import npi
from otbill.rules.registry import load_rules
from otbill.services.claims.scrub import build_scrub_context
from otbill.settings import load_settings
from otbill.storage import Database
from otbill.storage.tables import ClaimRow
from support.democlinic import load_demo_copy


def test_every_demo_provider_has_her_own_valid_individual_npi(db: Database) -> None:
    run = build_scrub_context(load_settings(), dt.date(2025, 4, 1))
    report = load_demo_copy(db, run, load_rules())
    with db.unit_of_work(report.clinic_id) as uow:
        clinic = uow.providers.billing().npi
        numbers = [p.npi for p in uow.providers.all()]
        claims = uow.records.find(ClaimRow)
        npi_findings = [f for c in claims for f in c.findings if f["rule"] in ("PRV001", "PRV005")]
    assert claims and len(numbers) == 3
    assert all(npi.is_valid(n) for n in [clinic, *numbers])
    assert clinic not in numbers and len(set(numbers)) == len(numbers)
    assert not npi_findings
