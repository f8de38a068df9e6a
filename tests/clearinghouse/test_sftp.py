"""The SFTP transport against a real asyncssh SFTP server on loopback (keys made in tmp)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import asyncssh
import pytest

from otbill.clearinghouse import EdiFile, TransportError
from otbill.clearinghouse.sftp import SftpTransport


class _Server:
    """An SFTP server in its own thread and event loop, chrooted to ``root``."""

    def __init__(self, root: Path, host_key: asyncssh.SSHKey, client_pub: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

        async def start() -> asyncssh.SSHAcceptor:
            return await asyncssh.listen(
                "127.0.0.1",
                0,
                server_host_keys=[host_key],
                authorized_client_keys=str(client_pub),
                sftp_factory=lambda chan: asyncssh.SFTPServer(chan, chroot=str(root)),
                allow_scp=False,
            )

        self.acceptor = asyncio.run_coroutine_threadsafe(start(), self.loop).result(10)
        self.port = self.acceptor.get_port()

    def close(self) -> None:
        async def stop() -> None:
            self.acceptor.close()
            await self.acceptor.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture
def sftp(tmp_path: Path) -> Iterator[tuple[_Server, Path, Path, Path]]:
    root = tmp_path / "server"
    (root / "outbox").mkdir(parents=True)
    (root / "inbox").mkdir()
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    client_key = asyncssh.generate_private_key("ssh-ed25519")
    client_path = tmp_path / "client_key"
    client_key.write_private_key(str(client_path))
    pub = tmp_path / "client_key.pub"
    client_key.write_public_key(str(pub))
    server = _Server(root, host_key, pub)
    known = tmp_path / "known_hosts"
    line = host_key.export_public_key("openssh").decode().strip()
    known.write_text(f"[127.0.0.1]:{server.port} {line}\n")
    try:
        yield server, root, client_path, known
    finally:
        server.close()


def _transport(server: _Server, key: Path, known: Path) -> SftpTransport:
    return SftpTransport("127.0.0.1", "clinic", key, known, port=server.port, timeout=10)


def test_send_fetch_and_archive_over_sftp(sftp) -> None:  # type: ignore[no-untyped-def]
    server, root, key, known = sftp
    transport = _transport(server, key, known)
    transport.send([EdiFile("DEMO-000000001.837", b"ISA*...~")])
    assert (root / "outbox" / "DEMO-000000001.837").read_bytes() == b"ISA*...~"
    assert not list((root / "outbox").glob(".*"))
    (root / "inbox" / "DEMO-000000001.999").write_bytes(b"999 data")
    assert transport.fetch() == [EdiFile("DEMO-000000001.999", b"999 data")]
    transport.archive("DEMO-000000001.999")
    assert transport.fetch() == []
    assert (root / "inbox" / "processed" / "DEMO-000000001.999").exists()


def test_an_unknown_host_key_is_refused(sftp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, root, key, _ = sftp
    stranger = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh")
    known = tmp_path / "other_known_hosts"
    known.write_text(f"[127.0.0.1]:{server.port} {stranger.decode().strip()}\n")
    with pytest.raises(TransportError, match="host key not trusted"):
        _transport(server, key, known).send([EdiFile("X.837", b"x")])
    empty = tmp_path / "empty_known_hosts"
    empty.write_text("")
    with pytest.raises(TransportError, match="host key not trusted"):
        _transport(server, key, empty).fetch()
    assert not list((root / "outbox").iterdir())
