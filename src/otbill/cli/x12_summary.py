"""The plain-text summary ``otbill x12 read`` prints: payments, claims and findings, in words.

An 835 is summarised from the reader's own records (a 10,000-claim remittance is not turned into
JSON-ready data only to be printed); the other transactions from their JSON-ready documents. Long
files list the first :data:`CLAIMS_SHOWN` claims of each payment or file and say how many more
there are (``--json`` prints every one). Patients are not named: a claim is its control number.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from otbill.domain.remittance import Remittance
from otbill.x12.read_835 import Read835

__all__ = ["CLAIMS_SHOWN", "count", "findings_text", "summary_835", "summary_document"]

CLAIMS_SHOWN = 50


def count(n: int, word: str, many: str | None = None) -> str:
    """'1 claim', '2 claims' (``many`` for irregular plurals)."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {many or word + 's'}"


def _more(total: int, word: str) -> list[str]:
    hidden = total - CLAIMS_SHOWN
    return [f"    … and {count(hidden, word)} more (--json prints every one)"] if hidden > 0 else []


def _payment(r: Remittance) -> list[str]:
    h = r.header
    kind = " (a debit)" if h.credit_debit == "D" else ""
    method = f" by {h.method}" if h.method else ""
    when = f" on {h.payment_date.isoformat()}" if h.payment_date else ""
    payee = h.payee_name.strip() or "an unnamed payee"
    payer = h.payer_name.strip() or h.payer_id or "an unnamed payer"
    lines = [
        f"payment {h.trace_number or '(no trace number)'} of {h.total_paid} {kind}{method}{when}"
        f": from {payer} to {payee}, {count(len(r.claims), 'claim')}"
    ]
    for c in r.claims[:CLAIMS_SHOWN]:
        owes = f", patient owes {c.patient_responsibility}" if c.patient_responsibility else ""
        icn = f" (payer's number {c.payer_claim_number})" if c.payer_claim_number else ""
        lines.append(
            f"  claim {c.patient_control_number}: {c.status_text}, charged {c.charge}, "
            f"paid {c.paid}{owes}{icn}"
        )
    lines += _more(len(r.claims), "claim")
    for plb in r.provider_adjustments:
        sign = "taken back" if plb.amount > 0 else "added"
        lines.append(
            f"  provider adjustment {plb.reason} {plb.reference}".rstrip()
            + f": {abs(plb.amount)} {sign}"
        )
    return lines


def summary_835(result: Read835) -> list[str]:
    claims = sum(len(r.claims) for r in result.remittances)
    head = f"835: {count(len(result.remittances), 'payment')}, {count(claims, 'claim')}"
    return [head] + [line for r in result.remittances for line in _payment(r)]


def _money(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return Decimal(0)


def _claim_837(c: dict[str, Any]) -> str:
    lines = c.get("lines") or []
    dates = sorted({str(x.get("date")) for x in lines if x.get("date")})
    when = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}" if dates else "no date"
    codes = ", ".join(f"{x.get('code')} × {x.get('units')}" for x in lines)
    total = sum((_money(x.get("charge")) for x in lines), Decimal(0))
    payer = (c.get("payer") or {}).get("name") or "no payer"
    return (
        f"  claim {c.get('claim_id')}: {when}, {payer}, charged {total}, "
        f"{count(len(lines), 'line')} ({codes})"
    )


def _who(person: dict[str, Any] | None) -> str:
    if not person:
        return "no name"
    return ", ".join(p for p in (person.get("last_name"), person.get("first_name")) if p)


def _rejected(rejections: list[dict[str, Any]]) -> str:
    from otbill.domain.eligibility_codes import reject

    return "; ".join(dict.fromkeys(reject(r["code"], r["follow_up"])[0] for r in rejections))


def _inquiry(q: dict[str, Any]) -> str:
    patient = q.get("dependent") or q.get("subscriber")
    return (
        f"  inquiry {q['trace'] or '(no trace)'}: {_who(patient)}, member {q['member_id']}, "
        f"on {q['date_of_service']}, service types {', '.join(q['service_types'])}, "
        f"payer {q['payer_name'] or q['payer_id']}"
    )


def _eligibility(a: dict[str, Any]) -> str:
    plan = f", plan {a['plan_begin'] or '…'} to {a['plan_end'] or '…'}"
    rejected = f", rejected: {_rejected(a['rejections'])}" if a["rejections"] else ""
    return (
        f"  answer {a['trace'] or '(no trace)'}: {_who(a)}, member {a['member_id']}"
        f"{plan if a['plan_begin'] or a['plan_end'] else ''}, "
        f"{count(len(a['benefits']), 'benefit')}{rejected}"
    )


def _question(c: dict[str, Any]) -> str:
    charged = f", charged {c['total_charge']}" if c["total_charge"] is not None else ""
    dates = ""
    if c["service_from"]:
        to = f" to {c['service_to']}" if c["service_to"] != c["service_from"] else ""
        dates = f", service {c['service_from']}{to}"
    lines = f", {count(c['service_lines'], 'service line')}" if c["service_lines"] else ""
    return (
        f"  claim {c['trace']}: {_who(c['patient'] or c['subscriber'])}, member {c['member_id']}"
        f"{charged}{dates}{lines}, payer {c['payer_name'] or c['payer_id']}"
    )


def _asked_278(r: dict[str, Any]) -> str:
    lines = ", ".join(f"{x['procedure_code']} × {x['quantity']} {x['measure']}" for x in r["lines"])
    return (
        f"  request {r['trace']}: {_who(r['patient'] or r['subscriber'])}, member "
        f"{r['member_id']}, {r['start']} to {r['end']}, {lines or 'no procedure'}, diagnoses "
        f"{', '.join(r['diagnoses']) or 'none'}, payer {r['payer_name'] or r['payer_id']}"
    )


def _summary_278(document: dict[str, Any]) -> list[str]:
    if document["kind"] == "request":
        items = document["requests"]
        head = f"278 request: {count(len(items), 'authorization')} asked for"
        return [head, *map(_asked_278, items[:CLAIMS_SHOWN]), *_more(len(items), "item")]
    items = document["responses"]
    head = f"278 response: {count(len(items), 'answer')}"
    shown = [
        f"  answer {r['trace'] or '(no trace)'}: {r['decision']}: {'; '.join(r['words'])}"
        for r in items[:CLAIMS_SHOWN]
    ]
    return [head, *shown, *_more(len(items), "item")]


def _exchange_summary(document: dict[str, Any]) -> list[str]:
    """A 270, 271, 276, 277 (X212) or 278."""
    kind = document["transaction"]
    if kind == "278":
        return _summary_278(document)
    shown: Iterable[str]
    if kind == "270":
        items = document["inquiries"]
        head, shown = f"270: {count(len(items), 'inquiry', 'inquiries')}", map(_inquiry, items)
    elif kind == "271":
        items = document["answers"]
        head = f"271 from {document['payer_name'] or 'an unnamed payer'}: " + count(
            len(items), "answer"
        )
        if document["rejections"]:
            head += f"; the payer rejected the inquiry: {_rejected(document['rejections'])}"
        shown = map(_eligibility, items)
    elif kind == "276":
        items = document["claims"]
        head, shown = f"276: {count(len(items), 'claim')} asked about", map(_question, items)
    else:
        items = document["answers"]
        head = f"277 from {document['payer_name'] or 'an unnamed payer'}: " + count(
            len(items), "answer"
        )
        shown = (f"  {a['level']} {a['trace']}: {a['outcome']}: {a['words']}" for a in items)
    return [head, *list(shown)[:CLAIMS_SHOWN], *_more(len(items), "item")]


def summary_document(document: dict[str, Any]) -> list[str]:
    """A 999, a 277CA, an 837P, a 270, 271, 276, 277 or 278 read as JSON-ready data."""
    kind = document["transaction"]
    if kind in ("270", "271", "276", "277", "278"):
        return _exchange_summary(document)
    if kind == "999":
        sets = [s for g in document["groups"] for s in g["sets"]]
        accepted = sum(s["status"] in ("A", "E") for s in sets)
        return [f"999: {count(len(sets), 'transaction set')}, {accepted:,} accepted"]
    if kind == "277CA":
        claims = document["claims"]
        rejected = [c for c in claims if c["outcome"] == "rejected"]
        head = f"277CA: {count(len(claims), 'claim')}, {len(rejected):,} rejected"
        shown = [f"  {c['patient_control_number']}: {c['reason']}" for c in rejected]
        return [head, *shown[:CLAIMS_SHOWN], *_more(len(rejected), "rejected claim")]
    claims = document["claims"]
    head = f"837P: {count(len(claims), 'claim')}"
    return [head, *(_claim_837(c) for c in claims[:CLAIMS_SHOWN]), *_more(len(claims), "claim")]


def findings_text(findings: list[dict[str, Any]]) -> list[str]:
    if not findings:
        return ["no findings"]
    lines = [count(len(findings), "finding") + ":"]
    for f in findings:
        where = f"segment {f['position']} {f['segment']} {f['element'] or ''}".rstrip()
        lines.append(f"  {f['severity']}: {where}: {f['message']}")
    return lines
