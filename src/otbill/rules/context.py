"""What a rule may read besides the claim: the payer profile, the reference tables, today's date,
the rest of the batch, and facts computed once per claim (code entries, units by date).

Nothing here touches a database or a file: the caller builds a :class:`ScrubContext` once per run
(tables loaded, profiles read) and the engine derives one :class:`ClaimContext` per claim.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from array import array
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Protocol, TypeVar, cast

from otbill import units
from otbill.codes import cpt
from otbill.domain.appeals import PreventionCheck
from otbill.domain.claim import Claim, ServiceLine
from otbill.errors import CodeError, UnitsError
from otbill.payers import PayerProfile

T = TypeVar("T")

__all__ = ["BatchIndex", "ClaimContext", "FeeLookup", "MueLookup", "PtpLookup", "ScrubContext"]


class PtpEditLike(Protocol):
    """Read-only view of an NCCI edit (``otbill.refdata.ncci.PtpEdit``)."""

    @property
    def column1(self) -> str: ...
    @property
    def column2(self) -> str: ...
    @property
    def modifier_indicator(self) -> int: ...


class MueLimitLike(Protocol):
    """Read-only view of an MUE limit (``otbill.refdata.mue.MueLimit``)."""

    @property
    def max_units(self) -> int: ...
    @property
    def mai(self) -> int: ...


class PtpLookup(Protocol):
    """The NCCI procedure-to-procedure table (``otbill.refdata.ncci.PtpTable``)."""

    def active_pairs_for(self, codes: set[str], on: dt.date) -> Sequence[PtpEditLike]: ...


class FeeLookup(Protocol):
    """Allowed amounts by date of service (``otbill.services.claims.scrub.DatedFees``); None = unknown."""

    def allowed(
        self, code: str, *, on: dt.date, modifier: str = "", facility: bool = False
    ) -> Decimal | None: ...


class MueLookup(Protocol):
    """The Medically Unlikely Edits table (``otbill.refdata.mue.MueTable``)."""

    def limit(self, code: str, on: dt.date) -> MueLimitLike | None: ...


def _line_key(patient: str, date: dt.date, code: str, npi: str) -> int:
    """A 64-bit digest of a billed service: small enough to keep for a million-claim batch."""
    raw = f"{patient}|{date.toordinal()}|{code}|{npi}".encode()
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "little")


class BatchIndex:
    """Services billed earlier in this batch, for duplicate checks across claims.

    A million-claim stream bills about four million services, so the index keeps only a 64-bit
    digest of each (a false match needs a collision: about 1 in 10^19 per pair) in an
    open-addressing table over ``array('Q')`` — 16 bytes a service at half load, against some 100
    for a Python set of ints. Claim ids are kept for the first ``keep_ids_for`` services only,
    enough to name the other claim in everyday batches.
    """

    def __init__(self, keep_ids_for: int = 50_000, capacity: int = 1 << 16) -> None:
        self._slots = array("Q", bytes(8 * capacity))
        self._mask = capacity - 1
        self._count = 0
        self._ids: dict[int, str] = {}
        self._keep_ids_for = keep_ids_for

    def __len__(self) -> int:
        return self._count

    def _find(self, key: int) -> int:
        """The slot holding ``key``, or the empty slot where it would go (0 marks empty)."""
        slots, mask = self._slots, self._mask
        index = key & mask
        while True:
            held = slots[index]
            if held == key or held == 0:
                return index
            index = (index + 1) & mask

    def __contains__(self, key: int) -> bool:
        key = key or 1
        return self._slots[self._find(key)] == key

    def claim_for(self, key: int) -> str | None:
        """The id of the earlier claim that billed this service, when it was kept."""
        return self._ids.get(key or 1)

    def add(self, key: int, claim_id: str) -> None:
        key = key or 1
        index = self._find(key)
        if self._slots[index] == key:
            return
        self._slots[index] = key
        self._count += 1
        if len(self._ids) < self._keep_ids_for:
            self._ids[key] = claim_id
        if 2 * self._count > len(self._slots):
            self._grow()

    def _grow(self) -> None:
        old = self._slots
        self._slots = array("Q", bytes(16 * len(old)))
        self._mask = len(self._slots) - 1
        for key in old:
            if key:
                self._slots[self._find(key)] = key


@dataclass
class ScrubContext:
    """Everything a scrub run shares across claims."""

    profiles: Mapping[str, PayerProfile]
    today: dt.date
    ncci: PtpLookup | None = None
    mue: MueLookup | None = None
    fee_schedule: FeeLookup | None = None  # for estimating allowed amounts (KX threshold)
    batch: BatchIndex = field(default_factory=BatchIndex)
    clinic_rules: tuple[PreventionCheck, ...] = ()  # accepted prevention checks (CLN001)
    # A payer's profile with the clinic's accepted payer-profile changes, by EDI payer ID
    # (otbill.payers.changes): it replaces the named profile for that payer's claims alone.
    payer_profiles: Mapping[str, PayerProfile] = field(default_factory=dict)

    def profile_for(self, name: str, payer_code: str) -> PayerProfile | None:
        """The profile a payer's claims are scrubbed and counted with: the payer's own (with
        accepted changes) when it has one, else the profile ``name``; None when not loaded."""
        own = self.payer_profiles.get(payer_code.strip().upper()) if self.payer_profiles else None
        return own or self.profiles.get(name)


class ClaimContext:
    """One claim's view of the run, with facts computed once and shared by every rule."""

    def __init__(self, claim: Claim, run: ScrubContext, profile: PayerProfile) -> None:
        self.claim = claim
        self.run = run
        self.profile = profile
        self.today = run.today
        self._memo: dict[str, object] = {}

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """A fact several rules share, computed once for this claim (key it by family: "ncci.x")."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(T, self._memo[key])

    @cached_property
    def infos(self) -> tuple[cpt.CodeInfo | None, ...]:
        """Each line's catalog entry in force on its date, or None (the code rules report why)."""
        return tuple(_info_or_none(line) for line in self.claim.lines)

    @cached_property
    def lines_by_date(self) -> dict[dt.date, list[int]]:
        by_date: dict[dt.date, list[int]] = defaultdict(list)
        for i, line in enumerate(self.claim.lines):
            by_date[line.date].append(i)
        return dict(by_date)

    @cached_property
    def units_by_date(self) -> dict[dt.date, units.UnitsResult]:
        """What the units engine gives for each date's minutes under the payer's method.

        Only lines with a known code and recorded minutes take part; a date whose input the
        engine refuses (e.g. two evaluations) is left out, and the code rules report it.
        """
        results: dict[dt.date, units.UnitsResult] = {}
        for date, indexes in self.lines_by_date.items():
            segments = [
                (self.claim.lines[i].code, self.claim.lines[i].minutes or 0)
                for i in indexes
                if self.infos[i] is not None
                and (self.claim.lines[i].minutes is not None or not self.infos[i].timed)  # type: ignore[union-attr]
            ]
            try:
                results[date] = units.compute_units(segments, self.profile.units_method)
            except UnitsError:
                continue
        return results

    def rendering_npi(self, line: ServiceLine) -> str:
        if line.rendering_npi:
            return line.rendering_npi
        provider = self.claim.rendering_provider
        return provider.npi if provider else self.claim.billing_provider.npi

    def service_key(self, line: ServiceLine) -> int:
        code = cpt.compact(line.code)
        return _line_key(self.claim.patient.id, line.date, code, self.rendering_npi(line))

    @cached_property
    def first_date(self) -> dt.date:
        return min(line.date for line in self.claim.lines)

    @cached_property
    def last_date(self) -> dt.date:
        return max(line.date for line in self.claim.lines)


def _info_or_none(line: ServiceLine) -> cpt.CodeInfo | None:
    try:
        return cpt.lookup(line.code, line.date)
    except CodeError:
        return None
