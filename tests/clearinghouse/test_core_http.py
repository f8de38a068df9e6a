"""270/271 over CAQH CORE MIME multipart HTTP, against the simulator served on loopback."""

from __future__ import annotations

import datetime as dt
import socket

import pytest

from otbill.clearinghouse.core_http import CoreHttpTransport, form_data, read_form_data
from otbill.clearinghouse.simulator.core_server import serve_core
from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer
from otbill.clearinghouse.transport import TransportError
from otbill.domain.eligibility import Inquiry, Person
from otbill.x12.guide_rules import validate
from otbill.x12.read_271 import read_271
from otbill.x12.write_270 import write_270

INQUIRY = Inquiry(
    trace="CORE-1", payer_name="ACME", payer_id="12345", provider_name="RIVER OT",
    provider_npi="1234567893", subscriber=Person("JANE", "DOE", dt.date(1970, 1, 1), "F"),
    member_id="ABC120", date_of_service=dt.date(2025, 3, 3), service_types=("AD",),
    originator="1123456789",
)  # fmt: skip
REQUEST = write_270(INQUIRY).encode()


def _transport(url: str, **extra: object) -> CoreHttpTransport:
    options: dict[str, object] = {"timeout": 5.0, "retries": 1, "backoff": 0.01, **extra}
    return CoreHttpTransport(url, "OTBILL", "ACME", **options)  # type: ignore[arg-type]


def test_a_270_posted_as_core_multipart_comes_back_as_the_payers_271():
    payer = SimulatedEligibilityPayer()
    with serve_core(payer, user="clinic", password="s3cret") as url:
        answer = _transport(url, username="clinic", password="s3cret").exchange(REQUEST)
    assert validate(answer, "271") == []
    found = read_271(answer).answer_for("CORE-1")
    assert found is not None and found.member_id == "ABC120"
    assert payer.requests == [REQUEST]  # sent once, carried byte for byte


def test_wrong_credentials_are_refused_without_retry():
    payer = SimulatedEligibilityPayer()
    with (
        serve_core(payer, user="clinic", password="s3cret") as url,
        pytest.raises(TransportError, match="HTTP 401"),
    ):
        _transport(url, username="clinic", password="wrong").exchange(REQUEST)
    assert payer.requests == []


def test_a_core_error_answer_is_named():
    with serve_core() as url, pytest.raises(TransportError) as exc:
        _transport(url).exchange(b"not a 270")
    assert "CORE error Receiver: the simulated payer could not read the 270" in str(exc.value)


def test_no_server_is_a_transport_error_after_the_retries():
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    with pytest.raises(TransportError, match=r"no answer after 2 tries"):
        _transport(f"http://127.0.0.1:{port}/core").exchange(REQUEST)


def test_form_data_round_trips_binary_payloads():
    body, content_type = form_data({"A": "1", "Payload": b"ISA*\r\n~\x00\xff"})
    assert read_form_data(content_type, body) == {"A": b"1", "Payload": b"ISA*\r\n~\x00\xff"}
    with pytest.raises(TransportError, match="expected a multipart answer"):
        read_form_data("text/html", b"<html>")
