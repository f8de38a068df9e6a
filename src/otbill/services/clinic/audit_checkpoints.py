"""Signed daily checkpoints of every clinic's audit chain, kept outside the database.

Why: the anchor table catches rows deleted with the head moved back, but someone who can rewrite
the database can rewrite the anchor too. A checkpoint file per day (``otbill audit checkpoint``,
run daily, e.g. from cron) records each clinic's event count and last hash, signed with HMAC-SHA256
under ``OTBILL_AUDIT_KEY``, which the database does not hold. ``otbill audit verify`` then checks
that every event a checkpoint saw is still there with the same hash, and that no file was changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Checkpoint", "checkpoints_in", "sign", "write"]


@dataclass(frozen=True, slots=True)
class Checkpoint:
    day: str  # ISO date, the file's name
    clinics: Mapping[str, tuple[int, str]]  # code -> (event count, last hash)
    signed: bool  # the HMAC matches under the key given


def _body(day: str, clinics: Mapping[str, tuple[int, str]]) -> bytes:
    payload = {
        "day": day,
        "clinics": {c: {"row_count": n, "hash": h} for c, (n, h) in sorted(clinics.items())},
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def sign(key: str, day: str, clinics: Mapping[str, tuple[int, str]]) -> str:
    return hmac.new(key.encode(), _body(day, clinics), hashlib.sha256).hexdigest()


def write(folder: Path, key: str, day: dt.date, clinics: Mapping[str, tuple[int, str]]) -> Path:
    """Write (or rewrite, later the same day) the day's checkpoint file; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    iso = day.isoformat()
    data: dict[str, Any] = json.loads(_body(iso, clinics))
    data["hmac_sha256"] = sign(key, iso, clinics)
    path = folder / f"{iso}.json"
    partial = path.with_suffix(".json.part")
    partial.write_text(json.dumps(data, indent=2) + "\n")
    partial.replace(path)  # never half a file
    return path


def _read(path: Path, key: str) -> Checkpoint:
    try:
        data = json.loads(path.read_text())
        day = str(data["day"])
        clinics = {
            str(code): (int(v["row_count"]), str(v["hash"])) for code, v in data["clinics"].items()
        }
        given = str(data["hmac_sha256"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Checkpoint(path.stem, {}, False)
    signed = hmac.compare_digest(given, sign(key, day, clinics)) and day == path.stem
    return Checkpoint(day, clinics, signed)


def checkpoints_in(folder: Path, key: str) -> Iterator[Checkpoint]:
    """The folder's checkpoints, oldest first (none when the folder does not exist)."""
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            yield _read(path, key)
