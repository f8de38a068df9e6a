"""An 835 posted in batches leaves what posting it claim by claim leaves: the same ledger,
statuses and their history, denials, prevention proposals and audit content (two clinics of one
database, one posted each way; ids told apart by what they stand for)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

import pytest

from otbill.domain.audit_postings import REMITTANCE_POSTINGS, claim_changes, posting_images
from otbill.services.remittances import post as posting_module
from otbill.services.remittances.post import post_remittance
from otbill.services.remittances.remittance_posting import RemittancePosting
from otbill.storage import Database
from otbill.storage.repositories.dashboard_summary import rollup_mismatches
from otbill.storage.repositories.owner_collections import collection_day_mismatches
from otbill.storage.repositories.owner_open import open_day_mismatches
from otbill.storage.repositories.owner_summary import summary_mismatches
from otbill.storage.tables import (
    AuditEventRow,
    ClaimLineRow,
    ClaimRow,
    ClaimStatusRow,
    DenialRow,
    PayerRow,
    PostingRow,
    PreventionCheckRow,
)
from support.clinickit import Ids, seed_clinic
from support.remitkit import make_835, paid_claim, submitted_claim

TODAY = dt.date(2025, 3, 10)


def _denied(number: str) -> str:  # claim level, CO 197: both 97530 lines denied
    return f"CLP*{number}*4*150*0*0*MB*ICN{number}*11*1\nCAS*CO*197*150\nMOA***N130"


def _partial(number: str) -> str:  # the second line denied, CO 50
    paid = paid_claim(number).replace("*150*96*24*", "*150*56*14*").replace("*60*40**", "*60*0**")
    return paid.replace("CAS*CO*45*10\nCAS*PR*2*10", "CAS*CO*50*60\nLQ*HE*N115")


def _reversal(number: str) -> str:
    return f"""CLP*{number}*22*-150*-96*-24*MB*ICN{number}*11*1
SVC*HC:97530:GO*-90*-56**2
DTM*472*20250214
CAS*CO*45*-20
CAS*PR*2*-14
SVC*HC:97530:GO*-60*-40**2
DTM*472*20250214
CAS*CO*45*-10
CAS*PR*2*-10"""


def _files() -> tuple[bytes, bytes]:
    first = make_835(paid_claim("R1"), "96", trace="EFT1")
    claims = [paid_claim("P1"), _partial("Q1"), _denied("D1"), _partial("Q2"), _denied("D2"),
              "CLP*NOPE-9*1*100*80*0*MB*ICN9*11*1\nCAS*CO*45*20", _reversal("R1"),
              paid_claim("R1"), _denied("D3"), _partial("Q3"), _denied("D1"), _partial("Q4"),
              paid_claim("P2")]  # fmt: skip
    total = 96 * 3 - 96 + 56 * 4 + 80
    return first, make_835("\n".join(claims), str(total), trace="EFT2")


def _post_both(db: Database, ids: Ids) -> None:
    for number in ("R1", "P1", "P2", "Q1", "Q2", "Q3", "Q4", "D1", "D2", "D3"):
        submitted_claim(db, ids, number)
    for n, data in enumerate(_files()):
        post_remittance(db, ids.clinic, ids.biller, data, name=f"f{n}.835", today=TODAY,
                        any_payee=True)  # fmt: skip


def _key(source_key: str, keys: dict[int, str]) -> str:
    """A reversal's key names the posting it reverses by id: by its key instead."""
    return re.sub(r":rev(\d+)", lambda m: f":rev({keys[int(m[1])]})", source_key)


def _names(uow: Any) -> dict[str, dict[Any, Any]]:
    """What each id stands for, the same in both clinics."""
    claims = {c.id: c.number for c in uow.records.find(ClaimRow)}
    lines = {x.id: (claims[x.claim_id], x.position) for x in uow.records.find(ClaimLineRow)}
    keys = {p.id: p.source_key for p in uow.records.find(PostingRow)}
    postings = {i: _key(k, keys) for i, k in keys.items()}
    payers = {p.id: p.payer_code for p in uow.session.query(PayerRow)}
    denials = {d.id: claims[d.claim_id] for d in uow.records.find(DenialRow)}
    checks = {c.id: (c.code, c.carc) for c in uow.records.find(PreventionCheckRow)}
    return {"claim": claims, "claim_line": lines, "posting": postings, "payer": payers,
            "denial": denials, "prevention_check": checks, "keys": keys}  # fmt: skip


_ID_KEYS = {"claim_id": "claim", "claim_line_id": "claim_line", "reverses": "posting",
            "payer_id": "payer"}  # fmt: skip


def _image(image: dict[str, Any] | None, names: dict[str, dict[Any, Any]]) -> str:
    if image is None:
        return "None"
    out = {k: names[_ID_KEYS[k]].get(v, v) if k in _ID_KEYS else v for k, v in image.items()}
    if isinstance(out.get("source_key"), str):
        out["source_key"] = _key(out["source_key"], names["keys"])
    return repr(sorted(out.items()))


def _sorted(rows: Any) -> list[Any]:
    return sorted(rows, key=repr)


def _events(e: AuditEventRow, n: dict[str, dict[Any, Any]]) -> list[tuple[str, ...]]:
    """What an event says, each posting and each change of the claim on its own: the batch
    records what a remittance did to a claim as one event on the claim, claim by claim each
    posting, status move and payer's number is one."""
    if e.action == REMITTANCE_POSTINGS:
        claim = str(n["claim"][int(e.entity_id)])
        return [
            (f"posting.{image.pop('kind')}", "posting", n["posting"][int(image.pop("id"))],
             "None", _image(image, n))
            for _, image in posting_images(e.action, e.entity, e.entity_id, e.after)
        ] + [
            (action, "claim", claim, _image(before, n), _image(after, n))
            for action, before, after in claim_changes(e.after)
        ]  # fmt: skip
    named = str(n.get(e.entity, {}).get(int(e.entity_id), "*"))
    return [(e.action, e.entity, named, _image(e.before, n), _image(e.after, n))]


def _state(db: Database, clinic: int) -> dict[str, Any]:
    with db.unit_of_work(clinic) as uow:
        n = _names(uow)
        claims, lines, postings = n["claim"], n["claim_line"], n["posting"]
        ledger = _sorted(
            (postings[p.id], lines[p.claim_line_id], p.kind, p.amount_cents, p.payer_side,
             p.group_code, p.carc, p.rarc, p.posted_on, postings.get(p.reverses_id))
            for p in uow.records.find(PostingRow)
        )  # fmt: skip
        statuses = {c.number: (c.status, c.payer_claim_number) for c in uow.records.find(ClaimRow)}
        history = _sorted(
            (claims[h.claim_id], h.from_status, h.to_status, h.reason)
            for h in uow.records.find(ClaimStatusRow)
        )
        denials = _sorted(
            (claims[d.claim_id], lines.get(d.claim_line_id), d.group_code, d.carc, d.rarc,
             d.denied_on, d.amount_cents, repr(d.codes), d.remarks, d.appeal_deadline)
            for d in uow.records.find(DenialRow)
        )  # fmt: skip
        checks = _sorted(
            (n["payer"][c.payer_id], c.code, c.carc, c.with_code, c.cause, c.denials, c.first_on,
             c.last_on, c.status)
            for c in uow.records.find(PreventionCheckRow)
        )  # fmt: skip
        audit = Counter(
            event
            for e in uow.records.find(AuditEventRow)
            if e.entity in n or e.action.startswith(("claim.", "posting."))
            for event in _events(e, n)
        )
        assert uow.audit_reads.verify() == []
        session = uow.records.session
        kept = [*summary_mismatches(session, clinic), *open_day_mismatches(session, clinic),
                *collection_day_mismatches(session, clinic), *rollup_mismatches(session, clinic)]  # fmt: skip
    return {"ledger": ledger, "statuses": statuses, "history": history, "denials": denials,
            "checks": checks, "audit": audit, "kept tables": kept}  # fmt: skip


# steps of 7: R1's reversal ends the first step and its payment starts the next, which
# PostgreSQL, writing a step while it plans the next, plans only once the first committed
@pytest.mark.parametrize("per_step", [4, 7])
def test_batches_leave_what_claim_by_claim_posting_leaves(
    db: Database, monkeypatch: pytest.MonkeyPatch, per_step: int
) -> None:
    one_by_one, batched = seed_clinic(db), seed_clinic(db, "TWO", 1)
    with monkeypatch.context() as patch:
        patch.setattr(RemittancePosting, "in_batches", False)
        _post_both(db, one_by_one)
    monkeypatch.setattr(posting_module, "CLAIMS_PER_TRANSACTION", per_step)  # over steps
    _post_both(db, batched)
    want, got = _state(db, one_by_one.clinic), _state(db, batched.clinic)
    assert want["checks"], "the file proposes prevention checks"
    assert len(want["denials"]) == 7 and len(want["ledger"]) > 60
    assert want["kept tables"] == [], "the derived tables follow the postings written as rows"
    for part in want:
        assert got[part] == want[part], part
