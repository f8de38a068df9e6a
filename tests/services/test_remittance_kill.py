"""An 835 posting killed mid-way (SIGKILL, issue 15): each claim payment has all of its postings or
none, and posting the file again ends with the same ledger as a run never stopped; posting it a
third time changes nothing. On SQLite and PostgreSQL.

What is all-or-nothing: each step's transaction (up to ``CLAIMS_PER_TRANSACTION`` claim payments,
see :mod:`otbill.services.remittances.post`), so every claim payment; the file as a whole is not
(the steps before the kill stay posted, and the file is recorded only once every step is done).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections import defaultdict

from sqlalchemy import select

from otbill.services.remittances.post import post_remittance
from otbill.storage import Database
from otbill.storage.tables import ClaimRow, EdiFileRow, PostingRow
from support.clinickit import Ids
from support.remitkit import clinic_paid_in_full

CLAIMS = 24
KILLED_AT = "K14"  # in the third step of five claim payments: K11-K13 are in its plan

#: Posts the file in steps of five claim payments and kills itself (SIGKILL: no cleanup, no
#: rollback sent) while planning the claim payment ``KILLED_AT``, mid-transaction.
KILLER = """
import os, signal, sys, datetime as dt
from otbill.services.remittances import post as posting, remittance_posting
from otbill.storage import Database
posting.CLAIMS_PER_TRANSACTION, posting.STEP_SECONDS = 5, 600.0  # steps of exactly five
plan = remittance_posting.plan_claim
def plan_or_die(prefix, *args):
    if f":{sys.argv[4]}#" in prefix:
        os.kill(os.getpid(), signal.SIGKILL)
    return plan(prefix, *args)
remittance_posting.plan_claim = plan_or_die
db = Database(sys.argv[1], migrate=False)
data = open(sys.argv[3], "rb").read()
posting.post_remittance(db, int(sys.argv[2]), int(sys.argv[5]), data, name="k.835",
                        today=dt.date(2025, 3, 10), any_payee=True)
"""


def _clinic(db: Database, code: str, n: int) -> tuple[Ids, bytes]:
    return clinic_paid_in_full(db, code, n, "K", CLAIMS)


def _ledger(db: Database, clinic: int) -> dict[str, set[tuple[str, str, int]]]:
    """Each claim's 835 postings (source key, kind, cents) and its status, by claim number."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(ClaimRow.number, ClaimRow.status, PostingRow.source_key, PostingRow.kind,
                   PostingRow.amount_cents)
            .join(PostingRow, PostingRow.claim_id == ClaimRow.id)
            .where(ClaimRow.clinic_id == clinic, PostingRow.source_key.startswith("835:"))
        ).all()  # fmt: skip
    out: dict[str, set[tuple[str, str, int]]] = defaultdict(set)
    for number, status, key, kind, cents in rows:
        out[number] |= {(key, kind, cents), ("status", status, 0)}
    return dict(out)


def _files(db: Database, clinic: int) -> int:
    with db.engine.connect() as conn:
        return len(conn.execute(select(EdiFileRow.id).where(EdiFileRow.clinic_id == clinic)).all())


def test_a_killed_posting_leaves_whole_claim_payments_and_finishes_the_same(
    db: Database, tmp_path
) -> None:
    ids, data = _clinic(db, "KIL", 0)
    twin, twin_data = _clinic(db, "TWN", 1)
    post_remittance(db, twin.clinic, twin.biller, twin_data, name="t.835", any_payee=True)
    whole = _ledger(db, twin.clinic)
    assert len(whole) == CLAIMS and all(len(p) == 7 for p in whole.values())  # 6 + status
    path = tmp_path / "k.835"
    path.write_bytes(data)
    url = db.engine.url.render_as_string(hide_password=False)
    files = _files(db, ids.clinic)
    run = subprocess.run(
        [sys.executable, "-c", KILLER, url, str(ids.clinic), str(path), KILLED_AT,
         str(ids.biller)],
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()[-2000:]
    after_kill = _ledger(db, ids.clinic)
    # whole steps, no more: the second step, written while the third was planned on
    # PostgreSQL (services/remittances/overlap.py), committed or not when the kill came
    done = len(after_kill)
    assert set(after_kill) == {f"K{i}" for i in range(1, done + 1)} and done in (5, 10)
    assert all(after_kill[n] == whole[n] for n in after_kill)  # each claim payment whole
    assert _files(db, ids.clinic) == files  # the file is not recorded as posted
    again = post_remittance(db, ids.clinic, ids.biller, data, name="k.835", any_payee=True)
    assert (again.already_posted_claims, again.paid) == (done, CLAIMS - done)
    assert _ledger(db, ids.clinic) == whole
    assert post_remittance(db, ids.clinic, ids.biller, data, any_payee=True).already_posted
    resent = data.replace(b"000000005", b"000000006")  # the same payments in another envelope
    report = post_remittance(db, ids.clinic, ids.biller, resent, name="r.835", any_payee=True)
    assert (report.already_posted, report.already_posted_claims) == (False, CLAIMS)
    assert _ledger(db, ids.clinic) == whole
