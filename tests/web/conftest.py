"""Web test fixtures: a fresh copy of the demo clinic (``demo_template``, built once) and app per test."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from support.passwords import fast_password_hashing  # noqa: F401
from support.webkit import app_on_copy


@pytest.fixture
def app(demo_template, tmp_path):
    return app_on_copy(demo_template, tmp_path)


@pytest.fixture
def client(app):
    with TestClient(app) as test_client:
        yield test_client
