"""Rows written with core statements that the kept tables must still follow.

The derived tables (the owner's summaries, open days and collection days, the dashboard's
rollups) are kept by ``after_flush`` listeners that read the flush's new ORM rows. A writer that
adds thousands of rows at once (an 835's postings, :mod:`.remittance_batch`) writes them as plain
rows instead, which no flush sees; :func:`keep_written` then runs the same listeners, in their
order, for those rows, and :func:`new_rows` is how every listener finds a flush's rows of a kind:
the ORM's new objects, or the rows handed here (objects with the model's attribute names).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from otbill.storage.repositories.rows import flush

__all__ = ["keep_written", "new_rows"]

_KEY = "otbill.written_rows"
R = TypeVar("R")


def new_rows(session: Session, model: type[R]) -> list[R]:
    """The rows of ``model`` this flush added: the session's new objects, or the rows a
    :func:`keep_written` call is keeping."""
    written = session.info.get(_KEY)
    if written is not None:
        return list(written.get(model, ()))
    return [o for o in session.new if isinstance(o, model)]


def keep_written(session: Session, model: type[Any], rows: Sequence[Any]) -> None:
    """Run the kept tables' ``after_flush`` listeners for ``rows`` of ``model``, already written
    in the session's transaction, as a flush that added them would. The session has nothing
    pending then (it is flushed first), so the listeners see these rows alone."""
    if not rows:
        return
    flush(session)
    session.info[_KEY] = {model: rows}
    try:
        session.dispatch.after_flush(session, None)
    finally:
        del session.info[_KEY]
