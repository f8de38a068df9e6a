"""How a command reaches the payer in real time: one function and the options it reads.

Every command that asks a payer (``otbill eligibility check`` 270, ``otbill claims status``
276, ``otbill authorizations`` 278) takes the same three options and calls
:func:`realtime_transport` with its transaction::

    from otbill.cli.transports import ReceiverOption, TransportOption, UrlOption, realtime_transport

    def command(..., transport: TransportOption = "simulator", url: UrlOption = "",
                receiver: ReceiverOption = "") -> None:
        channel = realtime_transport("276", transport, url, receiver)

``--transport`` is ``simulator`` (the payer simulator, in-process), ``core`` (CAQH CORE MIME
multipart), ``soap`` (the CORE SOAP envelope) or ``json`` (a JSON-API clearinghouse, see
:mod:`otbill.clearinghouse.json_api`). Credentials come from the environment, never the command
line (where other users of the machine could read them): ``OTBILL_CORE_USER`` and
``OTBILL_CORE_PASSWORD`` for core and soap, ``OTBILL_CLEARINGHOUSE_TOKEN`` for json, and, for a
clearinghouse that wants a client certificate, ``OTBILL_CLIENT_CERT`` (a PEM file, with the key
unless ``OTBILL_CLIENT_KEY`` names it). Anything unusable is one line on stderr naming the
option or variable, and exit status 2. The transport returned takes a stable
``payload_id`` for resends (:class:`~otbill.clearinghouse.realtime.ResendableTransport`).
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated

import typer

from otbill.cli.common import fail

if TYPE_CHECKING:
    from otbill.clearinghouse.realtime import ResendableTransport

__all__ = [
    "TRANSPORTS",
    "ReceiverOption",
    "TransportOption",
    "UrlOption",
    "describe",
    "realtime_transport",
]

TRANSPORTS = ("simulator", "core", "soap", "json")
SENDER_ID = "OTBILL"

TransportOption = Annotated[
    str,
    typer.Option(
        "--transport",
        help="simulator (the payer simulator, in-process), core (CAQH CORE MIME multipart at "
        "--url), soap (the CORE SOAP envelope at --url) or json (a JSON-API clearinghouse at "
        "--url). core/soap: user and password from OTBILL_CORE_USER and OTBILL_CORE_PASSWORD; "
        "json: token from OTBILL_CLEARINGHOUSE_TOKEN; a client certificate from "
        "OTBILL_CLIENT_CERT.",
    ),
]
UrlOption = Annotated[
    str, typer.Option("--url", help="The clearinghouse's address (https://; with --transport).")
]
ReceiverOption = Annotated[
    str, typer.Option("--receiver", help="The clearinghouse's receiver ID (its CORE ReceiverID).")
]


def describe(transport: str, url: str) -> str:
    """How the payer was reached, for the first line of a command's output."""
    return "payer simulator" if transport == "simulator" else url


def _simulated(transaction: str) -> ResendableTransport:
    from otbill.clearinghouse.realtime import InProcessTransport, RealTimeTransport

    payer: RealTimeTransport
    if transaction == "270":
        from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer

        payer = SimulatedEligibilityPayer()
    elif transaction == "276":
        from otbill.clearinghouse.simulator.claim_status import SimulatedClaimStatusPayer

        payer = SimulatedClaimStatusPayer()
    else:
        from otbill.clearinghouse.simulator.prior_auth import SimulatedPriorAuthPayer

        payer = SimulatedPriorAuthPayer()
    return InProcessTransport(payer)


def _client_context(env: Mapping[str, str]) -> ssl.SSLContext | None:
    cert = env.get("OTBILL_CLIENT_CERT", "")
    if not cert:
        return None
    context = ssl.create_default_context()
    try:
        context.load_cert_chain(cert, keyfile=env.get("OTBILL_CLIENT_KEY") or None)
    except (OSError, ssl.SSLError) as exc:
        fail(f"OTBILL_CLIENT_CERT {cert!r}: not a readable PEM certificate and key ({exc})")
    return context


def realtime_transport(
    transaction: str,
    transport: str = "simulator",
    url: str = "",
    receiver: str = "",
    *,
    env: Mapping[str, str] | None = None,
) -> ResendableTransport:
    """The transport the options name for ``transaction`` (270, 276 or 278); exit 2 if unusable."""
    if transaction not in ("270", "276", "278"):
        raise ValueError(f"transaction {transaction!r}: 270, 276 or 278")
    if transport == "simulator":
        return _simulated(transaction)
    if transport not in TRANSPORTS:
        fail(f"--transport {transport!r}: one of {', '.join(TRANSPORTS)}")
    if not url:
        fail(f"--url: the clearinghouse's address is needed with --transport {transport}")
    if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        fail(f"--url {url!r}: an https:// address (plain http only on this machine)")
    if not receiver:
        fail(f"--receiver: the clearinghouse's receiver ID is needed with --transport {transport}")
    environ = os.environ if env is None else env
    context = _client_context(environ)
    if transport == "json":
        from otbill.clearinghouse.json_api import JsonApiTransport

        token = environ.get("OTBILL_CLEARINGHOUSE_TOKEN", "")
        if not token and context is None:
            fail("OTBILL_CLEARINGHOUSE_TOKEN: the clearinghouse's API token is needed with "
                 "--transport json")  # fmt: skip
        return JsonApiTransport(url, token, SENDER_ID, receiver, ssl_context=context,
                                transaction=transaction)  # fmt: skip
    user = environ.get("OTBILL_CORE_USER", "")
    password = environ.get("OTBILL_CORE_PASSWORD", "")
    if transport == "soap":
        from otbill.clearinghouse.core_soap import CoreSoapTransport

        return CoreSoapTransport(url, SENDER_ID, receiver, username=user, password=password,
                                 ssl_context=context, transaction=transaction)  # fmt: skip
    from otbill.clearinghouse.core_http import CoreHttpTransport

    return CoreHttpTransport(url, SENDER_ID, receiver, username=user, password=password,
                             ssl_context=context, transaction=transaction)  # fmt: skip
