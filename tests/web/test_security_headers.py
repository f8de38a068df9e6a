"""Security headers on every response, no inline script for the CSP to allow, and the Secure
cookie flag whenever the browser speaks HTTPS (issue 11, item 24)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from otbill.settings import Settings
from otbill.web.app import create_app
from support.webkit import DEMO_TODAY, app_on_copy, log_in

TEMPLATES = Path(__file__).parents[2] / "src" / "otbill" / "web" / "templates"


def _assert_headers(response) -> None:
    h = response.headers
    csp = h["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert h["x-frame-options"] == "DENY"
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "same-origin"


@pytest.mark.parametrize(
    "path", ["/login", "/", "/static/app.css", "/no-such-page", "/api/claims", "/queues"]
)
def test_every_response_carries_the_headers(client, path) -> None:
    _assert_headers(client.get(path, follow_redirects=False))


def test_pages_of_a_logged_in_user_carry_the_headers(client) -> None:
    log_in(client, "biller")
    _assert_headers(client.get("/queues"))


def test_no_template_has_an_inline_script_or_handler() -> None:
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        assert not inline.search(text), f"{path.name}: an inline <script> (move it to /static)"
        assert not handler.search(text), f"{path.name}: an on* attribute (use /static JS)"
        assert "javascript:" not in text.lower(), path.name


def _cookie_of(app, base_url: str, headers: dict[str, str] | None = None) -> str:
    with TestClient(app, base_url=base_url) as client:
        return client.get("/login", headers=headers or {}).headers["set-cookie"].lower()


def _app(tmp_path, demo_template, **settings):
    tmp_path.mkdir()
    plain = app_on_copy(demo_template, tmp_path)
    made = Settings(
        data_dir=tmp_path,
        database_url=plain.state.settings.database_url,
        secret_key="test-secret",
        **settings,
    )
    return create_app(made, today=DEMO_TODAY, database=plain.state.db)


def test_the_cookie_is_secure_over_https(app) -> None:
    assert "; secure" in _cookie_of(app, "https://testserver")
    assert "; secure" not in _cookie_of(app, "http://testserver")


def test_a_forwarded_proto_counts_only_from_a_trusted_proxy(tmp_path, demo_template) -> None:
    forwarded = {"x-forwarded-proto": "https"}
    untrusted = _app(tmp_path / "a", demo_template)
    assert "; secure" not in _cookie_of(untrusted, "http://testserver", forwarded)
    trusted = _app(tmp_path / "b", demo_template, trusted_proxies=("testclient",))
    assert "; secure" in _cookie_of(trusted, "http://testserver", forwarded)
    assert "; secure" not in _cookie_of(trusted, "http://testserver")
