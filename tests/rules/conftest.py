"""Fixtures for rule tests; the helpers themselves live in ``claimkit``."""

from __future__ import annotations

from typing import Any

import pytest

from support.claimkit import clean_claim_data


@pytest.fixture
def clean() -> dict[str, Any]:
    """The clean Medicare claim as data, fresh for each test."""
    return clean_claim_data()
