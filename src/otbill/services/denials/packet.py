"""A denial's appeal packet: the letter for its cause filled from the record, edited by the biller,
made final (the PDF kept, its SHA-256 in the audit trail), then marked sent (the appeal filed).

The packet encloses, in order: the plan of care with its certification, the notes with minutes
for the denied lines, the authorization and its log, the proof of timely submission (the 837P
files that carried the claim and its status history with the 999 and 277CA answers) and the
remittance. The level and deadline follow :func:`otbill.domain.appeals.appeal_level`: Medicare's
levels (42 CFR 405.942, 405.962, 405.1006) for a payer whose profile is Medicare, otherwise the
days of the payer's contract (``appeal_days``).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from otbill import clock
from otbill.codes import carc as carc_codes
from otbill.domain.appeals import (
    LETTERS,
    AppealLevel,
    AppealPacket,
    Denial,
    appeal_level,
    fill_letter,
    letter_template,
)
from otbill.domain.claim_records import ClaimLine
from otbill.domain.denial_causes import CauseInfo, root_cause
from otbill.domain.lifecycle import Role
from otbill.domain.money import from_cents
from otbill.errors import OtbillError
from otbill.pdf import PlanRequestFacts, render_certification_request
from otbill.pdf.appeal_packet import Enclosure, LetterFacts, render_appeal_packet
from otbill.services.clinic.setup import require_role
from otbill.services.denials.appeal import record_appeal
from otbill.storage import UnitOfWork

__all__ = [
    "PacketError",
    "cause_of",
    "draft_packet",
    "edit_letter",
    "finalise_packet",
    "level_of",
    "mark_sent",
    "packet_pdf",
    "record_outcome",
]

_MAX_LETTER = 20_000


class PacketError(OtbillError):
    """The packet cannot do that in its state (edit a final letter, send a draft)."""


def _money(cents: int) -> str:
    return f"${from_cents(cents):,.2f}"


def cause_of(denial: Denial) -> CauseInfo:
    """The denial's root cause from its group code, CARC and remark codes."""
    return root_cause(denial.group_code, denial.carc, denial.remarks or (denial.rarc or "",))


def level_of(uow: UnitOfWork, denial: Denial) -> AppealLevel:
    """The level an appeal of this denial is at now, and its deadline."""
    claim = uow.claims.get(denial.claim_id)
    terms = uow.payers.terms_of(claim.payer_id)
    medicare = terms.profile.lower().startswith("medicare")
    level = min(uow.denials.appeal_count(claim.id) + 1, 5 if medicare else 9)
    return appeal_level(medicare, level, denial.denied_on, terms.appeal_days)


def _denied_lines(uow: UnitOfWork, denial: Denial) -> list[ClaimLine]:
    lines = uow.claims.lines(denial.claim_id)
    return [ln for ln in lines if ln.id == denial.claim_line_id] or lines


def _facts(uow: UnitOfWork, denial: Denial) -> dict[str, str]:
    """The record's facts a letter template names."""
    claim = uow.claims.get(denial.claim_id)
    patient = uow.patients.get(claim.patient_id)
    payer = uow.payers.get(claim.payer_id)
    lines = _denied_lines(uow, denial)
    plan = uow.patients.plan_on(claim.patient_id, claim.date_of_service)
    auth = uow.authorizations.covering_on(claim.coverage_id, claim.date_of_service)
    sent = uow.appeals.submissions(claim.id)
    modifiers = sorted({m for ln in lines for m in ln.modifiers.split(",") if m})
    distinct = [m for m in modifiers if m in ("59", "XE", "XP", "XS", "XU")]
    return {
        "payer": payer.name,
        "claim": claim.number,
        "patient": f"{patient.first_name} {patient.last_name}",
        "dos": claim.date_of_service.isoformat(),
        "code": ", ".join(sorted({ln.code for ln in lines})),
        "minutes": str(sum(ln.minutes or 0 for ln in lines)) if lines else "",
        "reason": f"{denial.group_code}-{denial.carc}",
        "modifier": distinct[0] if distinct else "XU",
        "signed": plan.certified_on.isoformat() if plan and plan.certified_on else "",
        "diagnosis": ", ".join(plan.diagnoses) if plan else "",
        "sent": sent[0][2].date().isoformat() if sent else "",
        "auth": auth.number if auth else "",
        "auth_from": auth.start_date.isoformat() if auth else "",
        "auth_to": auth.end_date.isoformat() if auth else "",
    }


def _biller(uow: UnitOfWork) -> int:
    """The acting user, who must be a biller (or admin)."""
    if uow.actor_id is None:
        raise PacketError("an appeal packet needs a signed-in biller")
    require_role(uow, uow.actor_id, Role.BILLER)
    return uow.actor_id


def draft_packet(uow: UnitOfWork, denial_id: int) -> AppealPacket:
    """The denial's packet: the one kept, else a new draft letter for its cause."""
    _biller(uow)
    kept = uow.appeals.packet_for(denial_id)
    if kept is not None:
        return kept
    denial = uow.denials.get(denial_id)
    cause = cause_of(denial)
    modifiers = tuple(m for ln in _denied_lines(uow, denial) for m in ln.modifiers.split(","))
    template = letter_template(cause.letter, modifiers)
    level = level_of(uow, denial)
    packet = AppealPacket(
        id=0,
        denial_id=denial.id,
        cause=cause.cause.value,
        template=template,
        level=level.level,
        deadline=level.deadline,
        body=fill_letter(template, _facts(uow, denial)),
        status="draft",
        edited_by=_biller(uow),
        edited_at=clock.utcnow(),
    )
    saved = uow.appeals.save_packet(packet)
    after = {
        "denial_id": denial.id,
        "cause": packet.cause,
        "template": template,
        "level": level.level,
        "deadline": level.deadline,
    }
    uow.audit.record(uow.actor_id, "appeal_packet.draft", "denial", denial.id, None, after)
    return saved


def edit_letter(uow: UnitOfWork, denial_id: int, body: str) -> AppealPacket:
    """The biller's text of the letter, while it is a draft."""
    packet = draft_packet(uow, denial_id)
    if packet.status != "draft":
        raise PacketError(f"the letter for denial {denial_id} is {packet.status}: it cannot change")
    text = body.strip()
    if not text:
        raise PacketError("the letter is empty: write what the payer should reconsider")
    if len(text) > _MAX_LETTER:
        raise PacketError(f"the letter is longer than {_MAX_LETTER:,} characters")
    saved = uow.appeals.save_packet(
        replace(packet, body=text, edited_by=_biller(uow), edited_at=clock.utcnow())
    )
    uow.audit.record(
        uow.actor_id,
        "appeal_packet.edit",
        "denial",
        denial_id,
        {"body": packet.body},
        {"body": text},
    )
    return saved


def _enclosures(uow: UnitOfWork, denial: Denial) -> tuple[Enclosure, ...]:
    claim = uow.claims.get(denial.claim_id)
    lines = _denied_lines(uow, denial)
    plan = uow.patients.plan_on(claim.patient_id, claim.date_of_service)
    plan_title = "Plan of care"
    plan_pdf = None
    if plan is not None:
        clinic = uow.clinics.identity()
        line1, city, state, zip_code = clinic.address
        _p, detail = uow.plans.get(plan.id)
        physician = uow.plans.physician(detail.physician_id) if detail.physician_id else None
        facts = PlanRequestFacts(
            clinic.name,
            clinic.npi,
            f"{line1}, {city}, {state} {zip_code}",
            uow.patients.get(plan.patient_id),
            physician,
            plan,
            detail.recertifies_id is not None,
        )
        plan_pdf = render_certification_request(facts, printed_on=plan.start)
        signed = plan.certified_on.isoformat() if plan.certified_on else "not yet signed"
        plan_title = f"Plan of care (certified by the physician: {signed})"
    visits = uow.claims.visits(claim.id)
    notes = uow.visits.notes_by_visit([v.id for v in visits])
    signer = {v.date: notes[v.id].signature for v in visits if v.id in notes}
    note_rows = tuple(
        (
            ln.date.isoformat(),
            ln.code,
            ln.modifiers.replace(",", " "),
            str(ln.minutes if ln.minutes is not None else "-"),
            str(ln.units),
            (
                f"{s.name}, {s.credential}, {s.signed_at:%Y-%m-%d}"
                if (s := signer.get(ln.date))
                else "not signed"
            ),
        )
        for ln in lines
    )
    auth = uow.authorizations.covering_on(claim.coverage_id, claim.date_of_service)
    auth_rows: tuple[tuple[str, ...], ...] = ()
    if auth is not None:
        auth_rows = (
            (
                auth.start_date.isoformat(),
                "authorization",
                f"{auth.number}: {auth.start_date} to {auth.end_date}, "
                f"{auth.visits_authorized or 'any'} visits, {auth.status}",
            ),
            *(
                (e.at.date().isoformat(), e.kind, e.text[:300])
                for e in uow.authorizations.entries([auth.id])
            ),
        )
    sent = tuple(
        (at.strftime("%Y-%m-%d %H:%M"), kind, name, control, sha[:16])
        for name, kind, at, control, sha in uow.appeals.submissions(claim.id)
    )
    moves = tuple(
        (m.at.strftime("%Y-%m-%d %H:%M"), m.to_status, m.reason[:200])
        for m in uow.reports.status_moves(claim.id)
    )
    trace = uow.appeals.remittance_trace(denial.remittance_id)
    remit_rows = tuple(
        (day.isoformat(), code, kind, f"{group}-{reason}" if reason else "", _money(cents))
        for day, code, kind, group, reason, cents in uow.appeals.remittance_lines(
            claim.id, denial.remittance_id
        )
    )
    codes_words = "; ".join(
        f"{c.get('group', '')}-{c['carc']}: {carc_codes.describe(c['carc'])}" for c in denial.codes
    )
    return (
        Enclosure(plan_title, pdf=plan_pdf),
        Enclosure(
            "Treatment notes with minutes",
            header=("Date", "Code", "Modifiers", "Minutes", "Units", "Signed by"),
            rows=note_rows,
            widths=(3, 2, 2, 2, 1, 6),
        ),
        Enclosure(
            "Authorization and its log",
            header=("Date", "Entry", "What"),
            rows=auth_rows,
            widths=(2, 2, 8),
        ),
        Enclosure(
            "Proof of timely submission (837P sent; 999 and 277CA answers)",
            header=("When", "Status or file", "Detail"),
            rows=tuple(
                (at, kind, f"{name} ST02 {control} SHA-256 {sha}...")
                for at, kind, name, control, sha in sent
            )
            + moves,
            widths=(3, 2, 8),
            note="The claim's files as sent and its status history, as kept by otbill.",
        ),
        Enclosure(
            "Remittance (835)" + (f" trace {trace[0]}, paid {trace[1]}" if trace else ""),
            header=("Date", "Code", "Entry", "Reason", "Amount"),
            rows=remit_rows,
            widths=(2, 2, 2, 2, 2),
            note=codes_words,
        ),
    )


def _letter_facts(
    uow: UnitOfWork, denial: Denial, packet: AppealPacket, *, final: bool
) -> LetterFacts:
    claim = uow.claims.get(denial.claim_id)
    clinic = uow.clinics.identity()
    terms = uow.payers.terms_of(claim.payer_id)
    patient = uow.patients.get(claim.patient_id)
    coverage = uow.patients.coverage(claim.coverage_id)
    address = terms.claim_address
    payer_address = (
        f"{address.line1}, {address.city}, {address.state} {address.zip}" if address else ""
    )
    level = level_of(uow, denial)
    title = f"Request for {level.name.lower()}: {LETTERS[packet.template][0].lower()}"
    line1, city, state, zip_code = clinic.address
    signer = uow.users.full_names({uow.actor_id} if uow.actor_id else set()).get(
        uow.actor_id or 0, "Billing office"
    )
    about = (
        (
            "Claim",
            f"{claim.number}"
            + (f" (payer's number {claim.payer_claim_number})" if claim.payer_claim_number else ""),
        ),
        ("Patient", f"{patient.first_name} {patient.last_name}, born {patient.dob}"),
        ("Member ID", coverage.member_id),
        ("Date of service", claim.date_of_service.isoformat()),
        (
            "Denied",
            f"{denial.group_code}-{denial.carc} on {denial.denied_on}, "
            f"{_money(denial.amount_cents)}",
        ),
        ("Appeal", f"{level.name} to {level.decides}, due by {packet.deadline}"),
    )
    return LetterFacts(
        clinic.name,
        clinic.npi,
        f"{line1}, {city}, {state} {zip_code}",
        terms.name,
        payer_address,
        clock.today(),
        title,
        about,
        packet.body,
        signer,
        final,
        _enclosures(uow, denial),
    )


def packet_pdf(uow: UnitOfWork, denial_id: int) -> bytes:
    """The packet as one PDF: the kept final one, or the draft as it would print now."""
    packet = draft_packet(uow, denial_id)
    if packet.status != "draft":
        kept = uow.appeals.packet_pdf(denial_id)
        if kept is not None:
            return kept
    denial = uow.denials.get(denial_id)
    return render_appeal_packet(_letter_facts(uow, denial, packet, final=False))


def finalise_packet(uow: UnitOfWork, denial_id: int) -> AppealPacket:
    """Make the letter final: the packet is rendered once more and kept as sent, with its
    SHA-256 in the audit trail."""
    packet = draft_packet(uow, denial_id)
    if packet.status != "draft":
        raise PacketError(f"the packet for denial {denial_id} is already {packet.status}")
    denial = uow.denials.get(denial_id)
    pdf = render_appeal_packet(_letter_facts(uow, denial, packet, final=True))
    sha = hashlib.sha256(pdf).hexdigest()
    saved = uow.appeals.save_packet(
        replace(
            packet,
            status="final",
            finalised_by=uow.actor_id,
            finalised_at=clock.utcnow(),
            pdf_sha256=sha,
        ),
        pdf,
    )
    after = {"status": "final", "sha256": sha, "bytes": len(pdf), "body": packet.body}
    uow.audit.record(
        uow.actor_id, "appeal_packet.final", "denial", denial_id, {"status": "draft"}, after
    )
    return saved


def mark_sent(uow: UnitOfWork, denial_id: int, *, allow_late: bool = False) -> AppealPacket:
    """The final packet went to the payer today: the appeal is filed (the claim is appealed)."""
    packet = draft_packet(uow, denial_id)
    if packet.status != "final":
        raise PacketError(
            f"the packet for denial {denial_id} is {packet.status}: finalise the letter first"
            if packet.status == "draft"
            else f"the packet for denial {denial_id} was sent on {packet.sent_on}"
        )
    today = clock.today()
    title = LETTERS[packet.template][0]
    appeal = record_appeal(uow, denial_id, today, f"packet sent: {title}", allow_late=allow_late)
    saved = uow.appeals.save_packet(
        replace(packet, status="sent", sent_on=today, appeal_id=appeal.id)
    )
    uow.audit.record(
        uow.actor_id,
        "appeal_packet.sent",
        "denial",
        denial_id,
        {"status": "final"},
        {"status": "sent", "sent_on": today, "appeal_id": appeal.id},
    )
    return saved


def record_outcome(uow: UnitOfWork, denial_id: int, outcome: str) -> str:
    """The payer's decision on the appeal as the biller read it (won, partial, lost); a payment
    on a later 835 shows as recovered whether or not this is recorded."""
    _biller(uow)
    if outcome not in ("won", "partial", "lost"):
        raise PacketError("the outcome is won, partial or lost")
    appeal = uow.denials.appeal_of(denial_id)
    if appeal is None:
        raise PacketError(f"denial {denial_id} has no appeal filed: mark the packet sent first")
    uow.appeals.set_appeal_outcome(appeal.id, outcome)
    uow.audit.record(
        uow.actor_id,
        "appeal.outcome",
        "appeal",
        appeal.id,
        {"outcome": appeal.outcome},
        {"outcome": outcome},
    )
    return outcome
