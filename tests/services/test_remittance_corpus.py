"""Real published 835s posted into a clinic that has none of their claims: all queued, no crash."""

from __future__ import annotations

import re

import pytest

from otbill.services.exchange.files import open_work_items
from otbill.services.remittances.post import PayeeRefused, RemittanceRefused, post_remittance
from otbill.storage import Database
from otbill.storage.tables import PostingRow
from otbill.x12.findings import X12Error
from support.clinickit import seed_clinic
from support.shared import shared_path

CORPUS = shared_path("corpus/x12") / "835"
FILES = sorted(CORPUS.glob("*")) if CORPUS.is_dir() else []


@pytest.mark.shared("corpus/x12")
def test_corpus_835s_go_to_the_work_queue(db: Database) -> None:
    # the corpus lives in the shared folder: skipped without it, a failure when CI is set
    assert len(FILES) >= 17, f"the 835 corpus is missing at {CORPUS}"
    ids = seed_clinic(db)
    queued = refused = 0
    for path in FILES:
        try:
            report = post_remittance(db, ids.clinic, ids.biller, path, any_payee=True)
        except (RemittanceRefused, X12Error) as exc:
            assert re.search(r"segment \d+ [A-Z0-9]{2,3}", str(exc)), f"{path.name}: {exc}"
            refused += 1
            continue
        # two corpus files carry the same remittance (same payer, trace and claims): the second
        # one's claims are "already posted" (queued once), as a re-sent 835 must be
        assert report.matched == 0 and report.postings == 0, path.name
        assert report.unmatched + report.already_posted_claims == report.claims, path.name
        queued += report.unmatched
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.records.count(PostingRow) == 0
        assert len([w for w in open_work_items(uow) if w.kind == "835"]) >= queued > 0
    assert refused < len(FILES)


@pytest.mark.shared("corpus/x12")
def test_corpus_835s_pay_other_payees_and_are_refused_without_any_payee(db: Database) -> None:
    # every published sample pays a hospital or a test provider, never this clinic: without
    # any_payee each readable one is refused, naming the payee it found, and nothing is kept
    assert FILES, f"the 835 corpus is missing at {CORPUS}"
    ids = seed_clinic(db)
    payees = 0
    for path in FILES:
        try:
            post_remittance(db, ids.clinic, ids.biller, path)
        except PayeeRefused as exc:
            assert "this 835 pays " in str(exc) and "nothing posted" in str(exc), str(exc)
            payees += 1
        except (RemittanceRefused, X12Error):
            continue
        else:
            raise AssertionError(f"{path.name} posted into a clinic it does not pay")
    assert payees >= 9
    with db.unit_of_work(ids.clinic) as uow:
        assert open_work_items(uow) == []
