"""Claim building bills a code family as the units engine counts it (issue 11 item 27): the
minutes of cognitive intervention recorded under 97129 alone bill 97129 once and 97130 for the
rest, and the claim is not held by the units rules or the MUE."""

from __future__ import annotations

import datetime as dt

from otbill.services.visits import record as visits
from otbill.storage import Database
from support.claimflow import build_all, claim_with_lines, record_visit
from support.clinickit import seed_clinic


def test_45_minutes_recorded_as_97129_bill_97129_once_and_97130_twice(db: Database) -> None:
    ids = seed_clinic(db)
    record_visit(db, ids, dt.date(2025, 2, 3), [visits.Service("97129", 45)])
    (claim_id,) = build_all(db, ids)
    claim, lines = claim_with_lines(db, ids, claim_id)
    assert [(x.code, x.minutes, x.units) for x in lines] == [("97129", 15, 1), ("97130", 30, 2)]
    rules = {f["rule"] for f in claim.findings if f["severity"] == "error"}
    assert not rules & {"UNT001", "UNT005", "MUE001"}, claim.findings
