"""What the visit page shows, gathered in one place (no router here).

The page and its HTMX partial share this context: units of the minutes as typed (or as stored),
explained; the warnings for the visit; the note's elements with their values and what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from otbill.codes import pos
from otbill.domain.notes import ELEMENTS, TEXT_FIELDS, VisitNote
from otbill.payers import PayerProfile
from otbill.services.denials.prevention import payer_profile
from otbill.services.views import therapist_day as schedule
from otbill.services.visits.plausibility import MueLookup
from otbill.services.visits.record import SELF_PAY, self_pay_profile
from otbill.services.visits.warnings import expected_allowed_cents, visit_warnings
from otbill.storage import UnitOfWork
from otbill.web.routes import therapist_forms as forms

__all__ = ["page_context"]

_METHODS = {
    "cms": "the 8-minute rule: the day's timed minutes are added up, then turned into units",
    "per-code": "per code: each timed code needs 8 minutes or more of its own for a unit",
}


def _stored_rows(view: schedule.VisitView) -> dict[str, str]:
    rows: dict[str, str] = {}
    for i, line in enumerate(view.lines):
        rows[f"code_{i}"], rows[f"minutes_{i}"] = line.code, str(line.minutes)
    return rows


def _element_value(note: VisitNote, element: str) -> str:
    if element == "interventions":
        return ", ".join(i.code for i in note.interventions)
    if element == "minutes_per_timed_code":
        return ", ".join(f"{i.code}: {i.minutes} min" for i in note.interventions if i.timed)
    if element == "total_timed_minutes":
        return f"{note.total_timed_minutes} min"
    if element == "signature":
        s = note.signature
        return f"{s.name}, {s.credential}, {s.signed_at:%Y-%m-%d %H:%M}" if s else ""
    value = getattr(note.effective_text, element)
    if element == "total_treatment_minutes" and value is not None:
        return f"{value} min"
    return "" if value is None else str(value)


def _elements(note: VisitNote) -> list[dict[str, Any]]:
    missing = set(note.missing())
    return [
        {
            "key": e,
            "label": forms.ELEMENT_LABELS[e],
            "value": _element_value(note, e),
            "present": e not in missing,
        }
        for e in note.required()
    ]


def _written(note: VisitNote) -> list[dict[str, Any]]:
    """Every element the note holds for its reader: the required ones (blank shown as such) and
    any other element the therapist wrote (a daily note's status, goals or necessity)."""
    required = set(note.required())
    rows = [
        {"key": e, "label": forms.ELEMENT_LABELS[e], "value": _element_value(note, e)}
        for e in ELEMENTS
        if e != "signature"
    ]
    return [r for r in rows if r["key"] in required or r["value"]]


def _hints(note: VisitNote) -> dict[str, str]:
    """Why an element counts as missing when it is not simply blank."""
    timed = note.total_timed_minutes
    return {
        "total_treatment_minutes": f"at least the {timed} timed minutes, timed and untimed",
        "minutes_per_timed_code": "every timed code needs its minutes",
        "interventions": "at least one code with its minutes",
    }


def _amendments(view: schedule.VisitView) -> list[dict[str, Any]]:
    return [
        {
            "at": a.at,
            "by": view.amendment_authors.get(a.by, "a former user"),
            "reason": a.reason,
            "changes": [(forms.ELEMENT_LABELS.get(k, k), v) for k, v in a.changes.items()],
        }
        for a in view.note.amendments
    ]


def page_context(
    uow: UnitOfWork,
    profiles: Mapping[str, PayerProfile],
    view: schedule.VisitView,
    perms: Any,
    *,
    typed: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    message: str | None = None,
    missing: list[str] | None = None,
    refused: bool = False,
    mue: MueLookup | None = None,
) -> dict[str, Any]:
    """Everything ``therapist/visit.html`` and ``therapist/_units.html`` render."""
    typed = dict(typed or {})
    # a self-pay visit has no payer: the self-pay profile (CPT's per-code units, no payer checks);
    # a payer's: its profile with the changes the clinic accepted for it (prevention checks)
    profile = payer_profile(uow, view.payer, profiles) if view.payer else self_pay_profile()
    has_rows = any(k.startswith("code_") for k in typed)
    rows = forms.parse_rows(typed if has_rows else _stored_rows(view), view.visit.date)
    label = f"{view.payer.name} ({profile.name})" if view.payer else SELF_PAY
    applies = mue if profile.mue else None  # the payer's profile says whether MUEs apply
    panel = forms.units_panel(rows.services, profile.units_method, view.visit.date, label, applies)
    cents = expected_allowed_cents(uow, view.visit, profile, panel.get("units", {}))
    note_type = typed.get("note_type") or view.note.note_type.value
    text = view.note.effective_text.as_dict()
    claim = schedule.billed_claim(uow, view.visit.id)
    return {
        "v": view,
        "perms": perms,
        "profile": profile,
        "method_text": _METHODS.get(profile.units_method, profile.units_method),
        "place": f"{view.visit.place_of_service} · {pos.describe(view.visit.place_of_service)}",
        "claim": claim,
        "panel": panel,
        "row_errors": rows.errors if has_rows else {},
        "rows": forms.pad([(c, m) for c, m in rows.typed]),
        "warnings": visit_warnings(
            uow, view.visit, note_type=note_type, profile=profile, this_visit_cents=cents
        ),
        "note_type": note_type,
        "note_types": forms.NOTE_TYPES,
        "fields": {f: typed.get(f, "" if text[f] is None else str(text[f])) for f in TEXT_FIELDS},
        "amend_fields": {
            f: typed.get(f"amend_{f}", "" if text[f] is None else str(text[f])) for f in TEXT_FIELDS
        },
        "amend_reason": typed.get("amend_reason", ""),
        "labels": forms.ELEMENT_LABELS,
        "elements": _elements(view.note),
        "written": _written(view.note),
        "missing": missing
        if missing is not None
        else [m for m in view.note.missing() if m != "signature"],
        "refused": refused,
        "hints": _hints(view.note),
        "amendments": _amendments(view),
        "errors": dict(errors or {}),
        "message": message,
    }
