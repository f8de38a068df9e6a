"""The shared folder beside the repository: the real-peer X12 corpus and the CMS reference files.

It is found one way: ``$OTBILL_SHARED_DIR``, or ``../shared`` next to the repository root. A test
that needs it is marked ``@pytest.mark.shared("corpus/x12")`` or calls ``require_shared``. When the
folder is absent the test is skipped, and the run ends with one line naming the folder; when ``CI``
is set a missing folder fails the test instead, so a broken checkout cannot pass there.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pytest

__all__ = [
    "HINT",
    "MISSING",
    "describe",
    "in_ci",
    "require_shared",
    "shared_dir",
    "shared_path",
    "summary_line",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
# What each shared subfolder holds, in the words of the summary line.
CONTENTS = {"corpus/x12": "the shared X12 corpus", "refdata": "the CMS files"}
# The folders some test lacked this run, named by the end-of-run summary line.
MISSING: set[str] = set()
# Every skip or failure for a missing folder ends with this, so the summary can count them.
HINT = "(set OTBILL_SHARED_DIR)"


def shared_dir() -> Path:
    """``$OTBILL_SHARED_DIR``, else ``../shared`` relative to the repository root."""
    configured = os.environ.get("OTBILL_SHARED_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    return (REPO_ROOT.parent / "shared").resolve()


def shared_path(folder: str) -> Path:
    return shared_dir() / folder


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def describe(folder: str) -> str:
    return CONTENTS.get(folder, f"the {folder} files")


def require_shared(folder: str) -> Path:
    """The shared ``folder``; skips the calling test when it is absent (fails it under CI)."""
    path = shared_path(folder)
    if path.is_dir():
        return path
    MISSING.add(folder)
    if in_ci():
        pytest.fail(
            f"needs {describe(folder)}, not found at {path}; CI must have it {HINT}", pytrace=False
        )
    pytest.skip(f"needs {describe(folder)} at {path} {HINT}")


def summary_line(reports: Iterable[pytest.TestReport]) -> str | None:
    """One line for the end of the run: how many tests lacked the shared folder, and where it is.

    Counted from the run's reports, not from ``require_shared`` calls: a session fixture that
    skips is called once and its skip replayed for every test that uses it.
    """
    count = sum(1 for r in reports if HINT in str(r.longrepr))
    if not count:
        return None
    order = list(CONTENTS)
    folders = sorted(MISSING, key=lambda f: (order.index(f) if f in order else len(order), f))
    what = " and ".join(describe(f) for f in folders)
    verb = "failed (CI is set)" if in_ci() else "skipped"
    plural = "test" if count == 1 else "tests"
    return f"{count} {plural} {verb}: they need {what} at {shared_dir()} {HINT}"
