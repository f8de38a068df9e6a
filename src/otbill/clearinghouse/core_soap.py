"""Real-time X12 in the CAQH CORE SOAP envelope (SOAP 1.2, WS-Security UsernameToken).

The CAQH CORE Connectivity Rule vC2.2.0 (section 4: the SOAP+WSDL envelope, and its XML schema
``CORERule2.2.0.xsd``) carries one X12 payload in a SOAP 1.2 ``Envelope`` whose ``Body`` holds a
``COREEnvelopeRealTimeRequest`` in the namespace ``http://www.caqh.org/SOAP/WSDL/CORERule2.2.0.xsd``
with the same fields as the MIME form (``PayloadType``, ``ProcessingMode``, ``PayloadID``,
``TimeStamp``, ``SenderID``, ``ReceiverID``, ``CORERuleVersion``, ``Payload``; the child elements
are unqualified) and the X12 text inline in ``Payload`` as CDATA. The answer is a
``COREEnvelopeRealTimeResponse`` with the response PayloadType, ``ErrorCode`` and
``ErrorMessage``, or a SOAP ``Fault`` (``Code/Value`` and ``Reason/Text``).

Authentication (section 4, submitter authentication): a name and password travel in the header
as a WS-Security 1.0 ``UsernameToken`` with a ``PasswordText`` password (so only over TLS); an
X.509 client certificate is the transport's ``ssl_context``. Retries, backoff, the same
PayloadID on every try and the answer cap are :func:`~otbill.clearinghouse.realtime.post`'s.

Answers are read with the standard library's XML parser after refusing any document type
declaration (``<!DOCTYPE``): no entity of the answer is ever expanded or fetched.
"""

from __future__ import annotations

import re
import ssl
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.sax.saxutils import escape

from otbill.clearinghouse.core_http import CORE_VERSION, core_error, payload_types, timestamp
from otbill.clearinghouse.realtime import (
    MAX_ANSWER,
    HttpAnswer,
    RetryPolicy,
    check_payload_id,
    post,
)
from otbill.clearinghouse.transport import TransportError

__all__ = [
    "CORE_NS",
    "SOAP12_NS",
    "CoreSoapTransport",
    "SoapMessage",
    "envelope",
    "fault",
    "read_envelope",
]

SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope"
SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/"
CORE_NS = "http://www.caqh.org/SOAP/WSDL/CORERule2.2.0.xsd"
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
PASSWORD_TEXT = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
    "#PasswordText"
)
CONTENT_TYPE = "application/soap+xml; charset=utf-8"
# XML 1.0 cannot carry these characters, not even in CDATA
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class SoapMessage:
    """A read CORE SOAP envelope: its element name, its fields and the WS-Security name/password."""

    kind: str  # COREEnvelopeRealTimeRequest or COREEnvelopeRealTimeResponse
    fields: dict[str, str]
    username: str = ""
    password: str = ""


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def envelope(kind: str, fields: dict[str, str], *, username: str = "", password: str = "") -> bytes:
    """A SOAP 1.2 envelope holding the CORE element ``kind`` with ``fields`` (Payload as CDATA)."""
    header = ""
    if username:
        header = (
            f'<soapenv:Header><wsse:Security xmlns:wsse="{WSSE_NS}"><wsse:UsernameToken>'
            f"<wsse:Username>{escape(username)}</wsse:Username>"
            f'<wsse:Password Type="{PASSWORD_TEXT}">{escape(password)}</wsse:Password>'
            "</wsse:UsernameToken></wsse:Security></soapenv:Header>"
        )
    parts = []
    for name, value in fields.items():
        bad = _NOT_XML.search(value)
        if bad:
            raise TransportError(
                f"the {name} field has the character {bad.group()!r}, which an XML "
                "envelope cannot carry; use the MIME multipart transport for this payload"
            )
        text = _cdata(value) if name == "Payload" else escape(value)
        parts.append(f"<{name}>{text}</{name}>")
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="{SOAP12_NS}">'
        f'{header}<soapenv:Body><ns1:{kind} xmlns:ns1="{CORE_NS}">{"".join(parts)}'
        f"</ns1:{kind}></soapenv:Body></soapenv:Envelope>"
    ).encode()


def fault(code: str, reason: str) -> bytes:
    """A SOAP 1.2 Fault; ``code`` is Sender (the request is at fault) or Receiver."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="{SOAP12_NS}">'
        f"<env:Body><env:Fault><env:Code><env:Value>env:{escape(code)}</env:Value></env:Code>"
        f'<env:Reason><env:Text xml:lang="en">{escape(reason)}</env:Text></env:Reason>'
        "</env:Fault></env:Body></env:Envelope>"
    ).encode()


def _refuse_doctype(body: bytes) -> None:
    """TransportError when the XML prolog has a document type declaration (or is not UTF-8)."""
    at = 3 if body.startswith(b"\xef\xbb\xbf") else 0
    while True:
        while at < len(body) and body[at : at + 1] in b" \t\r\n":
            at += 1
        if body.startswith(b"<?", at):
            end = body.find(b"?>", at)
        elif body.startswith(b"<!--", at):
            end = body.find(b"-->", at)
        elif body.startswith(b"<!", at):
            raise TransportError("the XML has a document type declaration (<!DOCTYPE); refused")
        elif body.startswith(b"<", at):
            return
        else:
            raise TransportError("the answer is not an XML document in UTF-8")
        if end < 0:
            raise TransportError("the XML prolog never ends")
        at = end + 2


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _fault_words(element: ET.Element) -> str:
    code = reason = ""
    for child in element.iter():
        name = _local(child.tag)
        if name in ("Value", "faultcode") and not code:
            code = (child.text or "").strip().rsplit(":", 1)[-1]
        elif name in ("Text", "faultstring") and not reason:
            reason = (child.text or "").strip()[:200]
    return f"SOAP fault {code or 'without a code'}: {reason or 'no reason given'}"


def read_envelope(body: bytes) -> SoapMessage:
    """The CORE element of a SOAP envelope; TransportError naming a Fault or what is wrong."""
    _refuse_doctype(body)
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise TransportError(f"the SOAP answer is not well-formed XML ({exc})") from None
    if root.tag not in (f"{{{SOAP12_NS}}}Envelope", f"{{{SOAP11_NS}}}Envelope"):
        raise TransportError(f"expected a SOAP Envelope, got <{_local(root.tag)}>")
    namespace = root.tag[1:].split("}", 1)[0]
    soap_body = root.find(f"{{{namespace}}}Body")
    if soap_body is None or len(soap_body) == 0:
        raise TransportError("the SOAP envelope has an empty or no Body")
    content = soap_body[0]
    if _local(content.tag) == "Fault":
        raise TransportError(_fault_words(content))
    fields = {_local(child.tag): (child.text or "") for child in content}
    username = password = ""
    security = root.find(f"{{{namespace}}}Header/{{{WSSE_NS}}}Security/{{{WSSE_NS}}}UsernameToken")
    if security is not None:
        username = security.findtext(f"{{{WSSE_NS}}}Username", "")
        password = security.findtext(f"{{{WSSE_NS}}}Password", "")
    return SoapMessage(_local(content.tag), fields, username, password)


def _explain(answer: HttpAnswer) -> str:
    try:
        read_envelope(answer.body)
    except TransportError as exc:
        return str(exc) if str(exc).startswith("SOAP fault") else ""
    return ""


@dataclass
class CoreSoapTransport:
    """A :class:`~otbill.clearinghouse.realtime.ResendableTransport` over the CORE SOAP envelope."""

    url: str
    sender_id: str
    receiver_id: str
    username: str = ""
    password: str = ""
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 1.0
    ssl_context: ssl.SSLContext | None = None
    transaction: str = "270"
    max_answer: int = MAX_ANSWER

    def __post_init__(self) -> None:
        payload_types(self.transaction)

    def exchange(self, request: bytes, payload_id: str | None = None) -> bytes:
        request_type, response_type = payload_types(self.transaction)
        try:
            text = request.decode("utf-8")
        except UnicodeDecodeError:
            raise TransportError("the X12 request is not UTF-8 text; SOAP carries text") from None
        fields = {
            "PayloadType": request_type, "ProcessingMode": "RealTime",
            "PayloadID": check_payload_id(payload_id), "TimeStamp": timestamp(),
            "SenderID": self.sender_id, "ReceiverID": self.receiver_id,
            "CORERuleVersion": CORE_VERSION, "Payload": text,
        }  # fmt: skip
        body = envelope(
            "COREEnvelopeRealTimeRequest", fields, username=self.username, password=self.password
        )
        policy = RetryPolicy(self.timeout, self.retries, self.backoff, self.max_answer)
        answer = post(
            self.url, body, {"Content-Type": CONTENT_TYPE}, policy,
            ssl_context=self.ssl_context, explain=_explain,
        )  # fmt: skip
        try:
            message = read_envelope(answer.body)
        except TransportError as exc:
            raise TransportError(f"{self.url}: {exc}") from None
        if message.kind != "COREEnvelopeRealTimeResponse":
            raise TransportError(
                f"{self.url}: expected a COREEnvelopeRealTimeResponse, got <{message.kind}>"
            )
        got = message.fields
        if got.get("ErrorCode", "") != "Success":
            raise core_error(self.url, got.get("ErrorCode", ""), got.get("ErrorMessage", ""))
        if got.get("PayloadType", "") != response_type:
            raise TransportError(
                f"{self.url}: PayloadType {got.get('PayloadType', '')!r}, expected {response_type!r}"
            )
        payload = got.get("Payload", "").strip()
        if not payload:
            raise TransportError(f"{self.url}: the answer has no Payload")
        return payload.encode("utf-8")
