"""The clearinghouse exchange: transports that carry X12 files, and an offline simulator.

Like httpx's transport seam, services talk to one small interface, :class:`Transport`
(``send(files)``, ``fetch()``), and the implementation decides how files travel:
:class:`FolderTransport` (an outbox/inbox folder pair, also what the simulator serves),
:class:`MemoryTransport` (tests) and :class:`~otbill.clearinghouse.sftp.SftpTransport` (SFTP with the
server's host key checked against a known-hosts file). Errors are :class:`TransportError`.
"""

from __future__ import annotations

from otbill.clearinghouse.transport import (
    EdiFile,
    FolderTransport,
    MemoryTransport,
    Transport,
    TransportError,
)

__all__ = ["EdiFile", "FolderTransport", "MemoryTransport", "Transport", "TransportError"]
