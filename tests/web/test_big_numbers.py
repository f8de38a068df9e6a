"""Numbers of 2^63 or more, and digits ``int`` cannot read, are request errors, never a 500
(issue 11, items 17 and 18): every route's int path parameters (404) and int query parameters
(422), the claim API's id-or-number, and the queue, denial and audit filters."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from otbill.web.params import MAX_ID, bounded_params, whole_number
from support.webkit import log_in, token
from support.x12samples import tiny_835

HUGE = "1" + "0" * 29  # 10^29, beyond any signed 64-bit id
EDGE = str(MAX_ID + 1)


@pytest.fixture
def admin(app):
    with TestClient(app, raise_server_exceptions=False) as client:
        log_in(client, "admin")
        client.headers["X-CSRF-Token"] = token(client, "/admin")
        yield client


def _api_routes(routes):
    """Every APIRoute, also inside included routers (FastAPI keeps those as branches)."""
    for route in routes:
        if hasattr(route, "original_router"):
            yield from _api_routes(route.original_router.routes)
        elif isinstance(route, APIRoute):
            yield route


def _int_routes(app, where: str) -> list[tuple[str, str, list[str]]]:
    """(method, path, names) of every route reading an int from ``where`` ("path" or "query")."""
    found = []
    for route in _api_routes(app.routes):
        fields = getattr(route.dependant, f"{where}_params")
        names = [f.alias for f in fields if "int" in repr(f.field_info.annotation)]
        for method in sorted(route.methods - {"HEAD"}):
            if names:
                found.append((method, route.path, names))
    return found


def test_every_int_path_parameter_beyond_any_id_is_a_404(app, admin):
    routes = _int_routes(app, "path")
    assert len(routes) > 20
    for method, path, _names in routes:
        for number in (HUGE, EDGE):
            url = re.sub(r"\{[^}]+\}", number, path)
            response = admin.request(method, url)
            assert response.status_code == 404, (method, url, response.status_code)


def test_every_int_query_parameter_beyond_range_is_a_422_naming_it(app, admin):
    routes = [(m, p, n) for m, p, n in _int_routes(app, "query") if "{" not in p and m == "GET"]
    assert routes
    for _method, path, names in routes:
        for name in names:
            response = admin.get(path, params={name: HUGE})
            assert response.status_code == 422, (path, name, response.status_code)
            assert name in response.text


def test_the_claim_api_reads_a_huge_or_superscript_key_as_no_such_claim(admin):
    for key in (HUGE, EDGE, "²", "１２"):
        assert admin.get(f"/api/claims/{key}").status_code == 404
    assert admin.get(f"/api/claims?offset={HUGE}").status_code == 422
    assert admin.get("/api/claims?offset=20").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/queues/held?payer={n}", "/queues/held?therapist={n}", "/denials?payer={n}",
        "/denials?page={n}", "/audit?user={n}", "/audit?before={n}",
    ],
)  # fmt: skip
def test_filters_refuse_huge_numbers_and_ignore_other_digits(app, url):
    with TestClient(app, raise_server_exceptions=False) as client:
        log_in(client, "approver" if url.startswith("/audit") else "biller")
        assert client.get(url.format(n=HUGE)).status_code == 422
        assert client.get(url.format(n="²")).status_code == 200
        assert client.get(url.format(n="7")).status_code == 200


def test_whole_number_reads_plain_digits_only():
    assert whole_number(" 42 ", "page") == 42 and whole_number("", "page") is None
    assert whole_number("²", "page") is None and whole_number("１２", "page") is None
    assert whole_number(str(MAX_ID), "page") == MAX_ID
    with pytest.raises(Exception, match="page"):
        whole_number(EDGE, "page")
    assert bounded_params.__doc__


def test_uploading_an_835_amount_of_9e999999_names_it_and_posts_nothing(app):
    with TestClient(app, raise_server_exceptions=False) as client:
        log_in(client, "biller")
        fields = {"csrf_token": token(client, "/remittances")}
        upload = {"file": ("huge.835", tiny_835(clp_paid="9e999999"))}
        sent = client.post("/remittances/upload", data=fields, files=upload)
        assert sent.status_code == 422
        assert "CLP04: &#39;9e999999&#39; is not a number" in sent.text


def test_json_bodies_with_ids_beyond_64_bits_are_a_422(app):
    visit = {"patient_id": int(HUGE), "coverage_id": int(HUGE), "date": "2025-03-03",
             "services": [{"code": "97110", "minutes": 38}], "note_type": "daily"}  # fmt: skip
    with TestClient(app, raise_server_exceptions=False) as client:
        log_in(client, "rcole")
        headers = {"X-CSRF-Token": token(client, "/")}
        sent = client.post("/api/visits", json=visit, headers=headers)
        assert sent.status_code == 422, sent.text[:300]
        assert "patient_id" in sent.text
        appointment = {"patient_id": 1, "provider_id": int(EDGE), "start": "2025-04-02T10:00"}
        booked = client.post("/api/appointments", json=appointment, headers=headers)
        assert booked.status_code in (403, 422), booked.text[:300]


def test_int_form_fields_beyond_64_bits_are_a_422(admin):
    form = {"user_id": HUGE, "name": "integration"}
    sent = admin.post("/admin/tokens", data=form, follow_redirects=False)
    assert sent.status_code == 422 and "user_id" in sent.text
