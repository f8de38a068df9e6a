"""CORE MIME, CORE SOAP and the JSON-API adapter against the payer simulators on loopback."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Callable

import pytest

from otbill.clearinghouse.core_http import CoreHttpTransport
from otbill.clearinghouse.core_soap import CoreSoapTransport, envelope, read_envelope
from otbill.clearinghouse.json_api import JsonApiTransport
from otbill.clearinghouse.realtime import InProcessTransport, ResendableTransport
from otbill.clearinghouse.simulator.claim_status import SimulatedClaimStatusPayer
from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer
from otbill.clearinghouse.simulator.servers import (
    Faults,
    Payers,
    Simulator,
    serve_payers,
    traces_of,
)
from otbill.clearinghouse.transport import TransportError
from otbill.domain.eligibility import Inquiry, Person
from otbill.domain.prior_auth import AuthDecision
from otbill.x12.guide_rules import validate
from otbill.x12.read_271 import read_271
from otbill.x12.read_277 import read_277
from otbill.x12.read_278 import read_278
from otbill.x12.write_270 import write_270
from otbill.x12.write_278 import write_278
from support.x12claimstatus import DEMO_276
from support.x12prior_auth import sample_request

INQUIRY = Inquiry(
    trace="RT-1", payer_name="ACME", payer_id="12345", provider_name="RIVER OT",
    provider_npi="1234567893", subscriber=Person("JANE", "DOE", dt.date(1970, 1, 1), "F"),
    member_id="ABC120", date_of_service=dt.date(2025, 3, 3), service_types=("AD",),
    originator="1123456789",
)  # fmt: skip
REQUEST_270 = write_270(INQUIRY).encode()
REQUEST_276 = DEMO_276.replace("C-41", "C-46").encode()  # 6: finalized and denied
FAST = {"timeout": 5.0, "retries": 2, "backoff": 0.01}
KINDS = ("core", "soap", "json")

Make = Callable[..., ResendableTransport]


def _maker(kind: str, sim: Simulator) -> Make:
    def make(transaction: str = "270", **extra: object) -> ResendableTransport:
        options: dict[str, object] = {**FAST, "transaction": transaction, **extra}
        if kind == "core":
            options.setdefault("username", "clinic")
            options.setdefault("password", "s3cret")
            return CoreHttpTransport(sim.core_url, "OTBILL", "SIM", **options)  # type: ignore[arg-type]
        if kind == "soap":
            options.setdefault("username", "clinic")
            options.setdefault("password", "s3cret")
            return CoreSoapTransport(sim.soap_url, "OTBILL", "SIM", **options)  # type: ignore[arg-type]
        token = options.pop("token", "tok-1")
        options.pop("username", None)
        options.pop("password", None)
        return JsonApiTransport(sim.json_url, str(token), "OTBILL", "SIM", **options)  # type: ignore[arg-type]

    return make


def _serve(faults: Faults | None = None, payers: Payers | None = None):  # type: ignore[no-untyped-def]
    return serve_payers(payers, faults=faults, user="clinic", password="s3cret", token="tok-1")


@pytest.mark.parametrize("kind", KINDS)
def test_a_270_and_a_276_come_back_as_the_payers_271_and_277(kind: str) -> None:
    with _serve() as sim:
        make = _maker(kind, sim)
        answer_271 = make("270").exchange(REQUEST_270)
        answer_277 = make("276").exchange(REQUEST_276)
    assert validate(answer_271, "271") == []
    found = read_271(answer_271).answer_for("RT-1")
    assert found is not None and found.member_id == "ABC120"
    assert validate(answer_277) == []
    status = read_277(answer_277).answer_for("C-46")
    assert status is not None and (status.outcome, status.statuses[0].category) == ("denied", "F2")
    assert sim.log.snapshot()["payer_questions"] == 2 and sim.log.duplicates() == {}
    assert sorted(sim.log.by_trace) == ["C-46", "RT-1"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_server_failing_twice_is_tried_again_with_the_same_payload_id(kind: str) -> None:
    payer = SimulatedEligibilityPayer()
    with _serve(Faults(fail_first=2), Payers(eligibility=payer)) as sim:
        answer = _maker(kind, sim)().exchange(REQUEST_270, payload_id="batch-7-line-1")
    assert validate(answer, "271") == []
    assert sim.log.by_payload_id == {"batch-7-line-1": 3}
    assert sim.log.refused_503 == 2 and len(payer.requests) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_lost_answer_is_fetched_again_without_asking_the_payer_twice(kind: str) -> None:
    payer = SimulatedEligibilityPayer()
    with _serve(Faults(drop_first=1), Payers(eligibility=payer)) as sim:
        answer = _maker(kind, sim)().exchange(REQUEST_270)
    assert validate(answer, "271") == []
    [tries] = sim.log.by_payload_id.values()
    assert tries == 2 and sim.log.dropped == 1 and sim.log.replayed == 1
    assert len(payer.requests) == 1 and sim.log.duplicates() == {}


@pytest.mark.parametrize("kind", KINDS)
def test_always_busy_is_a_transport_error_after_the_retries(kind: str) -> None:
    with _serve(Faults(fail_first=10)) as sim, pytest.raises(TransportError) as exc:
        _maker(kind, sim)().exchange(REQUEST_270)
    assert "HTTP 503 Service Unavailable after 3 tries" in str(exc.value)
    busy = {"core": "CORE error Receiver: the simulator is busy",
            "soap": "SOAP fault Receiver: the simulator is busy",
            "json": "clearinghouse error unavailable: the simulator is busy"}  # fmt: skip
    assert busy[kind] in str(exc.value)
    assert sim.log.refused_503 == 3


@pytest.mark.parametrize("kind", KINDS)
def test_a_slow_answer_times_out_and_the_retry_is_not_a_second_question(kind: str) -> None:
    payer = SimulatedEligibilityPayer()
    with (
        _serve(Faults(latency=0.4), Payers(eligibility=payer)) as sim,
        pytest.raises(TransportError, match=r"no answer after 2 tries \(.*timed out"),
    ):
        _maker(kind, sim)(timeout=0.15, retries=1).exchange(REQUEST_270)
    assert len(payer.requests) == 1 and sim.log.replayed == 1


def test_an_answer_that_is_not_a_core_form_is_named() -> None:
    with _serve() as sim:
        url = sim.core_url.replace("/core", "/nowhere")
        with pytest.raises(TransportError, match="HTTP 404 Not Found"):
            CoreHttpTransport(url, "OTBILL", "SIM", **FAST).exchange(REQUEST_270)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "extra", "words"),
    [
        ("core", {"password": "wrong"}, "HTTP 401"),
        ("soap", {"password": "wrong"}, "SOAP fault Sender: the WS-Security UsernameToken"),
        ("json", {"token": "stolen"}, "clearinghouse error unauthorized: the bearer token"),
    ],
)
def test_refused_credentials_are_not_retried(kind: str, extra: dict[str, str], words: str) -> None:
    payer = SimulatedEligibilityPayer()
    with _serve(payers=Payers(eligibility=payer)) as sim, pytest.raises(TransportError) as exc:
        _maker(kind, sim)(**extra).exchange(REQUEST_270)
    assert "HTTP 401" in str(exc.value) and words in str(exc.value)
    assert "tries" not in str(exc.value)
    assert sum(sim.log.by_payload_id.values()) == 0 and payer.requests == []


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("core", "CORE error Receiver: the simulated payer could not read the 270"),
        ("soap", "CORE error Receiver: the simulated payer could not read the 270"),
        (
            "json",
            "HTTP 422 Unprocessable Entity: clearinghouse error Receiver: the simulated payer",
        ),
    ],
)
def test_a_request_the_payer_cannot_read_is_named_at_once(kind: str, words: str) -> None:
    with _serve() as sim, pytest.raises(TransportError) as exc:
        _maker(kind, sim)().exchange(b"not a 270")
    assert words in str(exc.value)
    assert sum(sim.log.by_payload_id.values()) == 1  # not retried


@pytest.mark.parametrize("kind", KINDS)
def test_an_answer_over_the_cap_is_refused(kind: str) -> None:
    with _serve() as sim, pytest.raises(TransportError, match="the answer is over 200 bytes"):
        _maker(kind, sim)(max_answer=200).exchange(REQUEST_270)


@pytest.mark.parametrize("kind", KINDS)
def test_no_server_is_a_transport_error_after_the_retries(kind: str) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    sim = Simulator(f"{base}/core", f"{base}/soap", f"{base}/json", None, Payers())  # type: ignore[arg-type]
    with pytest.raises(TransportError, match=r"no answer after 3 tries"):
        _maker(kind, sim)().exchange(REQUEST_270)


def test_a_payload_type_without_a_payer_is_a_core_error() -> None:
    with _serve(payers=Payers(prior_auth=None)) as sim:
        for kind in ("core", "soap"):
            with pytest.raises(TransportError) as exc:
                _maker(kind, sim)("278").exchange(REQUEST_270)
            assert "CORE error Receiver: the simulator has no payer for transaction 278" in str(
                exc.value
            )
        with pytest.raises(TransportError, match="HTTP 404"):
            _maker("json", sim)("278").exchange(REQUEST_270)


def test_core_error_codes_are_named_in_plain_words() -> None:
    with _serve() as sim, pytest.raises(TransportError) as exc:
        _maker("core", sim)().exchange(b"")
    assert "CORE error PayloadRequired" in str(exc.value)
    assert "the clearinghouse says the Payload field is missing" in str(exc.value)


def test_an_unknown_transaction_is_refused_when_the_transport_is_made() -> None:
    with pytest.raises(TransportError, match="real time carries 270, 276 or 278"):
        CoreSoapTransport("http://127.0.0.1:1/soap", "A", "B", transaction="837")


def test_a_payload_id_reused_for_another_request_is_refused() -> None:
    with _serve() as sim:
        make = _maker("core", sim)
        make().exchange(REQUEST_270, payload_id="same-id")
        with pytest.raises(TransportError, match="was already used for another payload"):
            make().exchange(REQUEST_270.replace(b"RT-1", b"RT-2"), payload_id="same-id")
    with pytest.raises(TransportError, match="PayloadID 'has space'"):
        make().exchange(REQUEST_270, payload_id="has space")


def test_random_failures_are_seeded_and_every_request_is_still_answered_once() -> None:
    payer = SimulatedClaimStatusPayer()
    faults = Faults(failure_rate=0.4, drop_share=0.5, seed=7)
    with _serve(faults, Payers(claim_status=payer)) as sim:
        make = _maker("json", sim)
        for n in range(12):
            one = DEMO_276.replace("C-41", f"C-5{n % 10}{n}").encode()
            make("276", retries=8).exchange(one)
        log = sim.log.snapshot()
    assert log["payload_ids"] == 12 and log["traces"] == 12 and log["duplicate_traces"] == {}
    assert isinstance(log["requests"], int) and log["requests"] > 12  # some were tried again
    assert len(payer.requests) == 12


def test_the_soap_envelope_carries_the_core_fields_and_refuses_doctypes() -> None:
    body = envelope("COREEnvelopeRealTimeRequest", {"PayloadType": "X12_270_Request_005010X279A1",
                    "Payload": "ISA*a]]>b~"}, username="u<1>", password="p&2")  # fmt: skip
    assert b'xmlns:ns1="http://www.caqh.org/SOAP/WSDL/CORERule2.2.0.xsd"' in body
    assert b'xmlns:soapenv="http://www.w3.org/2003/05/soap-envelope"' in body
    message = read_envelope(body)
    assert message.kind == "COREEnvelopeRealTimeRequest"
    assert message.fields["Payload"] == "ISA*a]]>b~"  # the CDATA end marker survives
    assert (message.username, message.password) == ("u<1>", "p&2")
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>'
    with pytest.raises(TransportError, match="document type declaration"):
        read_envelope(evil)
    with pytest.raises(TransportError, match="cannot carry"):
        envelope("COREEnvelopeRealTimeRequest", {"Payload": "ISA\x1d"})


def test_the_in_process_simulator_answers_a_resent_payload_id_once() -> None:
    payer = SimulatedEligibilityPayer()
    channel = InProcessTransport(payer)
    first = channel.exchange(REQUEST_270, payload_id="stable-1")
    assert channel.exchange(REQUEST_270, payload_id="stable-1") == first
    channel.exchange(REQUEST_270)
    assert len(payer.requests) == 2


def test_traces_are_the_trn02_of_each_request_once() -> None:
    assert traces_of(REQUEST_270) == ["RT-1"]
    assert traces_of(REQUEST_276) == ["C-46"]
    assert traces_of(b"not x12") == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_278_comes_back_as_the_prior_auth_payers_278(kind: str) -> None:
    request = sample_request(member_id="ABC1231")  # 1: approved in full
    text = write_278(request).encode()
    with _serve() as sim:
        assert sim.payers.prior_auth is not None  # the build's 278 payer is found
        answer = _maker(kind, sim)("278").exchange(text)
    assert validate(answer, "278_response") == []
    found = read_278(answer).response_for(request.trace)
    assert found is not None and found.decision is AuthDecision.APPROVED
    assert list(sim.log.by_trace) == [request.trace] == traces_of(text)


def test_a_redirect_is_not_followed_with_the_credentials() -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    hits: list[str] = []

    class Redirect(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def do_POST(self) -> None:
            hits.append(self.path)
            self.send_response(307)
            self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/core"
        transport = CoreHttpTransport(url, "OTBILL", "SIM", username="u", password="p", **FAST)  # type: ignore[arg-type]
        with pytest.raises(TransportError, match=r"HTTP 307 .*redirects are not followed"):
            transport.exchange(REQUEST_270)
    finally:
        server.shutdown()
        server.server_close()
    assert hits == ["/core"]
