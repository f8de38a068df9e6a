"""SFTP transport (asyncssh), the way most clearinghouses take 837s and return 999/277CA/835.

The server's host key must be in the given known-hosts file: an unknown or changed key is refused
(:class:`TransportError`), never accepted on first use. The client logs in with a private key.
Each call opens one connection, does its work and closes it; the interface is synchronous (it runs
its own event loop), so call it from plain code, not from inside a running event loop.
"""

from __future__ import annotations

import asyncio
import posixpath
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import asyncssh

from otbill.clearinghouse.transport import EdiFile, TransportError, check_name

__all__ = ["SftpTransport"]

T = TypeVar("T")


@dataclass(frozen=True)
class SftpTransport:
    host: str
    username: str
    client_key: Path
    known_hosts: Path
    port: int = 22
    outbox: str = "outbox"
    inbox: str = "inbox"
    timeout: float = 30.0

    def _run(self, work: Callable[[asyncssh.SFTPClient], Awaitable[T]]) -> T:
        async def session() -> T:
            async with (
                asyncssh.connect(
                    self.host,
                    self.port,
                    username=self.username,
                    client_keys=[str(self.client_key)],
                    known_hosts=str(self.known_hosts),
                    connect_timeout=self.timeout,
                    agent_path=None,
                ) as conn,
                conn.start_sftp_client() as sftp,
            ):
                return await work(sftp)

        where = f"sftp://{self.username}@{self.host}:{self.port}"
        try:
            return asyncio.run(session())
        except asyncssh.HostKeyNotVerifiable as exc:
            raise TransportError(f"{where}: host key not trusted ({exc.reason}); refused") from exc
        except (OSError, asyncssh.Error) as exc:
            raise TransportError(f"{where}: {type(exc).__name__}: {exc}") from exc

    def send(self, files: Sequence[EdiFile]) -> None:
        async def work(sftp: asyncssh.SFTPClient) -> None:
            for f in files:
                target = posixpath.join(self.outbox, check_name(f.name))
                part = posixpath.join(self.outbox, f".{f.name}.part")
                async with sftp.open(part, "wb") as handle:
                    await handle.write(f.data)
                await sftp.rename(part, target)

        self._run(work)

    def fetch(self) -> list[EdiFile]:
        async def work(sftp: asyncssh.SFTPClient) -> list[EdiFile]:
            out = []
            for name in sorted(await sftp.listdir(self.inbox)):
                path = posixpath.join(self.inbox, name)
                if name.startswith(".") or not await sftp.isfile(path):
                    continue
                async with sftp.open(path, "rb") as handle:
                    out.append(EdiFile(name, await handle.read()))
            return out

        return self._run(work)

    def archive(self, name: str) -> None:
        async def work(sftp: asyncssh.SFTPClient) -> None:
            done = posixpath.join(self.inbox, "processed")
            if not await sftp.isdir(done):
                await sftp.mkdir(done)
            await sftp.rename(
                posixpath.join(self.inbox, check_name(name)), posixpath.join(done, name)
            )

        self._run(work)
