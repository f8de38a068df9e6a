"""The audit chain's arithmetic: canonical JSON and SHA-256 over the previous hash plus the row.

Why a chain: each row's hash covers the previous row's hash, so editing any row changes its hash
(detected when recomputed) and deleting one breaks the link of the next (detected as a gap).
Pure functions: storage calls them when appending and when verifying.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

__all__ = ["GENESIS", "canonical_json", "event_hash", "hash_of", "jsonable", "row_json"]

#: The "previous hash" of a clinic's first audit row.
GENESIS = "0" * 64


#: Values that are JSON as they are (exact types: a bool is not an int here, an enum not a str).
_AS_IS = frozenset({str, int, bool, type(None)})


def jsonable(value: Any) -> Any:
    """Plain JSON values for a record's before/after image (Decimal and dates become text)."""
    if type(value) is dict:  # the common image: a flat dict, most values as they are
        return {k if type(k) is str else str(k): v if type(v) in _AS_IS else jsonable(v)
                for k, v in value.items()}  # fmt: skip
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        raise TypeError("floats are not allowed in audit images (use Decimal or cents)")
    raise TypeError(f"cannot put {type(value).__name__} in an audit image")


def canonical_json(value: Any, *, plain: bool = False) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same content always gives the same bytes.

    ``plain=True`` says ``value`` already holds only JSON values (skips :func:`jsonable`).
    """
    data = value if plain else jsonable(value)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def event_hash(prev_hash: str, content: Mapping[str, Any], *, plain: bool = False) -> str:
    """SHA-256 hex of the previous hash and the row's canonical content."""
    return hash_of(prev_hash, canonical_json(content, plain=plain))


def hash_of(prev_hash: str, content_json: bytes) -> str:
    """:func:`event_hash` of content already in canonical JSON."""
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(content_json)
    return digest.hexdigest()


#: Text JSON writes as it is, between quotes (``ensure_ascii=False`` escapes only these).
_PLAIN_TEXT = re.compile(r'[^"\\\x00-\x1f]*')


def _scalar(value: str | int | None) -> str:
    """``json.dumps(value, ensure_ascii=False)``, without its call for the common values (an
    audit row has seven scalars and an 835 writes tens of thousands of rows)."""
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if kind is str and _PLAIN_TEXT.fullmatch(value):  # type: ignore[arg-type]
        return f'"{value}"'
    return json.dumps(value, ensure_ascii=False)


def row_json(row: Mapping[str, Any], before: str | None, after: str | None) -> bytes:
    """:func:`canonical_json` of an audit row's content (``row``'s clinic_id, seq, at (ISO
    text), actor_id, action, entity, entity_id: JSON scalars) with ``before`` and ``after``
    given already as their canonical JSON text (None: null). Why: an event's after-image (an
    835's claim lists its postings) is its bulk; encoded once, the same text is hashed here and
    stored, rather than encoded again for each. The keys are written in sorted order, as
    ``sort_keys`` writes them (tests/domain/test_audit_row_json.py holds the two equal)."""
    return (
        f'{{"action":{_scalar(row["action"])},"actor_id":{_scalar(row["actor_id"])},'
        f'"after":{after or "null"},"at":{_scalar(row["at"])},"before":{before or "null"},'
        f'"clinic_id":{_scalar(row["clinic_id"])},"entity":{_scalar(row["entity"])},'
        f'"entity_id":{_scalar(row["entity_id"])},"seq":{_scalar(row["seq"])}}}'
    ).encode()
