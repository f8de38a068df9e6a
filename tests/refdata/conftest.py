"""Fixtures for the refdata tests: the real CMS files under shared/refdata.

The files live outside the project (``/work/shared/refdata``); the path is computed from this
file's location (tests/refdata/conftest.py -> parents[3] is the folder holding ``main`` and
``shared``), or taken from ``OTBILL_SHARED_DIR``. Tests fail loudly when the files are absent: CI must never skip them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def shared_refdata_dir() -> Path:
    env = os.environ.get("OTBILL_SHARED_DIR")
    base = Path(env) if env else Path(__file__).resolve().parents[3] / "shared"
    return base / "refdata"


@pytest.fixture(scope="session")
def refdata() -> Path:
    path = shared_refdata_dir()
    if not (path / "ncci_ptp").is_dir():
        pytest.fail(f"CMS reference files not found at {path} (set OTBILL_SHARED_DIR)")
    return path


@pytest.fixture(scope="session")
def ptp_file(refdata: Path) -> Path:
    return refdata / "ncci_ptp" / "ccipra-v301r0_practitioner_ptp_therapy_subset.txt"


@pytest.fixture(scope="session")
def mue_file(refdata: Path) -> Path:
    return refdata / "ncci_mue" / "MCR_MUE_PractitionerServices_Eff_07-01-2024_therapy_subset.csv"
