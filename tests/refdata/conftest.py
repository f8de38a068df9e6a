"""Fixtures for the refdata tests: the real CMS files in the shared folder's ``refdata/``.

The folder is found as every shared file is (``support.shared``); tests that use these fixtures
are skipped without it, and fail when ``CI`` is set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support.shared import require_shared


@pytest.fixture(scope="session")
def refdata() -> Path:
    return require_shared("refdata")


@pytest.fixture(scope="session")
def ptp_file(refdata: Path) -> Path:
    return refdata / "ncci_ptp" / "ccipra-v301r0_practitioner_ptp_therapy_subset.txt"


@pytest.fixture(scope="session")
def mue_file(refdata: Path) -> Path:
    return refdata / "ncci_mue" / "MCR_MUE_PractitionerServices_Eff_07-01-2024_therapy_subset.csv"
