"""Web test fixtures: the demo clinic loaded once, a fresh copy and app for each test."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from support.webkit import app_on_copy, build_demo_database


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    return build_demo_database(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def app(demo_template, tmp_path):
    return app_on_copy(demo_template, tmp_path)


@pytest.fixture
def client(app):
    with TestClient(app) as test_client:
        yield test_client
