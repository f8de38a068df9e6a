"""The CORE X.509 option: a clearinghouse that wants our client certificate, over TLS on loopback."""

from __future__ import annotations

import datetime as dt
import ssl
import subprocess
from pathlib import Path

import pytest

from otbill.clearinghouse.core_http import CoreHttpTransport
from otbill.clearinghouse.core_soap import CoreSoapTransport
from otbill.clearinghouse.json_api import JsonApiTransport
from otbill.clearinghouse.realtime import ResendableTransport
from otbill.clearinghouse.simulator.servers import Simulator, serve_payers
from otbill.clearinghouse.transport import TransportError
from otbill.domain.eligibility import Inquiry, Person
from otbill.x12.guide_rules import validate
from otbill.x12.write_270 import write_270

REQUEST = write_270(
    Inquiry(
        trace="TLS-1", payer_name="ACME", payer_id="12345", provider_name="RIVER OT",
        provider_npi="1234567893", subscriber=Person("JANE", "DOE", dt.date(1970, 1, 1), "F"),
        member_id="ABC120", date_of_service=dt.date(2025, 3, 3), service_types=("AD",),
        originator="1123456789",
    )
).encode()  # fmt: skip


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A test CA, a server certificate for 127.0.0.1 and a client certificate, all signed by it."""
    d = tmp_path_factory.mktemp("pki")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
             "ca.pem", "-days", "2", "-subj", "/CN=otbill test CA", cwd=d)  # fmt: skip
    for name, extra in (("server", "subjectAltName=IP:127.0.0.1"), ("client", "")):
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out",
                 f"{name}.csr", "-subj", f"/CN=otbill {name}", cwd=d)  # fmt: skip
        (d / f"{name}.ext").write_text(extra + "\n" if extra else "basicConstraints=CA:FALSE\n")
        _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                 "-CAcreateserial", "-out", f"{name}.pem", "-days", "2", "-extfile",
                 f"{name}.ext", cwd=d)  # fmt: skip
    return d


def _server_context(pki: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki / "server.pem", pki / "server.key")
    context.load_verify_locations(pki / "ca.pem")
    context.verify_mode = ssl.CERT_REQUIRED
    context.maximum_version = ssl.TLSVersion.TLSv1_2  # a missing certificate fails the handshake
    return context


def _client_context(pki: Path, *, with_certificate: bool) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(pki / "ca.pem"))
    if with_certificate:
        context.load_cert_chain(pki / "client.pem", pki / "client.key")
    return context


def _transport(kind: str, sim: Simulator, context: ssl.SSLContext) -> ResendableTransport:
    fast = {"timeout": 5.0, "retries": 1, "backoff": 0.01, "ssl_context": context}
    if kind == "core":
        return CoreHttpTransport(sim.core_url, "OTBILL", "SIM", **fast)  # type: ignore[arg-type]
    if kind == "soap":
        return CoreSoapTransport(sim.soap_url, "OTBILL", "SIM", **fast)  # type: ignore[arg-type]
    return JsonApiTransport(sim.json_url, "", "OTBILL", "SIM", **fast)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["core", "soap", "json"])
def test_a_client_certificate_opens_the_door_and_its_absence_does_not(pki: Path, kind: str) -> None:
    # TLS 1.2 on the server: the missing certificate fails the handshake (with TLS 1.3 the
    # refusal can come after it, as a cut connection, which is tried again like any drop)
    with serve_payers(tls=_server_context(pki)) as sim:
        assert sim.core_url.startswith("https://127.0.0.1:")
        answer = _transport(kind, sim, _client_context(pki, with_certificate=True)).exchange(
            REQUEST
        )
        assert validate(answer, "271") == []
        bare = _transport(kind, sim, _client_context(pki, with_certificate=False))
        with pytest.raises(TransportError) as refused:
            bare.exchange(REQUEST)
    assert "the TLS connection failed" in str(refused.value)
    assert "tries" not in str(refused.value)  # refused at once, not tried again
    assert list(sim.log.by_trace.elements()) == ["TLS-1"]  # the refused one never reached a payer
