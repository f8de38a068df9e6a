"""The 837P reader: round trip with the writer, every corpus 837P read, streaming."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otbill.domain.claim import Claim
from otbill.x12.findings import X12Error, X12Finding
from otbill.x12.read_837p import iter_837p, read_837p
from otbill.x12.write_837p import Submission, write_837p
from support.claimgen import claims
from support.x12kit import corpus_dir, demo_claims

SUBMISSION = Submission(created=dt.datetime(2025, 2, 20, 10, 30))


def carried(claim: Claim) -> dict[str, Any]:
    """The fields an 837P carries, as the reader must give them back."""
    p, s, b = claim.patient, claim.subscriber, claim.billing_provider
    return {
        "id": claim.claim_id, "payer": (claim.payer.payer_id, claim.payer.name),
        "patient": (p.first_name, p.last_name, p.dob, p.sex, p.address),
        "member": s.member_id if s else p.member_id,
        "subscriber": s and (s.first_name, s.last_name, s.dob, s.sex, s.relationship, s.member_id),
        "billing": (b.name, b.npi, b.tax_id, b.address, b.taxonomy),
        "pos": claim.place_of_service, "dx": claim.diagnoses, "freq": claim.frequency_code,
        "icn": claim.original_claim_number if claim.frequency_code != "1" else None,
        "auth": claim.prior_authorization and claim.prior_authorization.number,
        "rendering": claim.rendering_provider and dataclasses.replace(claim.rendering_provider, credential=None),
        "referring": claim.referring_provider and dataclasses.replace(claim.referring_provider, credential=None),
        "lines": [(ln.date, ln.code, ln.charge, ln.units, ln.modifiers, ln.dx_pointers) for ln in claim.lines],
        "total": sum(ln.charge for ln in claim.lines),
    }  # fmt: skip


def test_demo_claims_round_trip():
    written = demo_claims()
    result = read_837p(write_837p(written, SUBMISSION).encode())
    assert result.findings == []
    assert [carried(c) for c in result.claims] == [carried(c) for c in _file_order(written)]


def _file_order(batch: list[Claim]) -> list[Claim]:
    """The writer groups by payer, then billing provider: the order claims come back in."""
    payers = list(dict.fromkeys(c.payer.payer_id for c in batch))
    out = []
    for payer in payers:
        own = [c for c in batch if c.payer.payer_id == payer]
        for provider in dict.fromkeys(c.billing_provider for c in own):
            out += [c for c in own if c.billing_provider == provider]
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(claims(), min_size=1, max_size=4))
def test_generated_claims_round_trip(batch):
    batch = [dataclasses.replace(c, claim_id=f"CLM-{n}") for n, c in enumerate(batch)]
    result = read_837p(write_837p(batch, SUBMISSION).encode())
    assert result.findings == []
    assert [carried(c) for c in result.claims] == [carried(c) for c in _file_order(batch)]


def test_derived_fields_are_documented_defaults():
    claim = read_837p(write_837p(demo_claims()[3:4], SUBMISSION).encode()).claims[0]
    assert claim.telehealth and claim.place_of_service == "10"
    assert claim.payer.profile == "medicare" and claim.patient.id == claim.patient.member_id
    assert claim.documentation is None and claim.history == () and claim.lines[0].minutes is None


# file → (claims read, substrings of the findings), for every 837P in the corpus
CORPUS: dict[str, tuple[int, list[str]]] = {
    "lfh--demo.837": (1, []),  # subscriber without DMG: dob is situational in 2010BA
    "lfh--demo.ambulance.example5.837": (1, []),
    "lfh--demo.autoaccident.837": (1, []),
    "lfh--demo.cob.2ndary.example4.837": (0, ["segment 28 SV1 SV101: 'HC>98940' has no procedure code"]),
    "lfh--demo.cob.example3.A.837": (1, []),
    "lfh--demo.cob.example3.B.837": (1, []),
    "lfh--demo.cob.example3.C.837": (1, []),
    "lfh--demo.cob.example4.837": (1, []),
    "lfh--demo.drug.example10.1.837": (1, []),
    "lfh--demo.drug.example10.2.837": (1, []),
    "lfh--demo.drug.example10.3.837": (1, []),
    "lfh--demo.example1.837": (1, []),
    "lfh--demo.example11.837": (0, ["segment 32 SV1 SV101: 'HC>E0570>RR' has no procedure code"]),
    "lfh--demo.example12.837": (0, ["segment 39 SV1 SV101: 'HC>99284'"]),
    "lfh--demo.example2.837": (1, []),
    "lfh--demo.example7.837": (1, []),
    "lfh--demo.example8.837": (1, []),
    "lfh--demo.example9.837": (0, ["segment 29 SV1 SV101: 'HC>00142>QK>QS>P1'"]),
    "oop--Example1_2_And_3_Combined.txt": (3, []),
    "oop--Example1_HealthInsurance.txt": (1, []),
    "oop--Example2_Encounter.txt": (1, []),
    "oop--Example3_COB.txt": (1, []),
    "oop--MedicaidExample.txt": (0, ["SV104 at segment 26 is 99.99, not whole units"]),
    "oop--MissingEntityCode.txt": (0, ["SV104 at segment 27 is 99.99, not whole units"]),
    "oop--ProfessionalClaim1.txt": (1, ["segment 63 SE SE01: is '42', expected 61"]),
    "oop--ST1309-XX.txt": (1, []),
    "oop--UnicodeExample.txt": (0, ["segment 5 NM1: the file ends without the SE closing segment 3"]),
}  # fmt: skip


def test_every_corpus_837p_is_listed():
    assert sorted(CORPUS) == sorted(p.name for p in (corpus_dir() / "837p").iterdir())


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_837p(name):
    count, expected = CORPUS[name]
    result = read_837p(corpus_dir() / "837p" / name)
    assert len(result.claims) == count
    texts = [str(f) for f in result.findings]
    for part in expected:
        assert any(part in t for t in texts), (part, texts)
    if not expected:
        assert [f for f in result.findings if f.severity == "error"] == []


def test_corpus_claim_fields():
    claim = read_837p(corpus_dir() / "837p" / "lfh--demo.example2.837").claims[0]
    assert claim.claim_id == "26462967" and claim.patient.last_name == "SMITH"
    assert claim.billing_provider.npi == "9876543210" and claim.patient.dob == dt.date(1943, 5, 1)
    assert [ln.code for ln in claim.lines] == ["99213", "87072", "99214", "86663"]
    assert claim.lines[2].dx_pointers == (2,) and claim.diagnoses == ("034.0", "V73.89")


def test_streaming_yields_claims_one_by_one():
    text = write_837p(demo_claims(), SUBMISSION).encode()
    findings: list[X12Finding] = []
    stream = iter_837p(text, findings)
    first = next(stream)
    assert first.claim_id == "CLM-0001"
    assert len(list(stream)) == 4 and findings == []


def test_other_transactions_are_refused(simulated_x12):
    with pytest.raises(X12Error, match="ST01: is '835', expected '837'"):
        read_837p(simulated_x12["835"])


def test_4010_is_refused():
    with pytest.raises(X12Error, match="004010X098A1 is a 4010 implementation"):
        read_837p(corpus_dir() / "legacy-4010" / "lfh--patient-is-subscriber.837")


def test_scrub_input_maps_skipped_claims_to_input_errors():
    from otbill.domain.claim_json import ClaimInputError
    from otbill.x12.scrub_input import looks_like_x12, read_837p_claims

    path = corpus_dir() / "837p" / "oop--MedicaidExample.txt"
    assert looks_like_x12(path.read_bytes()) and not looks_like_x12(b'[{"claim_id": "X"}]')
    assert looks_like_x12((corpus_dir() / "837p" / "oop--UnicodeExample.txt").read_bytes())
    items = read_837p_claims(path)
    assert items and all(isinstance(i, ClaimInputError) for i in items)
    assert "segment 22 CLM" in str(items[0])
    good = read_837p_claims(corpus_dir() / "837p" / "lfh--demo.example2.837")
    assert [type(i).__name__ for i in good] == ["Claim"]
