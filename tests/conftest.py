"""Root fixtures and hooks.

Shared helpers live in the ``support`` package (``tests/`` is on ``sys.path``); tests that need
the shared folder beside the repository are marked ``@pytest.mark.shared("<subfolder>")`` and are
skipped, with one summary line at the end of the run, when it is absent (failed when ``CI`` is set).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support.shared import require_shared, summary_line


def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("shared"):
        require_shared(*mark.args)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    stats = terminalreporter.stats
    reports = [r for kind in ("skipped", "failed", "error") for r in stats.get(kind, [])]
    line = summary_line(r for r in reports if isinstance(r, pytest.TestReport))
    if line:
        terminalreporter.write_line(line, yellow=True, bold=True)


@pytest.fixture(scope="session")
def simulated_x12(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Files the project makes itself: an 837P of the demo claims and the simulator's answers."""
    from support.x12kit import simulated_exchange  # here: most runs need no X12 at all

    return simulated_exchange(tmp_path_factory.mktemp("simulated-x12"))


def pytest_ignore_collect(collection_path: Path) -> bool | None:
    # --doctest-modules would import every conftest.py as a module named "conftest" (and fail on
    # the second one); they hold fixtures, not doctests, and pytest loads them as conftests anyway.
    return True if collection_path.name == "conftest.py" else None


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo clinic in a SQLite file, loaded once per run; web and browser tests copy it."""
    from support.webkit import build_demo_database  # here: imports the whole web app

    return build_demo_database(tmp_path_factory.mktemp("demo"))
