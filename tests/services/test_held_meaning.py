"""The held queue's "What it means" explains each rule in a plain sentence (issue 11 item 8),
never the rule's name again."""

from __future__ import annotations

import datetime as dt

from otbill.rules.registry import load_rules
from otbill.services.views.held_findings import held_rule_groups
from otbill.services.visits import record as visits
from otbill.storage import Database
from support.claimflow import build_all, record_visit
from support.clinickit import seed_clinic


def test_each_held_rule_comes_with_what_it_means(db: Database) -> None:
    ids = seed_clinic(db)
    record_visit(db, ids, dt.date(2025, 2, 3), [visits.Service("97530", 30)], sign=False)
    build_all(db, ids)
    with db.unit_of_work(ids.clinic) as uow:
        groups = {g.code: g for g in held_rule_groups(uow)}
    assert "DOC001" in groups
    meaning = groups["DOC001"].meaning
    assert meaning == next(r.doc.summary for r in load_rules() if r.code == "DOC001")
    assert meaning.startswith("The visit's note is missing or not signed")
    assert groups["DOC001"].name.replace("-", " ") not in meaning.lower()
