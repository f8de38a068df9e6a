"""Claims → 837P (005010X222A1): the professional claim file a clearinghouse accepts.

Layout per file: one transaction set (ST) per payer; inside it one billing-provider loop (2000A) per
billing provider, and under that one subscriber loop (2000B, plus 2000C when the patient is not the
subscriber) per claim, with the claim (2300), the patient's other coverages (2320 with 2330A/2330B:
on a claim to the primary the secondary and tertiary, each with an OI and no amounts, since no payer
has paid yet; on a secondary or tertiary claim, SBR01 S or T, the prior payers with what they
decided: 2320 CAS, AMT*D and AMT*EAF, and per line 2430 SVD/CAS/DTP*573) and its service lines
(2400). Grouping this way keeps
each payer's claims together for the clearinghouse's routing and sends each provider's NPI, address
and tax ID once.

A claim that cannot be written correctly is refused before anything is written: :func:`check_claim`
lists every reason (missing patient address, a frequency 7/8 claim without the payer's original
claim number, a separator character inside a name, ...), and :func:`write_837p` raises
:class:`X12Error` naming the claim and the field. Every file written passes pyx12's 5010 validator
(see ``tests/x12/test_write_837p.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from otbill import clock
from otbill.domain.claim import (
    Address,
    BillingProvider,
    Claim,
    OtherCoverage,
    Provider,
    ServiceLine,
)
from otbill.domain.coordination import LineAdjudication, PriorAdjustment
from otbill.x12.checks_837p import check_claim
from otbill.x12.envelope import InterchangeSettings, write_interchange
from otbill.x12.findings import X12Error

__all__ = ["VERSION_837P", "Submission", "check_claim", "filing_indicator", "write_837p"]

VERSION_837P = "005010X222A1"
_RELATIONSHIP = {"spouse": "01", "child": "19", "other": "G8"}
_INSURED = {"self": "18", **_RELATIONSHIP}  # SBR02 in 2320: the patient's tie to the insured
Elements = list[str]


@dataclass(frozen=True, slots=True)
class Submission:
    """Who submits the file to whom (1000A/1000B and the envelope)."""

    sender_id: str = "OTBILL"
    receiver_id: str = "CLEARINGHOUSE"
    submitter_name: str = "OTBILL"
    receiver_name: str = "CLEARINGHOUSE"
    contact_name: str = "BILLING OFFICE"
    contact_phone: str = "5555550100"
    control_number: int = 1
    usage: str = "P"
    line_breaks: bool = True  # a newline after each terminator; False for one-line files
    created: dt.datetime = field(default_factory=clock.now)  # the run's day (otbill.clock)


def filing_indicator(profile: str) -> str:
    """SBR09 claim filing indicator from the payer profile's name: MB, MC or CI."""
    name = profile.lower()
    if name.startswith("medicare"):
        return "MB"
    if name.startswith("medicaid"):
        return "MC"
    return "CI"


def money(amount: Decimal) -> str:
    """X12 decimal: no exponent, no trailing zeros (90.00 → 90, 54.50 → 54.5)."""
    text = f"{amount:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _d8(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _address(address: Address) -> list[Elements]:
    n3 = ["N3", address.line1] + ([address.line2] if address.line2 else [])
    return [n3, ["N4", address.city, address.state, address.zip]]


def _person(code: str, provider: Provider) -> Elements:
    return [
        "NM1",
        code,
        "1",
        provider.last_name,
        provider.first_name,
        "",
        "",
        "",
        "XX",
        provider.npi,
    ]


def _billing_loop(hl: int, provider: BillingProvider) -> list[Elements]:
    out: list[Elements] = [["HL", str(hl), "", "20", "1"]]
    if provider.taxonomy:
        out.append(["PRV", "BI", "PXC", provider.taxonomy])
    out.append(["NM1", "85", "2", provider.name, "", "", "", "", "XX", provider.npi])
    out += _address(provider.address)
    out.append(["REF", "EI", provider.tax_id])
    if provider.pay_to is not None and provider.pay_to != provider.address:
        out.append(["NM1", "87", "2"])  # 2010AB: the pay-to address, when payments go elsewhere
        out += _address(provider.pay_to)
    return out


def _subscriber_loops(hl: int, parent: int, claim: Claim) -> tuple[list[Elements], int]:
    """2000B/2010BA/2010BB, and 2000C/2010CA when the patient is not the subscriber."""
    patient, sub = claim.patient, claim.subscriber
    sbr09 = filing_indicator(claim.payer.profile)
    out: list[Elements] = [["HL", str(hl), str(parent), "22", "0" if sub is None else "1"]]
    sbr01 = claim.responsibility
    out.append(["SBR", sbr01, "18" if sub is None else "", "", "", "", "", "", "", sbr09])
    who = sub if sub is not None else patient
    out.append(["NM1", "IL", "1", who.last_name, who.first_name, "", "", "", "MI", who.member_id])
    if who.address is not None:
        out += _address(who.address)
    if who.dob is not None:
        out.append(["DMG", "D8", _d8(who.dob), who.sex])
    out.append(["NM1", "PR", "2", claim.payer.name, "", "", "", "", "PI", claim.payer.payer_id])
    if sub is None:
        return out, hl
    out.append(["HL", str(hl + 1), str(hl), "23", "0"])
    out.append(["PAT", _RELATIONSHIP[sub.relationship]])
    out.append(["NM1", "QC", "1", patient.last_name, patient.first_name])
    assert patient.address is not None  # check_claim refuses claims without it
    out += _address(patient.address)
    out.append(["DMG", "D8", _d8(patient.dob), patient.sex])
    return out, hl + 1


def _claim_loop(claim: Claim) -> list[Elements]:
    total = sum((line.charge for line in claim.lines), Decimal(0))
    clm05 = f"{claim.place_of_service}:B:{claim.frequency_code}"
    out: list[Elements] = [["CLM", claim.claim_id, money(total), "", "", clm05, "Y", "A", "Y", "Y"]]
    if claim.prior_authorization is not None:
        out.append(["REF", "G1", claim.prior_authorization.number])
    if claim.frequency_code in ("7", "8") and claim.original_claim_number:
        out.append(["REF", "F8", claim.original_claim_number])
    codes = [dx.replace(".", "").strip().upper() for dx in claim.diagnoses]
    out.append(["HI", *(f"{'ABK' if n == 0 else 'ABF'}:{c}" for n, c in enumerate(codes))])
    if claim.referring_provider is not None:
        out.append(_person("DN", claim.referring_provider))
    if claim.rendering_provider is not None:
        out.append(_person("82", claim.rendering_provider))
        taxonomy = claim.rendering_provider.taxonomy
        if taxonomy:
            out.append(["PRV", "PE", "PXC", str(taxonomy)])
    facility = claim.service_facility
    if facility is not None and facility.address != claim.billing_provider.address:
        out.append(["NM1", "77", "2", facility.name])  # 2310C: where the service was furnished
        out += _address(facility.address)
    for other in claim.other_coverages:
        out += _other_coverage_loops(other)
    for number, line in enumerate(claim.lines, start=1):
        out += _line_loop(number, line)
        out += _line_adjudications(number, claim.other_coverages)
    return out


def _cas(adjustments: Sequence[PriorAdjustment]) -> list[Elements]:
    """CAS segments: one per group code, up to six (CARC, amount, quantity) triplets each."""
    groups: dict[str, list[PriorAdjustment]] = {}
    for adj in adjustments:
        groups.setdefault(adj.group, []).append(adj)
    out: list[Elements] = []
    for group, adjs in groups.items():
        for start in range(0, len(adjs), 6):
            segment = ["CAS", group]
            for adj in adjs[start : start + 6]:
                segment += [adj.reason, money(adj.amount), ""]
            out.append(segment[:-1])
    return out


def _line_adjudications(number: int, others: Sequence[OtherCoverage]) -> list[Elements]:
    """2430 per prior payer that adjudicated line ``number``: SVD, CAS and DTP*573."""
    out: list[Elements] = []
    for other in others:
        if other.adjudication is None:
            continue
        for line in other.adjudication.lines:
            if line.line == number:
                out += _svd(other.payer.payer_id, line)
    return out


def _svd(payer_id: str, line: LineAdjudication) -> list[Elements]:
    sv = ":".join(["HC", line.code.strip().upper(), *line.modifiers])
    out: list[Elements] = [["SVD", payer_id, money(line.paid), sv, "", str(line.units)]]
    out += _cas(line.adjustments)
    out.append(["DTP", "573", "D8", _d8(line.adjudicated_on)])
    return out


def _other_coverage_loops(other: OtherCoverage) -> list[Elements]:
    """2320 (SBR, OI), 2330A (the other insured) and 2330B (the other payer).

    A payer after this claim's has not adjudicated it: CAS, AMT*D and 2330B's DTP*573 are left
    out, as X222A1 writes them only after that payer's payment. A prior payer's adjudication adds
    its claim-level CAS, AMT*D (paid) and AMT*EAF (what the patient still owes) in 2320, and its
    adjudication date in 2330B when no line is reported in 2430 (which then carries the dates).
    """
    sbr09 = filing_indicator(other.payer.profile)
    group = other.group_number or ""
    out: list[Elements] = [
        [
            "SBR",
            other.responsibility,
            _INSURED[other.relationship],
            group,
            "",
            "",
            "",
            "",
            "",
            sbr09,
        ],
    ]
    decided = other.adjudication
    if decided is not None:
        out += _cas(decided.adjustments)
        out.append(["AMT", "D", money(decided.paid)])
        if decided.patient_responsibility > 0:
            out.append(["AMT", "EAF", money(decided.patient_responsibility)])
    out += [
        ["OI", "", "", "Y", "", "", "Y"],  # benefits assigned; release of information on file
        ["NM1", "IL", "1", other.last_name, other.first_name, "", "", "", "MI", other.member_id],
    ]
    if other.address is not None:
        out += _address(other.address)
    out.append(["NM1", "PR", "2", other.payer.name, "", "", "", "", "PI", other.payer.payer_id])
    if decided is not None and not decided.lines:
        out.append(["DTP", "573", "D8", _d8(decided.adjudicated_on)])
    return out


def _line_loop(number: int, line: ServiceLine) -> list[Elements]:
    sv101 = ":".join(["HC", line.code.strip().upper(), *line.modifiers])
    pointers = ":".join(str(p) for p in line.dx_pointers)
    return [
        ["LX", str(number)],
        ["SV1", sv101, money(line.charge), "UN", str(line.units), "", "", pointers],
        ["DTP", "472", "D8", _d8(line.date)],
    ]


def _transaction(sub: Submission, reference: str, claims: Sequence[Claim]) -> list[Elements]:
    created = sub.created
    body: list[Elements] = [
        ["BHT", "0019", "00", reference, _d8(created.date()), created.strftime("%H%M"), "CH"],
        ["NM1", "41", "2", sub.submitter_name, "", "", "", "", "46", sub.sender_id],
        ["PER", "IC", sub.contact_name, "TE", sub.contact_phone],
        ["NM1", "40", "2", sub.receiver_name, "", "", "", "", "46", sub.receiver_id],
    ]
    providers: dict[BillingProvider, list[Claim]] = {}
    for claim in claims:
        providers.setdefault(claim.billing_provider, []).append(claim)
    hl = 0
    for provider, own in providers.items():
        hl += 1
        parent = hl
        body += _billing_loop(hl, provider)
        for claim in own:
            loops, hl = _subscriber_loops(hl + 1, parent, claim)
            body += loops
            body += _claim_loop(claim)
    return body


def write_837p(claims: Sequence[Claim], submission: Submission | None = None) -> str:
    """The 837P text for ``claims``; raises :class:`X12Error` if any claim cannot be written."""
    sub = submission or Submission()
    if not claims:
        raise X12Error("no claims to write")
    for claim in claims:
        problems = check_claim(claim)
        if problems:
            raise X12Error(f"claim {claim.claim_id} cannot be written: " + "; ".join(problems))
    by_payer: dict[str, list[Claim]] = {}
    for claim in claims:
        by_payer.setdefault(claim.payer.payer_id, []).append(claim)
    settings = InterchangeSettings(
        sender_id=sub.sender_id,
        receiver_id=sub.receiver_id,
        functional_code="HC",
        version=VERSION_837P,
        control_number=sub.control_number,
        usage=sub.usage,
        created=sub.created,
        line_breaks=sub.line_breaks,
    )
    bodies = [
        _transaction(sub, f"{sub.control_number}-{n}", group)
        for n, group in enumerate(by_payer.values(), start=1)
    ]
    return write_interchange(settings, "837", bodies)
