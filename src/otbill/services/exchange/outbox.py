"""The submission outbox: each 837P file is recorded "to send" and committed before it is sent,
and marked sent after, so no file is sent twice nor lost when the worker dies in between.

Why: a worker killed after the transport took a file but before its transaction committed used
to lose the record of the file while the clearinghouse had it. Now the files and the claims'
move to ``submitted`` commit first (:func:`otbill.services.claims.submit.write_batch` with
``outbox``); :func:`send_outbox` then sends each file still in the outbox and marks it sent in a
transaction of its own. A retry after a kill sends only the files not marked sent: at most the
one that was in flight goes again, byte for byte (same file name, same ISA13/GS06 control
number), which the clearinghouse recognises as a resend of a file it has.
"""

from __future__ import annotations

from collections.abc import Callable

from otbill.clearinghouse.transport import EdiFile, Transport
from otbill.storage import Database

__all__ = ["send_outbox"]


def send_outbox(
    db: Database,
    clinic_id: int,
    actor_id: int | None,
    transport: Transport,
    progress: Callable[[int, int], None] | None = None,
) -> list[str]:
    """Send every file of the clinic's outbox, oldest first, marking each sent (audited as
    ``edi.sent``) once the transport took it; returns the names sent. A transport error stops
    here: the files not sent stay in the outbox for the next run."""
    with db.unit_of_work(clinic_id, actor_id) as uow:
        waiting = uow.exchange.outbox()
    sent: list[str] = []
    for n, file in enumerate(waiting, start=1):
        transport.send([EdiFile(file.name, file.data)])
        with db.unit_of_work(clinic_id, actor_id) as uow:
            if uow.exchange.mark_sent(file.id):
                after = {"sent": True, "name": file.name, "control_number": file.control_number}
                uow.audit.record(actor_id, "edi.sent", "edi_file", file.id, {"sent": False}, after)
        sent.append(file.name)
        if progress is not None:
            progress(n, len(waiting))
    return sent
