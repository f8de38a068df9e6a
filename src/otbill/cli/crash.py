"""An internal error (a bug in otbill) is told apart from findings and bad input: exit status 3.

Exit statuses of every command (docs/cli.md): 0 ok, 1 findings, 2 bad input, 3 internal error.
On 3 the user sees one line on stderr naming the log file that holds the details, never a
traceback. The log lives under the cache directory (``OTBILL_CACHE_DIR``, default
``~/.cache/otbill``) in ``logs/``, and holds no patient data: the traceback's frames and source
lines, the exception's type and the command's name, but not the exception's message, the
command's arguments or any variable, any of which may carry a name, a date of birth or a member ID.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import tempfile
import traceback
from pathlib import Path
from types import TracebackType
from typing import NoReturn

__all__ = ["EXIT_INTERNAL_ERROR", "command_path", "report_crash"]

EXIT_INTERNAL_ERROR = 3


def command_path(tb: TracebackType | None, fallback: str) -> str:
    """The innermost command that was running (``otbill claims list``), from the click contexts on
    the traceback's frames: command names only, never their arguments."""
    found = fallback
    for frame, _ in traceback.walk_tb(tb):
        for name in ("sub_ctx", "ctx"):
            path = getattr(frame.f_locals.get(name), "command_path", None)
            if isinstance(path, str):  # a click context (Typer's own copy of click, or click)
                found = path
                break
    return found


def _frames(exc: BaseException) -> list[str]:
    """The traceback of ``exc`` and the exceptions it was raised from, without their messages."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 8:
        chain.append(current)
        current = current.__cause__ or current.__context__
    lines: list[str] = []
    for n, item in enumerate(reversed(chain)):
        if n:
            lines.append("\nwhile handling it, another error followed:\n")
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.StackSummary.extract(traceback.walk_tb(item.__traceback__)).format())
        lines.append(f"{type(item).__module__}.{type(item).__qualname__} (message left out)\n")
    return lines


def _log_dir() -> Path:
    from otbill.settings import cache_dir  # here: only a crash needs it

    return cache_dir() / "logs"


def write_log(exc: BaseException, command: str) -> Path | None:
    """The crash log's path, or None when neither the cache nor the temp directory is writable."""
    now = dt.datetime.now(dt.UTC)
    header = [
        f"otbill internal error at {now.isoformat(timespec='seconds')}\n",
        f"command: {command} (arguments left out)\n",
        f"Python {platform.python_version()} on {platform.system()} {platform.release()}\n\n",
    ]
    name = f"crash-{now:%Y%m%dT%H%M%SZ}-{os.getpid()}.log"
    for folder in (_log_dir, lambda: Path(tempfile.gettempdir())):
        try:
            path = folder() / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(header + _frames(exc)), encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def report_crash(exc: BaseException, command: str) -> NoReturn:
    """Log ``exc``, print one line naming the log, and exit with status 3."""
    path = write_log(exc, command)
    where = f"details: {path}" if path else "the details could not be written to a log file"
    sys.stderr.write(
        f"otbill: internal error in '{command}' ({type(exc).__name__}): a bug in otbill, not in "
        f"your input; {where}\n"
    )
    raise SystemExit(EXIT_INTERNAL_ERROR)
