"""The test suite's own house rules: helpers live in ``support``, the shared folder is found one way."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
TEST_MODULES = sorted(p for p in TESTS.rglob("test_*.py"))
IMPORTS_A_TEST = re.compile(r"^\s*(from|import)\s+(tests\.)?(\w+\.)*test_\w+", re.MULTILINE)
# Ways to reach ../shared other than support.shared (OTBILL_SHARED_DIR, default beside the repo).
OWN_WAY_TO_SHARED = re.compile(r"parents\[3\]|\.\./shared|/work/shared|OTBILL_SHARED_DIR")


def test_no_test_module_imports_another() -> None:
    offenders = [
        f"{p.relative_to(TESTS)}: {m.group(0).strip()}"
        for p in TEST_MODULES
        for m in IMPORTS_A_TEST.finditer(p.read_text())
    ]
    assert not offenders, "shared helpers belong in tests/support or a conftest.py:\n" + "\n".join(
        offenders
    )


def test_only_support_shared_locates_the_shared_folder() -> None:
    here = Path(__file__).resolve()
    offenders = [
        str(p.relative_to(TESTS))
        for p in TESTS.rglob("*.py")
        if p not in (here, TESTS / "support" / "shared.py")
        and OWN_WAY_TO_SHARED.search(p.read_text())
    ]
    assert not offenders, f"use support.shared (require_shared or the shared mark): {offenders}"


def test_helper_modules_are_not_collected_as_tests() -> None:
    assert not list((TESTS / "support").glob("test_*.py"))


def test_test_module_names_are_unique() -> None:
    """Test folders are not packages, so two test_x.py in different folders collide at collection
    ("import file mismatch"): name the second by what it tests (test_x_pages.py, ...)."""
    seen: dict[str, list[str]] = {}
    for p in TEST_MODULES:
        seen.setdefault(p.name, []).append(str(p.relative_to(TESTS)))
    clashes = {name: paths for name, paths in seen.items() if len(paths) > 1}
    assert not clashes, f"test modules sharing a name: {clashes}"
