"""Numbers in paths, query strings and forms, bounded in one place (issue 11, item 18).

A row id is a signed 64-bit integer in both databases (SQLite INTEGER, PostgreSQL BIGINT); a
larger number given to a query fails inside the driver ("Python int too large to convert to
SQLite INTEGER", psycopg's NumericValueOutOfRange), which surfaced as a 500. Two guards:

* :func:`bounded_params`, a dependency of every route (``create_app`` adds it), refuses before the
  route runs any path parameter the route reads as an ``int`` that is beyond :data:`MAX_ID` (404:
  no such row can exist), any such query parameter or form field, and any integer beyond it in a
  JSON body (422, naming the parameter or field). Routes and body models keep declaring plain ``int``.
* :func:`whole_number` reads a number typed into a form or a filter: plain ASCII digits only
  (``"²"`` and ``"１２"`` pass ``str.isdigit`` but are no number ``int`` reads), at most
  :data:`MAX_ID`; :func:`is_whole` is the test forms use before ``int`` (in place of
  ``str.isdigit``, which also lets through 5,000 digits that ``int`` refuses to convert).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import deque
from typing import Any

from fastapi import HTTPException, Request, status

__all__ = ["MAX_ID", "MAX_PAGE", "bounded_params", "is_whole", "whole_number"]

MAX_ID = 2**63 - 1
"""The largest signed 64-bit integer: the largest row id either database can hold."""

MAX_PAGE = 1_000_000
"""The highest page number a list accepts: its offset (page × size) stays far inside MAX_ID."""

_DIGITS = 19  # len(str(MAX_ID))
_LONG_RUN = re.compile(rb"[0-9]{19}")  # a body without one holds no integer beyond MAX_ID
_Names = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
_KEPT = "_otbill_int_params"  # the route's int parameter names, kept on the route itself


def _too_big(value: Any) -> bool:
    """A number (int, or text of digits) beyond :data:`MAX_ID`, or digits ``int`` cannot read."""
    if isinstance(value, int):
        return not -MAX_ID <= value <= MAX_ID
    if not isinstance(value, str):
        return False
    text = value.strip().lstrip("+-")
    if not text.isdigit():
        return False
    return not text.isascii() or len(text) > _DIGITS or int(text) > MAX_ID


def _int_params(route: Any) -> _Names:
    """The path, query and form parameters ``route`` reads as ``int`` (or ``int | None``), worked
    out once per route object (routes are unhashable; the names live as long as the route)."""
    kept: _Names | None = getattr(route, _KEPT, None)
    if kept is not None:
        return kept
    dependant = getattr(route, "dependant", None)
    found: _Names = ((), (), ())
    if dependant is not None:
        found = (
            _names(dependant, "path_params"),
            _names(dependant, "query_params"),
            _names(dependant, "body_params"),  # form fields (a JSON body is checked whole)
        )
    with contextlib.suppress(AttributeError, TypeError):  # no route, or one that takes no field
        setattr(route, _KEPT, found)
    return found


def _names(dependant: Any, kind: str) -> tuple[str, ...]:
    """The int parameters of ``kind`` of a route's dependant and all its sub-dependencies."""
    names: list[str] = []
    pending = [dependant]
    while pending:
        item = pending.pop()
        names += [f.alias for f in getattr(item, kind) if _is_int(f.field_info.annotation)]
        pending += item.dependencies
    return tuple(dict.fromkeys(names))


def _is_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    return int in getattr(annotation, "__args__", ()) and bool not in annotation.__args__


async def bounded_params(request: Request) -> None:
    """Refuse int path parameters beyond any row id (404), and int query parameters and JSON
    body integers beyond it (422)."""
    path_names, query_names, form_names = _int_params(request.scope.get("route"))
    for name in path_names:
        if _too_big(request.path_params.get(name)):
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Not Found")
    for name in query_names:
        for value in request.query_params.getlist(name):
            if _too_big(value):
                raise HTTPException(
                    status.HTTP_422_UNPROCESSABLE_CONTENT,
                    f"{name}: {value[:30]!r} is not a whole number up to {MAX_ID}",
                )
    if form_names and "form" in request.headers.get("content-type", ""):
        form = await request.form()  # parsed already for the route: Starlette keeps it
        for name in form_names:
            field = form.get(name)
            if isinstance(field, str) and _too_big(field):
                raise HTTPException(
                    status.HTTP_422_UNPROCESSABLE_CONTENT,
                    f"{name}: {field[:30]!r} is not a whole number up to {MAX_ID}",
                )
    if "json" in request.headers.get("content-type", "") and request.method != "GET":
        where = _big_int_in(await request.body())
        if where is not None:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                f"{where}: not a whole number up to {MAX_ID}",
            )


def _big_int_in(body: bytes) -> str | None:
    """The field (``services[1].minutes``) of the first integer beyond MAX_ID in a JSON body;
    None when there is none, or the body is not JSON (the route says what is wrong with it)."""
    if not _LONG_RUN.search(body):
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    pending: deque[tuple[Any, str]] = deque([(data, "")])
    while pending:  # breadth first, in document order: the first such field is named
        value, where = pending.popleft()
        if isinstance(value, int) and not isinstance(value, bool) and _too_big(value):
            return where or "body"
        if isinstance(value, dict):
            pending += [(v, f"{where}.{k}" if where else str(k)) for k, v in value.items()]
        elif isinstance(value, list):
            pending += [(v, f"{where}[{n}]") for n, v in enumerate(value, start=1)]
    return None


def is_whole(text: str, digits: int = _DIGITS - 1) -> bool:
    """``text`` is 1 to ``digits`` plain ASCII digits: ``int(text)`` reads it, and (with the
    default 18) it fits a 64-bit row id."""
    return 0 < len(text) <= digits and text.isascii() and text.isdigit()


def whole_number(value: str | None, name: str, *, highest: int = MAX_ID) -> int | None:
    """A form or filter field as a whole number: None when blank or not plain digits (the field is
    then left out, as before); a number beyond ``highest`` is a 422 naming the field."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    if len(text) > _DIGITS or int(text) > highest:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"{name}: {text[:30]!r} is not a whole number up to {highest}",
        )
    return int(text)
