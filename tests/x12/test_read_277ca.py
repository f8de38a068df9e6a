"""The 277CA reader: per claim accepted or rejected, the reason in plain words."""

from __future__ import annotations

from otbill.x12.read_277ca import read_277ca
from support.x12kit import corpus_dir


def test_rejected_claim_with_reason():
    result = read_277ca(corpus_dir() / "277ca" / "oop--FromAlexbrodsky.txt")
    assert result.findings == []
    [claim] = result.claims
    assert claim.patient_control_number == "3920394930203" and claim.outcome == "rejected"
    assert claim.reason == (
        "rejected for invalid information: entity's National Provider "
        "Identifier (NPI) (billing provider)"
    )
    assert claim.payer_claim_number == "1107000000001120"
    assert [s.category for s in result.batch_statuses] == ["A1"]


def test_accepted_claim_and_broken_envelope_reported():
    result = read_277ca(corpus_dir() / "277ca" / "oop--FromLatitude81uk.txt")
    [claim] = result.claims
    assert claim.accepted and claim.reason.startswith("accepted into the adjudication system")
    assert "segment 31 IEA IEA02: is '000000002', expected '43434343'" in str(result.findings[-1])


def test_unknown_categories_are_not_called_accepted():
    result = read_277ca(corpus_dir() / "277ca" / "oop--277_Deidentified_from_nth.txt")
    assert len(result.claims) == 3 and {c.outcome for c in result.claims} == {"unknown"}


def test_truncated_file_reports_missing_trailers():
    result = read_277ca(corpus_dir() / "277ca" / "oop--FromBogeyone.txt")
    assert result.claims == [] and len(result.findings) == 3
