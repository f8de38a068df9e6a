"""Denials an 835's step opens, written as plain rows (``DenialRepository.add_many``): their ids
in order, their codes and remarks read back as written, and the derived tables kept for them as a
flush of ORM rows keeps them; and prevention checks' counts brought up to date in one statement
(``AppealRepository.count_checks``), the session's copies with them; on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt

from otbill.domain.appeals import Denial, PreventionCheck
from otbill.storage import Database
from otbill.storage.audit import utcnow
from otbill.storage.repositories.dashboard_summary import rollup_mismatches
from otbill.storage.repositories.owner_collections import collection_day_mismatches
from otbill.storage.repositories.owner_open import open_day_mismatches
from otbill.storage.repositories.owner_summary import summary_mismatches
from otbill.storage.tables import PreventionCheckRow
from support.clinickit import another_clinic, seed_clinic
from support.remitkit import submitted_claim

ON = dt.date(2025, 3, 10)


def _denial(claim_id: int, carc: str, line_id: int | None = None, cents: int = 6000) -> Denial:
    codes = ({"group": "CO", "carc": carc, "amount": f"{cents / 100:.2f}", "line": 2},
             {"group": "PR", "carc": "2", "amount": "0.00", "line": None})  # fmt: skip
    return Denial(0, claim_id, "CO", carc, ON, ON + dt.timedelta(days=120), line_id, "N115\t",
                  None, cents, codes, ("N115\t", 'M\\"1'))  # fmt: skip


def _kept_mismatches(db: Database, clinic: int) -> list[str]:
    with db.unit_of_work(clinic) as uow:
        session = uow.records.session
        return [*summary_mismatches(session, clinic), *open_day_mismatches(session, clinic),
                *collection_day_mismatches(session, clinic), *rollup_mismatches(session, clinic)]  # fmt: skip


def test_denials_written_as_rows_keep_the_derived_tables(db: Database) -> None:
    ids = seed_clinic(db)
    (one, one_lines), (two, _) = submitted_claim(db, ids, "C1"), submitted_claim(db, ids, "C2")
    first = [_denial(one, "50", one_lines[1]), _denial(two, "197"), _denial(one, "50")]
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        made = uow.denials.add_many(first)
        assert made == sorted(made) and len(set(made)) == 3
        assert [uow.denials.get(i) for i in made] == [
            dataclasses.replace(d, id=i) for d, i in zip(first, made, strict=True)
        ]
    with db.unit_of_work(ids.clinic, ids.biller) as uow:  # a later step: the claims denied again
        uow.denials.add_many([_denial(two, "197", cents=100), _denial(one, "16")])
    assert _kept_mismatches(db, ids.clinic) == []


def _check(payer_id: int, code: str) -> PreventionCheck:
    return PreventionCheck(0, payer_id, code, "50", None, "coding", 3, ON, ON, "proposed",
                           utcnow())  # fmt: skip


def test_checks_counted_in_one_statement(db: Database) -> None:
    ids, other = another_clinic(db), another_clinic(db)
    with db.unit_of_work(other.clinic, other.biller) as uow:
        theirs = uow.appeals.add_check(_check(other.medicare, "97530"))
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        first, second = (uow.appeals.add_check(_check(ids.medicare, c)) for c in ("97530", "97110"))
        held = uow.records.session.get(PreventionCheckRow, first)  # the session's copy
        assert held is not None and held.denials == 3
        later = ON + dt.timedelta(days=2)
        uow.appeals.count_checks({first: (5, later), theirs: (9, later)})
        assert (held.denials, held.last_on) == (5, later)
        assert held not in uow.records.session.dirty, "not written again by the next flush"
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        counted = {c.id: (c.denials, c.last_on) for c in uow.appeals.checks()}
        assert counted == {first: (5, later), second: (3, ON)}
    with db.unit_of_work(other.clinic, other.biller) as uow:
        assert uow.appeals.check(theirs).denials == 3, "another clinic's check is left alone"
