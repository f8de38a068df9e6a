"""The transport seam: send files to the clearinghouse, fetch the files it left for us.

Folder layout (also on the SFTP server): ``outbox/`` holds what we send (837P), ``inbox/`` what the
clearinghouse answers (999, 277CA, 835). Fetching does not delete: applying a file is idempotent
(its SHA-256 is recorded), so fetching the same file twice is harmless; ``archive`` moves a handled
file to ``inbox/processed/``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from otbill.errors import OtbillError

__all__ = ["EdiFile", "FolderTransport", "MemoryTransport", "Transport", "TransportError"]


class TransportError(OtbillError):
    """A file could not be sent or fetched (names the transport and what failed)."""


@dataclass(frozen=True, slots=True)
class EdiFile:
    name: str  # a plain file name, no folders
    data: bytes


def check_name(name: str) -> str:
    if not name or name.startswith(".") or "/" in name or "\\" in name:
        raise TransportError(f"file name {name!r}: a plain name, not hidden, without folders")
    return name


class Transport(Protocol):
    def send(self, files: Sequence[EdiFile]) -> None:
        """Deliver every file to the clearinghouse's outbox (all or an exception)."""

    def fetch(self) -> list[EdiFile]:
        """Every file waiting in the inbox, by name."""

    def archive(self, name: str) -> None:
        """Move a handled inbox file aside (to ``inbox/processed/``)."""


@dataclass
class FolderTransport:
    """A local folder drop: ``root/outbox`` and ``root/inbox``."""

    root: Path

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    def send(self, files: Sequence[EdiFile]) -> None:
        self.outbox.mkdir(parents=True, exist_ok=True)
        for f in files:
            target = self.outbox / check_name(f.name)
            if target.exists():
                if target.read_bytes() == f.data:  # a resend of the file already there
                    continue
                raise TransportError(f"{target}: already in the outbox; not overwritten")
            part = target.with_name(f".{f.name}.part")  # readers never see half a file
            part.write_bytes(f.data)
            os.replace(part, target)

    def fetch(self) -> list[EdiFile]:
        if not self.inbox.is_dir():
            return []
        return [
            EdiFile(p.name, p.read_bytes())
            for p in sorted(self.inbox.iterdir())
            if p.is_file() and not p.name.startswith(".")
        ]

    def archive(self, name: str) -> None:
        done = self.inbox / "processed"
        done.mkdir(exist_ok=True)
        os.replace(self.inbox / check_name(name), done / name)


@dataclass
class MemoryTransport:
    """In memory, for tests: ``sent`` collects what was sent; put answers in ``inbox``."""

    sent: list[EdiFile] = field(default_factory=list)
    inbox: dict[str, bytes] = field(default_factory=dict)

    def send(self, files: Sequence[EdiFile]) -> None:
        self.sent.extend(files)

    def fetch(self) -> list[EdiFile]:
        return [EdiFile(n, d) for n, d in sorted(self.inbox.items())]

    def archive(self, name: str) -> None:
        self.inbox.pop(name, None)
