"""A clearinghouse and payer on a folder: answers each 837P in ``outbox/`` with 999, 277CA and 835.

For each ``outbox/*.837`` not answered yet (answered files move to ``outbox/processed/``), it
writes into ``inbox/``, named after the 837:

- ``<name>.999``: each transaction set accepted, or rejected when otbill's 837P reader has an
  error finding inside it (a claim that cannot be read, a wrong segment count); a file that cannot
  be read at all gets a 999 rejecting its group.
- ``<name>.277``: every claim of an accepted set, accepted or rejected by the front-door rules of
  :mod:`otbill.clearinghouse.simulator.payer` (reason codes a 277CA reader turns into words).
- ``<name>.835``: the accepted claims adjudicated by that module's rules (fee schedule, CO-45,
  PR-1/PR-2, CO-197 and CO-50 denials; a secondary or tertiary claim, SBR01 S or T, is paid as a
  Medigap Plan L supplement would: 75% of what the prior payer left to the patient, read from the
  claim's 2320 AMT*EAF or 2430 CAS PR), dated 14 days after the 837's creation date (BHT04), so
  answers are the same whenever the simulator runs.

No network: ``otbill clearinghouse simulate --folder DIR`` serves the demo clinic's whole cycle.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from otbill.clearinghouse.simulator.answers import SetVerdict, write_277ca, write_835, write_999
from otbill.clearinghouse.simulator.payer import Prior, Rejection, adjudicate, front_door
from otbill.domain.claim import Claim
from otbill.refdata.dated import DatedFees
from otbill.x12.findings import X12Error
from otbill.x12.read_837p import read_837p
from otbill.x12.tokens import Segment, read_segments

__all__ = ["SimulationReport", "simulate"]


@dataclass(slots=True)
class SimulationReport:
    answered: list[str] = field(default_factory=list)  # 837 files answered
    written: list[str] = field(default_factory=list)  # files put in the inbox
    accepted: int = 0
    rejected: int = 0
    paid: int = 0
    denied: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.answered)} file(s) answered: {self.accepted} claim(s) accepted, "
            f"{self.rejected} rejected, {self.paid} paid, {self.denied} denied; "
            f"wrote {', '.join(self.written) or 'nothing'}"
        )


@dataclass(slots=True)
class _Layout:
    """Who sent the file, its group control number, and which claims each set holds."""

    sender: str = "OTBILL"
    receiver: str = "CLEARINGHOUSE"
    group: str = "0"
    created: dt.datetime = dt.datetime(2000, 1, 1)
    sets: dict[str, tuple[int, int]] = field(default_factory=dict)  # ST02 → (first, last pos)
    claims: dict[str, str] = field(default_factory=dict)  # CLM01 → ST02
    priors: dict[str, Prior] = field(default_factory=dict)  # CLM01 of a secondary/tertiary claim


@dataclass(slots=True)
class _Cob:
    """The 837P loops a secondary claim's prior adjudication is read from (2000B SBR01, 2320
    AMT*EAF, 2400 LX and 2430 SVD/CAS); the last prior payer's amounts win."""

    sbr01: str = "P"
    claim: str | None = None
    line: int = 0
    in_2430: bool = False
    eaf: Decimal | None = None
    lines: dict[int, Decimal] = field(default_factory=dict)

    def read(self, seg: Segment, out: _Layout) -> None:
        if seg.id == "SBR" and self.claim is None:
            self.sbr01 = seg.el(1)
        elif seg.id == "CLM":
            self.claim, self.line, self.in_2430, self.eaf, self.lines = (
                seg.el(1),
                0,
                False,
                None,
                {},
            )
            if self.sbr01 in ("S", "T"):
                out.priors[self.claim] = Prior(self.sbr01, self.lines)
        elif seg.id in ("HL", "SE"):
            self.claim = None
        elif self.claim is None:
            return
        elif seg.id == "AMT" and seg.el(1) == "EAF" and not self.line:
            self.eaf = _amount(seg.el(2))
            if self.claim in out.priors:
                out.priors[self.claim] = Prior(self.sbr01, self.lines, self.eaf)
        elif seg.id == "LX":
            self.line, self.in_2430 = int(seg.el(1)) if seg.el(1).isdigit() else 0, False
        elif seg.id == "SVD":
            self.in_2430, self.lines[self.line] = True, Decimal(0)
        elif seg.id == "CAS" and self.in_2430 and seg.el(1) == "PR":
            for n in range(3, 19, 3):
                self.lines[self.line] += _amount(seg.el(n))
        elif seg.id not in ("CAS", "DTP"):
            self.in_2430 = False


def _amount(text: str) -> Decimal:
    try:
        return Decimal(text) if text else Decimal(0)
    except ArithmeticError:
        return Decimal(0)


def _layout(data: bytes) -> _Layout:
    out, current, start, cob = _Layout(), "", 0, _Cob()
    for seg in read_segments(data):
        cob.read(seg, out)
        if seg.id == "ISA":
            out.sender, out.receiver = seg.el(6).strip(), seg.el(8).strip()
        elif seg.id == "GS":
            out.group = seg.el(6)
        elif seg.id == "ST":
            current, start = seg.el(2), seg.position
        elif seg.id == "SE":
            out.sets[current] = (start, seg.position)
        elif seg.id == "BHT":
            with contextlib.suppress(ValueError):
                out.created = dt.datetime.strptime(seg.el(4) + seg.el(5)[:4], "%Y%m%d%H%M")
        elif seg.id == "CLM":
            out.claims[seg.el(1)] = current
    return out


def _verdicts(layout: _Layout, errors: list[tuple[str, int]]) -> list[SetVerdict]:
    out = []
    for control, (first, last) in layout.sets.items():
        inside = tuple((sid, pos - first + 1) for sid, pos in errors if first <= pos <= last)
        out.append(SetVerdict(control, inside))
    return out


def _answer(name: str, data: bytes, inbox: Path, fees: DatedFees, report: SimulationReport) -> None:
    stem = Path(name).stem
    try:
        layout = _layout(data)
        read = read_837p(data)
    except X12Error as exc:
        layout = _Layout()
        verdicts = [SetVerdict("0001", ((exc.segment_id or "ISA", exc.position or 1),))]
        _write(inbox / f"{stem}.999", write_999(layout.receiver, layout.sender, layout.group,
                                                verdicts, 1, dt.datetime(2000, 1, 1)), report)  # fmt: skip
        return
    errors = [(f.segment_id, f.position or 0) for f in read.findings if f.severity == "error"]
    verdicts = _verdicts(layout, errors)
    bad = {v.control for v in verdicts if v.errors}
    control = int(layout.group) if layout.group.isascii() and layout.group.isdigit() else 1
    on = layout.created + dt.timedelta(days=1)
    me, them = layout.receiver, layout.sender
    _write(inbox / f"{stem}.999", write_999(me, them, layout.group, verdicts, control, on), report)
    claims = [c for c in read.claims if layout.claims.get(c.claim_id) not in bad]
    if not claims:
        return
    acks: list[tuple[Claim, Rejection | None]] = [(c, front_door(c)) for c in claims]
    _write(inbox / f"{stem}.277", write_277ca(me, them, acks, control, on), report)
    report.rejected += sum(r is not None for _, r in acks)
    results = [adjudicate(c, fees, layout.priors.get(c.claim_id)) for c, r in acks if r is None]
    report.accepted += len(results)
    if results:
        pay_on = layout.created + dt.timedelta(days=14)
        _write(inbox / f"{stem}.835", write_835(me, them, results, control, pay_on), report)
        report.denied += sum(r.status == "4" for r in results)
        report.paid += sum(r.status != "4" for r in results)


def _write(path: Path, text: str, report: SimulationReport) -> None:
    part = path.with_name(f".{path.name}.part")
    part.write_text(text)
    os.replace(part, path)
    report.written.append(path.name)


def simulate(folder: Path, fees: DatedFees | None = None) -> SimulationReport:
    """Answer every unanswered 837 in ``folder/outbox`` (see the module docstring)."""
    outbox, inbox, done = folder / "outbox", folder / "inbox", folder / "outbox" / "processed"
    report = SimulationReport()
    if not outbox.is_dir():
        return report
    inbox.mkdir(parents=True, exist_ok=True)
    done.mkdir(exist_ok=True)
    rates = fees or DatedFees([])
    for path in sorted(p for p in outbox.glob("*.837") if p.is_file()):
        _answer(path.name, path.read_bytes(), inbox, rates, report)
        os.replace(path, done / path.name)
        report.answered.append(path.name)
    return report
