"""otbill claim JSON (version 1) in and out: one claim object or a list of them.

Bad input never stops a batch: each item that fails validation becomes a :class:`ClaimInputError`
naming the claim (its ``claim_id`` when it has one, else its position) and the field, with the
message pydantic gives; the other items are still returned. Only text that is not JSON at all is
refused as a whole (:class:`ClaimFileError`, naming the line and column), and so is text that is
not sound: bytes that are not UTF-8 (RFC 8259 §8.1), arrays or objects nested deeper than
:data:`MAX_DEPTH` (a claim list nests five levels), a number too long for Python to convert (over 4,300
digits), or a ``\\uD800``-style escape that is half of a UTF-16 surrogate pair (RFC 8259 §8.2: such
a string cannot be stored, printed or sent as UTF-8).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from otbill.domain.claim import Claim
from otbill.errors import OtbillError

__all__ = [
    "CLAIM_ADAPTER",
    "MAX_DEPTH",
    "ClaimFileError",
    "ClaimInputError",
    "claim_schema",
    "dump_claims",
    "parse_claims",
]

CLAIM_ADAPTER: TypeAdapter[Claim] = TypeAdapter(Claim)

MAX_DEPTH = 32
"""The deepest nesting of arrays and objects read; a claim list nests five levels (list, claim,
lines, line, modifiers)."""

_SURROGATE = re.compile("[\ud800-\udfff]")


class ClaimFileError(OtbillError):
    """The file is not JSON, or not a claim object or list of them."""


@dataclass(frozen=True, slots=True)
class ClaimInputError:
    """One claim of a file that could not be read; the others still are."""

    position: int  # 1-based position in the file
    claim_id: str | None
    problems: tuple[tuple[str, str], ...]  # (field path, what is wrong), at least one

    @property
    def field(self) -> str:
        return self.problems[0][0]

    def __str__(self) -> str:
        who = f"claim {self.claim_id}" if self.claim_id else f"claim #{self.position}"
        return f"{who}: " + "; ".join(f"{field}: {message}" for field, message in self.problems)


def _field_path(loc: tuple[int | str, ...]) -> str:
    """('lines', 0, 'minutes') → 'lines[1].minutes' (positions 1-based, as billers count lines)."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part + 1}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "(claim)"


def _parse_one(item: Any, position: int) -> Claim | ClaimInputError:
    claim_id = item.get("claim_id") if isinstance(item, dict) else None
    claim_id = claim_id if isinstance(claim_id, str) and claim_id else None
    try:
        return CLAIM_ADAPTER.validate_python(item)
    except ValidationError as exc:
        problems = tuple((_field_path(e["loc"]), e["msg"]) for e in exc.errors(include_url=False))
        return ClaimInputError(position, claim_id, problems)


def _load(text: str | bytes) -> Any:
    """``json.loads`` with every way it can fail as one :class:`ClaimFileError`."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ClaimFileError(
            f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    except UnicodeDecodeError as exc:
        raise ClaimFileError(
            f"not UTF-8 text: byte 0x{exc.object[exc.start]:02x} at offset {exc.start}"
        ) from exc
    except RecursionError as exc:
        raise ClaimFileError(f"not a claim file: nested deeper than {MAX_DEPTH} levels") from exc
    except ValueError as exc:  # int() refuses over sys.get_int_max_str_digits() digits
        raise ClaimFileError(
            f"not a claim file: a number with more than {sys.get_int_max_str_digits()} digits"
        ) from exc


def _check_sound(data: Any) -> None:
    """Refuse nesting deeper than MAX_DEPTH and strings holding a lone surrogate, naming where
    (iteratively: the check itself must not recurse as deep as the input)."""
    stack: list[tuple[Any, int, tuple[int | str, ...]]] = [(data, 1, ())]
    while stack:
        value, depth, loc = stack.pop()
        if isinstance(value, str):
            if not value.isascii() and _SURROGATE.search(value):
                raise ClaimFileError(
                    f"{_where(data, loc)}: {_shown(value)} holds half of a UTF-16 surrogate pair"
                )
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise ClaimFileError(f"not a claim file: nested deeper than {MAX_DEPTH} levels")
            if isinstance(value, list):
                stack.extend((item, depth + 1, (*loc, n)) for n, item in enumerate(value))
            else:
                stack.extend((key, depth + 1, (*loc, "(a field name)")) for key in value)
                stack.extend((item, depth + 1, (*loc, key)) for key, item in value.items())


def _where(data: Any, loc: tuple[int | str, ...]) -> str:
    """``claim #2 patient.last_name``: the claim by position, then the field as _field_path."""
    if isinstance(data, list) and loc and isinstance(loc[0], int):
        return f"claim #{loc[0] + 1} {_field_path(loc[1:])}"
    return f"claim #1 {_field_path(loc)}"


def _shown(value: str) -> str:
    """The string quoted with its surrogate escaped, so the message itself prints as UTF-8."""
    text = value if len(value) <= 40 else value[:40] + "…"
    return ascii(text) if _SURROGATE.search(text) else repr(text)


def parse_claims(text: str | bytes) -> list[Claim | ClaimInputError]:
    data = _load(text)
    _check_sound(data)
    items = data if isinstance(data, list) else [data]
    if not all(isinstance(item, dict) for item in items):
        raise ClaimFileError("expected a claim object or a list of claim objects")
    return [_parse_one(item, n) for n, item in enumerate(items, start=1)]


def dump_claims(claims: list[Claim]) -> str:
    """Claims as otbill claim JSON (a list), in the input's field names (``from`` not ``from_``)."""
    data = [
        CLAIM_ADAPTER.dump_python(c, mode="json", by_alias=True, exclude_none=True) for c in claims
    ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def claim_schema() -> dict[str, Any]:
    schema = CLAIM_ADAPTER.json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://otbill.org/schema/claim-v1.json"
    schema["title"] = "otbill claim, version 1"
    return schema
