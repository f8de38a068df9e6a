"""Job kinds ``exchange.submit`` and ``exchange.fetch`` over a folder drop (both databases): the
approved claims sent once; the simulator's 999 and 277CA applied and archived, its 835 queued as
one posting job; run again, each changes nothing; an unreadable file stays in the inbox, named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from otbill.clearinghouse.simulator.folder import simulate
from otbill.domain.jobs import Job
from otbill.services.clinic.wiring import Wiring
from otbill.services.jobs import RunningJob, kind_named, queue_job
from otbill.services.jobs.exchange import FETCH, SUBMIT, exchange_arguments
from otbill.services.jobs.posting import KIND as POSTING
from otbill.settings import Settings
from otbill.storage import Database
from support.clinickit import Ids
from support.companyflow import TODAY, VISIT_DAYS, approved_claims, billable_clinic


class _Kept:
    """A runner that keeps the jobs it is given (the test runs them, or looks at them)."""

    def __init__(self) -> None:
        self.jobs: list[Job] = []

    def submit(self, job: Job) -> None:
        self.jobs.append(job)

    def lost(self, job: Job) -> bool:
        return False


def _run(db: Database, ids: Ids, kind: str, arguments: dict[str, Any], context: Any) -> Any:
    """Queue the kind once and run its function twice (a retry after a kill): both results."""
    job = queue_job(db, _Kept(), ids.clinic, ids.biller, kind, arguments, "once")
    return [kind_named(kind).run(db, RunningJob(job, db, context)) for _ in range(2)]


def _statuses(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return sorted(conn.execute(text("SELECT status FROM claim")).scalars())


def test_approved_claims_are_sent_once_and_the_answers_fetched_once(
    db: Database, tmp_path: Path
) -> None:
    ids, folder = billable_clinic(db, "SENDS", 1), tmp_path / "drop"
    wiring = Wiring.load(Settings(data_dir=tmp_path / "data", database_url="sqlite://"))
    approved_claims(db, ids, wiring, VISIT_DAYS[:2])
    sent, again = _run(db, ids, SUBMIT, exchange_arguments(folder, TODAY), {"wiring": wiring})
    assert len(sent["submitted"]) == 2 and len(sent["files"]) == 1 and not sent["refused"]
    assert again == {"files": [], "submitted": [], "refused": {}, "sent": []}
    assert _statuses(db) == ["submitted", "submitted"]

    simulate(folder)
    (folder / "inbox" / "garbage.x12").write_bytes(b"not an X12 file")
    postings = _Kept()
    first, second = _run(db, ids, FETCH, exchange_arguments(folder, TODAY),
                         {"job_runner": postings})  # fmt: skip
    assert sorted(kind for _name, kind, _summary in first["acknowledgements"]) == ["277CA", "999"]
    assert [job.kind for job in postings.jobs] == [POSTING]
    assert first["postings"] == [[postings.jobs[0].arguments["file"], postings.jobs[0].id]]
    assert [name for name, _why in first["refused"]] == ["garbage.x12"]
    assert first["refused"][0][1].startswith("garbage.x12: segment 1: not an X12 file")
    assert second == {"acknowledgements": [], "postings": [], "refused": first["refused"]}
    assert len(postings.jobs) == 1  # the 835's job is not queued a second time
    assert sorted(p.name for p in (folder / "inbox").iterdir()) == ["garbage.x12", "processed"]
    assert _statuses(db) == ["accepted", "accepted"]  # the 277CA; the 835 is its job's work
