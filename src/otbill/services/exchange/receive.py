"""Receiving from the clearinghouse: fetch every file waiting in the inbox and apply it.

Order matters: **999s first** (a rejected transaction set sends its claims back before anything
else is read), **then 277CAs** (claims accepted or rejected one by one), **then 835s** (payments
for accepted claims). The kind is read from the file itself (ST01), not from its name; within a
kind files are taken by name. Each file is applied in its own transaction by the existing services
(:func:`~otbill.services.exchange.acknowledgements.apply_acknowledgement`,
:func:`~otbill.services.remittances.post.post_remittance`), so one bad file never stops the others:
a malformed one is reported with the segment named, and stays in the inbox for a person. A file
applied before (same SHA-256) is reported as such and changes nothing. Files handled (applied or
already applied) are archived by the transport when ``archive`` is true.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from otbill import clock
from otbill.clearinghouse.transport import EdiFile, Transport
from otbill.errors import OtbillError
from otbill.services.exchange.acknowledgements import apply_acknowledgement
from otbill.services.remittances.post import post_remittance
from otbill.storage import Database
from otbill.x12.findings import X12Error
from otbill.x12.tokens import read_segments

__all__ = ["FileResult", "ReceiveReport", "receive"]

_ORDER = {"999": 0, "277CA": 1, "835": 2}
_ST01 = {"999": "999", "277": "277CA", "835": "835"}


@dataclass(frozen=True, slots=True)
class FileResult:
    name: str
    kind: str  # 999, 277CA, 835, or "?" when unreadable
    outcome: str  # applied, already_applied, refused, unknown
    summary: str
    details: dict[str, Any] = field(default_factory=dict)  # the service's report, as JSON

    @property
    def ok(self) -> bool:
        return self.outcome in ("applied", "already_applied")


@dataclass(slots=True)
class ReceiveReport:
    files: list[FileResult] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    transport_error: str | None = None

    def count(self, outcome: str) -> int:
        return sum(f.outcome == outcome for f in self.files)

    def as_json(self) -> dict[str, Any]:
        return {
            "files": [asdict(f) for f in self.files],
            "archived": self.archived,
            "transport_error": self.transport_error,
        }

    def summary(self) -> str:
        if self.transport_error:
            return f"could not fetch from the clearinghouse: {self.transport_error}"
        head = (
            f"{len(self.files)} file(s): {self.count('applied')} applied, "
            f"{self.count('already_applied')} already applied, "
            f"{self.count('refused') + self.count('unknown')} refused"
        )
        return "\n".join([head, *(f"  {f.summary}" for f in self.files)])


def kind_of(data: bytes) -> str:
    """999, 277CA or 835 from the first ST segment; :class:`X12Error` when unreadable."""
    for seg in read_segments(data):
        if seg.id == "ST":
            kind = _ST01.get(seg.el(1))
            if kind is None:
                raise X12Error(
                    f"a {seg.el(1)!r} transaction set: otbill receives 999, 277CA and 835",
                    position=seg.position,
                    segment_id="ST",
                    element="ST01",
                )
            return kind
    raise X12Error("no ST segment: not an X12 transaction set", position=1)


def _sorted(files: list[EdiFile]) -> list[tuple[EdiFile, str | X12Error]]:
    typed: list[tuple[EdiFile, str | X12Error]] = []
    for f in files:
        try:
            typed.append((f, kind_of(f.data)))
        except X12Error as exc:
            typed.append((f, exc))

    def order(item: tuple[EdiFile, str | X12Error]) -> tuple[int, str]:
        kind = item[1]
        return (_ORDER[kind] if isinstance(kind, str) else 3, item[0].name)

    return sorted(typed, key=order)


def _apply(
    db: Database, clinic_id: int, actor_id: int, f: EdiFile, kind: str, today: dt.date
) -> FileResult:
    try:
        if kind == "835":
            posted = post_remittance(db, clinic_id, actor_id, f.data, name=f.name, today=today)
            outcome = "already_applied" if posted.already_posted else "applied"
            return FileResult(f.name, kind, outcome, posted.summary(), posted.as_json())
        ack = apply_acknowledgement(db, clinic_id, actor_id, f.data, name=f.name)
    except OtbillError as exc:
        text = str(exc)
        text = text if text.startswith(f.name) else f"{f.name}: {text}"
        return FileResult(f.name, kind, "refused", text)
    outcome = "already_applied" if ack.already_applied else "applied"
    return FileResult(f.name, kind, outcome, ack.summary().splitlines()[0], ack.as_json())


def receive(
    db: Database,
    clinic_id: int,
    actor_id: int,
    transport: Transport,
    *,
    today: dt.date | None = None,
    archive: bool = True,
) -> ReceiveReport:
    """Fetch and apply every inbox file, 999s, then 277CAs, then 835s (see the module doc)."""
    report = ReceiveReport()
    try:
        files = transport.fetch()
    except (OtbillError, OSError) as exc:
        report.transport_error = str(exc)
        return report
    on = today or clock.today()
    for f, kind in _sorted(files):
        if isinstance(kind, X12Error):
            report.files.append(FileResult(f.name, "?", "unknown", f"{f.name}: {kind}"))
            continue
        result = _apply(db, clinic_id, actor_id, f, kind, on)
        report.files.append(result)
        if archive and result.ok:
            try:
                transport.archive(f.name)
            except (OSError, OtbillError):
                continue  # applying is idempotent: the next fetch reports it as already applied
            report.archived.append(f.name)
    return report
