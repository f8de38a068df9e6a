"""A folder transport with the simulator in the loop: every 837 sent is answered at once.

For demos and tests: ``send`` drops the 837P files in ``folder/outbox`` (exactly as
:class:`~otbill.clearinghouse.transport.FolderTransport` does) and then runs
:func:`~otbill.clearinghouse.simulator.folder.simulate`, so the 999, 277CA and 835 answers are already
waiting in ``folder/inbox`` for the next fetch. No network, deterministic answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from otbill.clearinghouse.simulator.folder import SimulationReport, simulate
from otbill.clearinghouse.transport import EdiFile, FolderTransport
from otbill.refdata.dated import DatedFees

__all__ = ["SimulatedClearinghouse"]


@dataclass
class SimulatedClearinghouse:
    """``FolderTransport(folder)`` whose ``send`` also runs the simulator on the folder."""

    folder: Path
    fees: DatedFees | None = None  # the fee schedule the simulated payer allows (none: 80%)
    last_report: SimulationReport | None = None  # what the simulator did on the last send

    @property
    def _folder(self) -> FolderTransport:
        return FolderTransport(self.folder)

    def send(self, files: Sequence[EdiFile]) -> None:
        self._folder.send(files)
        self.last_report = simulate(self.folder, self.fees)

    def fetch(self) -> list[EdiFile]:
        return self._folder.fetch()

    def archive(self, name: str) -> None:
        self._folder.archive(name)
