"""Facts shared by the NCCI rules: the services of one day and one rendering provider."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from otbill.codes import cpt
from otbill.domain.claim import Claim, HistoryLine
from otbill.rules.context import ClaimContext

__all__ = ["BYPASS_TO_ADD", "DayGroup", "day_groups", "ptp_source"]

#: The bypass modifier the SAFE fix adds. CMS names 59 in its therapy example (97140 with 97530 in
#: separate 15-minute intervals); XU is the X{EPSU} equivalent. We keep one, simple choice.
BYPASS_TO_ADD = "59"


@dataclass(slots=True)
class DayGroup:
    """What one rendering provider billed for the patient on one date (PTP edits apply there)."""

    date: dt.date
    npi: str
    lines: dict[str, list[int]] = field(default_factory=dict)  # code -> this claim's line indexes
    history: dict[str, list[HistoryLine]] = field(default_factory=dict)  # code -> earlier lines

    def codes(self) -> set[str]:
        return self.lines.keys() | self.history.keys()


def day_groups(claim: Claim, ctx: ClaimContext) -> list[DayGroup]:
    """This claim's lines and the patient's earlier lines, grouped by (date, rendering NPI).

    History lines without a rendering NPI are left out: we cannot tell whose they were.
    """
    groups: dict[tuple[dt.date, str], DayGroup] = {}
    for i, line in enumerate(claim.lines):
        npi = ctx.rendering_npi(line)
        group = groups.get((line.date, npi))
        if group is None:
            group = groups[(line.date, npi)] = DayGroup(line.date, npi)
        group.lines.setdefault(cpt.compact(line.code), []).append(i)
    for past in claim.history:
        if past.rendering_npi is None or past.claim_id == claim.claim_id:
            continue
        group = groups.get((past.date, past.rendering_npi))
        if group is not None:
            group.history.setdefault(cpt.compact(past.code), []).append(past)
    return list(groups.values())


def ptp_source(ctx: ClaimContext) -> str:
    release = str(getattr(ctx.run.ncci, "release", "") or "of the date of service")
    return (
        f"CMS NCCI procedure-to-procedure edits, practitioner table, release {release}; "
        "NCCI Policy Manual for Medicare Services, ch. I (modifiers 59 and X{EPSU}) and ch. XI"
    )
