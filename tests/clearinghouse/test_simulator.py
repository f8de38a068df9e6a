"""The clearinghouse simulator: its 999/277CA/835 read back cleanly and follow the documented rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from otbill.clearinghouse import EdiFile, FolderTransport
from otbill.clearinghouse.simulator.folder import simulate
from otbill.x12.read_277ca import read_277ca
from otbill.x12.read_835 import read_835
from otbill.x12.read_999 import read_999
from otbill.x12.write_837p import Submission, write_837p
from support.x12kit import demo_claims

CREATED = dt.datetime(2025, 3, 1, 9, 30)


def _drop(folder: Path, name: str, text: str) -> None:
    FolderTransport(folder).send([EdiFile(name, text.encode())])


def test_answers_read_back_with_no_findings_and_follow_the_rules(tmp_path: Path) -> None:
    claims = demo_claims()
    no_referrer = dataclasses.replace(claims[0], claim_id="CLM-NOREF", referring_provider=None)
    _drop(tmp_path, "A.837", write_837p([*claims, no_referrer], Submission(created=CREATED)))
    report = simulate(tmp_path)
    assert report.answered == ["A.837"] and report.rejected == 2  # CLM-0004 has none either
    inbox = tmp_path / "inbox"
    ack = read_999(inbox / "A.999")
    assert ack.findings == [] and all(s.accepted for g in ack.groups for s in g.sets)
    ca = read_277ca(inbox / "A.277")
    assert ca.findings == []
    outcome = {c.patient_control_number: (c.outcome, c.reason) for c in ca.claims}
    assert outcome["CLM-NOREF"][0] == "rejected" and "referring provider" in outcome["CLM-NOREF"][1]
    remit = read_835(inbox / "A.835")
    assert remit.findings == []
    [payment] = remit.remittances
    by_claim = {c.patient_control_number: c for c in payment.claims}
    assert "CLM-NOREF" not in by_claim
    child = by_claim["CLM-0002"]  # commercial, no prior authorization
    assert child.denied and child.paid == 0
    assert {a.reason for s in child.services for a in s.adjustments} == {"197"}
    paid = [c for c in payment.claims if not c.denied]
    assert paid and all(c.paid > 0 for c in paid)
    assert payment.header.payment_date == dt.date(2025, 3, 15)
    assert (tmp_path / "outbox" / "processed" / "A.837").exists()
    assert simulate(tmp_path).answered == []  # answered once


def test_a_malformed_set_is_rejected_in_the_999(tmp_path: Path) -> None:
    text = write_837p(demo_claims()[:1], Submission(created=CREATED))
    broken = text.replace("SV1*HC:97530:GO*", "SV1*HC:97530:GO*X", 1)
    _drop(tmp_path, "B.837", broken)
    simulate(tmp_path)
    ack = read_999(tmp_path / "inbox" / "B.999")
    [group] = ack.groups
    assert [s.accepted for s in group.sets] == [False] and group.status == "R"
    assert not (tmp_path / "inbox" / "B.835").exists()
