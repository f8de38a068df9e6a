"""A compact, indexed copy of the ICD-10-CM release, built once from ``simple-icd-10-cm``.

Why: the library parses its whole tabular XML on import (about 1.5 s of CPU and 190 MB), which
``otbill scrub`` paid for checking one diagnosis. The store is one SQLite file with a row per
category and subcategory (the undotted code as the key, the dotted code, whether it is billable,
the first billable code below a header, the official description), written to the cache
directory the first time a code is looked up, then read row by row through its index. It is
derived only from the pinned library, so it says exactly what the library says; the file name
carries the library's version and the store's format, so an upgrade builds a fresh one. When the
cache directory cannot be written, the store is built in memory for the process instead.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["IcdStore", "StoreRow", "open_store"]

#: Raise when the table layout changes: the file name carries it, so old files are not read.
STORE_FORMAT = 1

#: (dotted code, billable, first billable code below it or "", official description)
StoreRow = tuple[str, bool, str, str]

_SCHEMA = """
CREATE TABLE code (
    key TEXT PRIMARY KEY, dotted TEXT NOT NULL, billable INTEGER NOT NULL,
    example TEXT NOT NULL, description TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""


class IcdStore:
    """Read access to a built store; one connection shared by the process's threads."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._lock = threading.Lock()

    def _all(self, sql: str, *args: Any) -> list[Any]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def row(self, key: str) -> StoreRow | None:
        """The row of an undotted code, or None when the release has no such code."""
        found = self._all(
            "SELECT dotted, billable, example, description FROM code WHERE key = ?", key
        )
        if not found:
            return None
        dotted, billable, example, description = found[0]
        return dotted, bool(billable), example, description

    def count(self) -> int:
        return int(self._all("SELECT count(*) FROM code")[0][0])

    def keys(self) -> Iterator[str]:
        """Every undotted code, in sorted order."""
        return (key for (key,) in self._all("SELECT key FROM code ORDER BY key"))


def _rows(lib: Any) -> Iterator[tuple[str, str, int, str, str]]:
    """One row per category and subcategory; chapters ("1") and blocks ("A00-A09") are not
    codes one can report. The example is the first leaf reached through first children."""
    for code in lib.get_all_codes(with_dots=True):
        if not lib.is_category_or_subcategory(code):
            continue
        billable = bool(lib.is_leaf(code))
        example = code
        while not lib.is_leaf(example):
            example = lib.get_children(example)[0]
        yield (
            code.replace(".", ""),
            code,
            int(billable),
            "" if billable else str(example),
            str(lib.get_description(code)),
        )


def _fill(connection: sqlite3.Connection, lib: Any, version: str) -> None:
    connection.executescript(_SCHEMA)
    connection.executemany("INSERT OR REPLACE INTO code VALUES (?, ?, ?, ?, ?)", _rows(lib))
    meta = {"format": str(STORE_FORMAT), "library": f"simple-icd-10-cm=={version}"}
    connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    connection.commit()


def _write_file(path: Path, lib: Any, version: str) -> None:
    """Build into a temporary file beside ``path``, then rename: readers never see half a file,
    and two processes building at once each rename a whole one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    os.chmod(tmp, 0o644)  # a derived public code list: readable like the package it came from
    try:
        connection = sqlite3.connect(tmp)
        try:
            _fill(connection, lib, version)
        finally:
            connection.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _open_file(path: Path) -> sqlite3.Connection | None:
    """The store at ``path`` read-only, or None when it is missing or not a whole store."""
    if not path.is_file():
        return None
    uri = f"{path.as_uri()}?mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        found = connection.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
    except sqlite3.DatabaseError:
        return None
    if found != (str(STORE_FORMAT),):
        connection.close()
        return None
    return connection


def open_store(cache_dir: Path, version: str, load_library: Any) -> IcdStore:
    """The store for library ``version`` in ``cache_dir``, built first if needed.

    ``load_library`` imports the library (and checks its pin); it is called only to build.
    """
    path = cache_dir / f"icd10cm-{version}-store{STORE_FORMAT}.sqlite3"
    connection = _open_file(path)
    if connection is None:
        lib = load_library()
        try:
            _write_file(path, lib, version)
            connection = _open_file(path)
        except OSError:
            connection = None  # an unwritable cache: fall back to memory below
        if connection is None:
            connection = sqlite3.connect(":memory:", check_same_thread=False)
            _fill(connection, lib, version)
    return IcdStore(connection)
