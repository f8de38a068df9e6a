"""Two approvers racing on the same claim: one wins, the other is told who approved it first.

On SQLite the loser used to get a raw ``StaleDataError`` (a 500): the audit writer's query
autoflushed the claim's update outside the unit of work's error translation.
"""

from __future__ import annotations

import threading

import pytest

from otbill.domain.record_errors import RecordError
from otbill.services.claims import lifecycle as claims
from otbill.storage import Database
from otbill.storage.tables import ClaimRow, PostingRow
from support.claimflow import TODAY
from support.claimflow import ready_claim as _ready_claim
from support.clinickit import seed_clinic


@pytest.mark.parametrize("db", ["sqlite", "postgres"], indirect=True)
def test_the_losing_approver_is_told_who_approved_first(db: Database) -> None:
    ids = seed_clinic(db)
    claim_id = _ready_claim(db, ids)
    outcomes: dict[int, str] = {}
    barrier = threading.Barrier(2)

    def approve(user: int) -> None:
        try:
            barrier.wait()
            with db.unit_of_work(ids.clinic, user) as uow:
                claims.approve(uow, claim_id, TODAY)
            outcomes[user] = "won"
        except RecordError as exc:
            outcomes[user] = str(exc)
        except Exception as exc:
            outcomes[user] = f"RAW {type(exc).__name__}: {exc}"

    users = (ids.approver, ids.approver2)
    threads = [threading.Thread(target=approve, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winner = next(u for u, what in outcomes.items() if what == "won")
    loser = next(u for u in users if u != winner)
    name = "Approver" if winner == ids.approver else "Approver2"
    assert f"already approved by {name}" in outcomes[loser], outcomes
    with db.unit_of_work(ids.clinic) as uow:
        row = uow.records.get(ClaimRow, claim_id)
        assert row.status == "approved" and row.approved_by == winner
        assert uow.records.count(PostingRow) == 1  # the charge is posted once
