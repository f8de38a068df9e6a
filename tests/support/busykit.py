"""SQLite databases in a file with a short busy timeout, and a second writer holding the lock."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from otbill.storage import Database, engine

__all__ = ["hold_write_lock", "sqlite_file_database"]


def sqlite_file_database(
    tmp_path: Path, template: Path, monkeypatch: pytest.MonkeyPatch, busy_ms: int = 200
) -> Database:
    """A migrated SQLite database of its own whose writers give up after ``busy_ms``."""
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", busy_ms)
    path = tmp_path / "busy.db"
    shutil.copy(template, path)
    return Database(f"sqlite:///{path}", migrate=False)


def hold_write_lock(db: Database) -> sqlite3.Connection:
    """Another connection that holds the write lock until it rolls back."""
    holder = sqlite3.connect(
        str(db.engine.url.database), timeout=0, isolation_level=None, check_same_thread=False
    )
    holder.execute("BEGIN IMMEDIATE")
    return holder
