"""The simulator's answers as X12 5010: 999 (X231A1), 277CA (X214) and 835 (X221A1) bodies.

Segments only; what to say is decided in :mod:`otbill.clearinghouse.simulator.payer`. The envelope
comes from :func:`otbill.x12.envelope.write_interchange`, addressed back to the sender.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from otbill.clearinghouse.simulator.payer import ClaimResult, Rejection, icn
from otbill.domain.claim import Claim
from otbill.x12.envelope import InterchangeSettings, write_interchange
from otbill.x12.write_837p import VERSION_837P, filing_indicator, money

__all__ = ["SetVerdict", "write_277ca", "write_835", "write_999"]

Body = list[list[str]]


@dataclass(frozen=True, slots=True)
class SetVerdict:
    control: str  # ST02 of the 837 set
    errors: tuple[tuple[str, int], ...]  # (segment ID, position in the set) of each error


def _d8(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _settings(sender: str, receiver: str, code: str, version: str, control: int,
              on: dt.datetime) -> InterchangeSettings:  # fmt: skip
    return InterchangeSettings(sender_id=sender, receiver_id=receiver, functional_code=code,
                               version=version, control_number=control, created=on)  # fmt: skip


def write_999(sender: str, receiver: str, group_control: str, verdicts: Sequence[SetVerdict],
              control: int, on: dt.datetime) -> str:  # fmt: skip
    body: Body = [["AK1", "HC", group_control, VERSION_837P]]
    for v in verdicts:
        body.append(["AK2", "837", v.control, VERSION_837P])
        for seg_id, position in v.errors[:10]:
            body.append(["IK3", seg_id, str(position), "", "8"])
        body.append(["IK5", "R", "5"] if v.errors else ["IK5", "A"])
    accepted = sum(1 for v in verdicts if not v.errors)
    status = "A" if accepted == len(verdicts) else ("R" if accepted == 0 else "P")
    n = str(len(verdicts))
    body.append(["AK9", status, n, n, str(accepted)])
    settings = _settings(sender, receiver, "FA", "005010X231A1", control, on)
    return write_interchange(settings, "999", [body])


def _ack_claim(claim: Claim, rejection: Rejection | None, on: dt.date) -> Body:
    p = claim.patient
    stc = ["STC", "A2:20:PR", _d8(on), "WA", money(claim.total_charge or Decimal(0))]
    if rejection is not None:
        code = f"{rejection.category}:{rejection.status}:{rejection.entity}"
        stc = ["STC", code, _d8(on), "U", money(claim.total_charge or Decimal(0))]
    out = [
        ["NM1", "QC", "1", p.last_name, p.first_name, "", "", "", "MI", p.member_id],
        ["TRN", "2", claim.claim_id],
        stc,
    ]
    if rejection is None:
        out.append(["REF", "1K", icn(claim.claim_id)])
    first, last = claim.lines[0].date, claim.lines[-1].date
    period = ["RD8", f"{_d8(first)}-{_d8(last)}"] if first != last else ["D8", _d8(first)]
    out.append(["DTP", "472", *period])
    return out


def write_277ca(sender: str, receiver: str, claims: Sequence[tuple[Claim, Rejection | None]],
                control: int, on: dt.datetime) -> str:  # fmt: skip
    day, first = on.date(), claims[0][0]
    total = money(sum((c.total_charge or Decimal(0) for c, _ in claims), Decimal(0)))
    body: Body = [
        ["BHT", "0085", "08", f"SIM{control}", _d8(day), on.strftime("%H%M"), "TH"],
        ["HL", "1", "", "20", "1"],
        ["NM1", "PR", "2", first.payer.name, "", "", "", "", "PI", first.payer.payer_id],
        ["TRN", "1", f"SIM{control}"], ["DTP", "050", "D8", _d8(day)], ["DTP", "009", "D8", _d8(day)],
        ["HL", "2", "1", "21", "1"],
        ["NM1", "41", "2", "OTBILL", "", "", "", "", "46", receiver],
        ["TRN", "2", f"SIM{control}"], ["STC", "A1:19:PR", _d8(day), "WQ", total],
        ["QTY", "90", str(sum(r is None for _, r in claims))],
    ]  # fmt: skip
    rejected = sum(r is not None for _, r in claims)
    if rejected:
        body.append(["QTY", "AA", str(rejected)])
    bp = first.billing_provider
    body += [["HL", "3", "2", "19", "1"], ["NM1", "85", "2", bp.name, "", "", "", "", "XX", bp.npi]]
    for n, (claim, rejection) in enumerate(claims, start=4):
        body.append(["HL", str(n), "3", "PT"])
        body += _ack_claim(claim, rejection, day)
    settings = _settings(sender, receiver, "HN", "005010X214", control, on)
    return write_interchange(settings, "277", [body])


def _service(r: ClaimResult, n: int) -> Body:
    line = r.lines[n]
    x = line.line
    out = [["SVC", ":".join(["HC", x.code, *x.modifiers]), money(x.charge), money(line.paid), "",
            str(x.units)], ["DTM", "472", _d8(x.date)]]  # fmt: skip
    for group in ("CO", "OA", "PR"):
        trips = [t for t in line.adjustments if t[0] == group]
        if trips:
            out.append(["CAS", group, *(v for _, c, a in trips for v in (c, money(a), ""))][:-1])
    out.append(["AMT", "B6", money(line.allowed)])
    if line.remark:
        out.append(["LQ", "HE", line.remark])
    return out


def _claim(r: ClaimResult) -> Body:
    c = r.claim
    p = c.patient
    pr = money(r.patient_share) if r.patient_share else ""
    out = [
        ["CLP", c.claim_id, r.status, money(r.charge), money(r.paid), pr,
         filing_indicator(c.payer.profile), icn(c.claim_id), c.place_of_service, c.frequency_code],
        ["NM1", "QC", "1", p.last_name, p.first_name, "", "", "", "MI", p.member_id],
    ]  # fmt: skip
    for n in range(len(r.lines)):
        out += _service(r, n)
    return out


def write_835(sender: str, receiver: str, results: Sequence[ClaimResult], control: int,
              on: dt.datetime) -> str:  # fmt: skip
    first, day = results[0].claim, _d8(on.date())
    total = sum((r.paid for r in results), Decimal(0))
    trace = f"SIM{control:09d}"
    bpr = (["BPR", "I", money(total), "C", "ACH", "CCP", "01", "999999999", "DA", "123456",
            "1512345678", "", "01", "999999999", "DA", "654321", day] if total > 0
           else ["BPR", "H", "0", "C", "NON", "", "", "", "", "", "", "", "", "", "", "", day])  # fmt: skip
    bp = first.billing_provider
    body: Body = [
        bpr, ["TRN", "1", trace, "1512345678"], ["DTM", "405", day],
        ["N1", "PR", first.payer.name], ["N3", "1 PAYER WAY"], ["N4", "AUSTIN", "TX", "78701"],
        ["REF", "2U", first.payer.payer_id], ["PER", "BL", "SIMULATOR", "TE", "5555550199"],
        ["N1", "PE", bp.name, "XX", bp.npi], ["REF", "TJ", bp.tax_id], ["LX", "1"],
    ]  # fmt: skip
    for r in results:
        body += _claim(r)
    settings = _settings(sender, receiver, "HP", "005010X221A1", control, on)
    return write_interchange(settings, "835", [body])
