"""Rows written with core statements that the kept tables must still follow.

The derived tables (the owner's summaries, open days and collection days, the dashboard's
rollups) are kept by ``after_flush`` listeners that read the flush's new ORM rows. A writer that
adds thousands of rows at once (an 835's postings, :mod:`.remittance_batch`) writes them as plain
rows instead, which no flush sees; :func:`keep_written` then runs the same listeners, in their
order, for those rows, and :func:`new_rows` is how every listener finds a flush's rows of a kind:
the ORM's new objects, or the rows handed here (objects with the model's attribute names).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from otbill.storage.repositories.rows import flush

__all__ = ["keep_written", "kept_together", "new_rows"]

_KEY = "otbill.written_rows"
_GATHERED = "otbill.written_rows.gathered"
R = TypeVar("R")


def new_rows(session: Session, model: type[R]) -> list[R]:
    """The rows of ``model`` this flush added: the session's new objects, or the rows a
    :func:`keep_written` call is keeping."""
    written = session.info.get(_KEY)
    if written is not None:
        return list(written.get(model, ()))
    return [o for o in session.new if isinstance(o, model)]


def keep_written(session: Session, written: Mapping[type[Any], Sequence[Any]]) -> None:
    """Run the kept tables' ``after_flush`` listeners for these rows (by model), already written
    in the session's transaction, as a flush that added them would. The session has nothing
    pending then (it is flushed first), so the listeners see these rows alone."""
    if not any(written.values()):
        return
    gathered = session.info.get(_GATHERED)
    if gathered is not None:  # inside kept_together: once, at its end
        for model, rows in written.items():
            gathered.setdefault(model, []).extend(rows)
        return
    flush(session)
    session.info[_KEY] = written
    try:
        session.dispatch.after_flush(session, None)
    finally:
        del session.info[_KEY]


@contextmanager
def kept_together(session: Session) -> Iterator[None]:
    """Gather the :func:`keep_written` calls made inside and keep the derived tables once, at
    the end, for all their rows (a batch's claim changes and postings: the same claims'
    summary rows are then updated once, not once per call). Not reentrant (a nested block is
    refused). Nothing the
    listeners follow may be flushed inside: that flush would count the gathered rows, already
    written, as made before it."""
    if _GATHERED in session.info:  # the inner block's end would keep the outer's rows early
        raise RuntimeError("kept_together is already gathering in this session")
    flush(session)
    gathered: dict[type[Any], list[Any]] = {}
    session.info[_GATHERED] = gathered
    try:
        yield
    finally:
        del session.info[_GATHERED]
    keep_written(session, gathered)
