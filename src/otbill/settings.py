"""Settings from one place: the environment (``OTBILL_*``), with documented defaults.

``OTBILL_CACHE_DIR`` (default: the user's cache directory, ``~/.cache/otbill``) holds files otbill
derives from its pinned dependencies and can rebuild at any time, such as the indexed copy of the
ICD-10-CM release (:mod:`otbill.codes.icd10cm`); deleting it is always safe.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from otbill.errors import ConfigError

__all__ = ["Settings", "cache_dir", "load_settings"]


@dataclass(frozen=True)
class Settings:
    """Where otbill keeps its files and its database.

    ``data_dir``: ``OTBILL_DATA_DIR``, default the user's data directory (``~/.local/share/otbill``).
    Imported CMS reference tables (NCCI, MUE, RVU, GPCI) are stored under ``data_dir / "refdata"``.
    ``database_url``: ``OTBILL_DATABASE_URL``, default an SQLite file ``otbill.db`` in ``data_dir``.
    """

    data_dir: Path
    database_url: str
    secret_key: str | None = None  # OTBILL_SECRET_KEY; otherwise one is made once in data_dir
    secure_cookies: bool = False  # OTBILL_SECURE_COOKIES=1: Secure even on plain HTTP requests
    # Sessions end after this many minutes unused, and this many hours after login in any case.
    session_idle_minutes: int = 30  # OTBILL_SESSION_IDLE_MINUTES
    session_hours: int = 12  # OTBILL_SESSION_HOURS
    # Addresses of reverse proxies whose X-Forwarded-Proto/-For are believed (comma-separated).
    trusted_proxies: tuple[str, ...] = ()  # OTBILL_TRUSTED_PROXIES
    # The HMAC key signing the daily audit checkpoints, and where they are kept.
    audit_key: str | None = None  # OTBILL_AUDIT_KEY
    audit_checkpoints: Path | None = None  # OTBILL_AUDIT_CHECKPOINTS, default data_dir/...
    # The run's "as of" day (OTBILL_TODAY, YYYY-MM-DD): every date and timestamp a command or the
    # server writes falls on it (otbill.clock); unset, the machine's clock.
    today: dt.date | None = None
    # Jobs waiting and no worker heard from for this many minutes: the jobs page, the dashboards
    # and `otbill check` say so (PostgreSQL).
    worker_silent_minutes: int = 5  # OTBILL_WORKER_SILENT_MINUTES (1 to 1440)
    # The owner's PDF files (<data dir>/reports/<clinic>/) are removed after this many days.
    report_retention_days: int = 30  # OTBILL_REPORT_RETENTION_DAYS (1 to 3650)

    @property
    def refdata_dir(self) -> Path:
        return self.data_dir / "refdata"

    @property
    def checkpoint_dir(self) -> Path:
        return self.audit_checkpoints or self.data_dir / "audit-checkpoints"


def cache_dir(environ: dict[str, str] | None = None) -> Path:
    """Where derived, rebuildable files go: ``OTBILL_CACHE_DIR``, else the user's cache directory."""
    env = os.environ if environ is None else environ
    return Path(env.get("OTBILL_CACHE_DIR") or platformdirs.user_cache_dir("otbill"))


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("OTBILL_DATA_DIR") or platformdirs.user_data_dir("otbill"))
    database_url = env.get("OTBILL_DATABASE_URL") or f"sqlite:///{data_dir / 'otbill.db'}"
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=env.get("OTBILL_SECRET_KEY") or None,
        secure_cookies=env.get("OTBILL_SECURE_COOKIES", "") in ("1", "true", "yes"),
        session_idle_minutes=int(env.get("OTBILL_SESSION_IDLE_MINUTES") or 30),
        session_hours=int(env.get("OTBILL_SESSION_HOURS") or 12),
        trusted_proxies=tuple(
            a.strip() for a in env.get("OTBILL_TRUSTED_PROXIES", "").split(",") if a.strip()
        ),
        audit_key=env.get("OTBILL_AUDIT_KEY") or None,
        audit_checkpoints=Path(env["OTBILL_AUDIT_CHECKPOINTS"])
        if env.get("OTBILL_AUDIT_CHECKPOINTS")
        else None,
        today=_day(env.get("OTBILL_TODAY")),
        worker_silent_minutes=_whole(env, "OTBILL_WORKER_SILENT_MINUTES", 5, 1440),
        report_retention_days=_whole(env, "OTBILL_REPORT_RETENTION_DAYS", 30, 3650),
    )


def _whole(env: Mapping[str, str], name: str, default: int, most: int) -> int:
    """A whole number from 1 to ``most`` (unset or empty: ``default``), else a ConfigError."""
    value = (env.get(name) or "").strip()
    if not value:
        return default
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= most:
        raise ConfigError(f"{name} {value!r}: a whole number from 1 to {most}")
    return int(value)


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(f"OTBILL_TODAY {value!r}: a date as YYYY-MM-DD") from None
