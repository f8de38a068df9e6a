"""Logging in: sessions, CSRF, throttling, and that no route serves an anonymous user."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute

from support.webkit import PASSWORDS, csrf_of, log_in


def test_login_lands_each_role_on_its_page(client):
    log_in(client, "biller")
    assert client.get("/", follow_redirects=False).headers["location"] == "/queues"


def test_wrong_password_is_refused_without_saying_which_part(client):
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "clinic": "DEMO",
            "username": "biller",
            "password": "nope",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert response.status_code == 401 and "user name or password is wrong" in response.text


def test_failed_logins_are_throttled(client):
    token = csrf_of(client.get("/login").text)
    for _ in range(5):
        client.post(
            "/login",
            data={"clinic": "DEMO", "username": "biller", "password": "x", "csrf_token": token},
        )
    right = client.post(
        "/login",
        data={
            "clinic": "DEMO",
            "username": "biller",
            "password": PASSWORDS["biller"],
            "csrf_token": token,
        },
    )
    assert right.status_code == 429


def test_form_post_without_csrf_is_refused(client):
    response = client.post(
        "/login", data={"clinic": "DEMO", "username": "biller", "password": "demo-biller"}
    )
    assert response.status_code == 403
    log_in(client, "biller")
    assert client.post("/logout", follow_redirects=False).status_code == 403


def test_session_cookie_is_httponly_and_samesite(client):
    header = client.get("/login").headers["set-cookie"].lower()  # the first visit starts a session
    assert header.startswith("otbill_session=")
    assert "httponly" in header and "samesite=lax" in header


def test_next_never_leaves_the_site(client):
    page = client.get("/login?next=//evil.example/x")
    assert 'value="/"' in page.text


def all_routes(routes):
    """Every route, looking inside included routers (FastAPI keeps them nested)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from all_routes(inner.routes)


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_route_refuses_an_anonymous_user(app, client):
    open_routes = {("/login", "GET"), ("/login", "POST")}
    # the API's description holds no data: integrators read it before they have an account
    open_routes |= {("/api/openapi.json", "GET"), ("/api/docs", "GET")}
    # the clinic's price list is public on purpose (issue 13): name, address and prices only
    open_routes |= {("/prices", "GET"), ("/prices.pdf", "GET")}
    checked = 0
    for route in all_routes(app.routes):
        for method in route.methods:
            if (route.path, method) in open_routes:
                continue
            response = client.request(method, _concrete(route.path), follow_redirects=False)
            # 401 (API), 303 to the login page, or 403 for a form post without a session token
            assert response.status_code in (401, 303, 403), (
                route.path,
                method,
                response.status_code,
            )
            if response.status_code == 303:
                assert response.headers["location"].startswith("/login")
            checked += 1
    assert checked >= 4


def test_logout_ends_the_session(client):
    log_in(client, "biller")
    token = csrf_of(client.get("/login").text)
    client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/login")
