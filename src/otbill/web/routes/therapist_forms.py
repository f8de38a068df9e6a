"""Reading the therapist's forms: every field checked, each problem named by its field.

No router here: these helpers turn posted form data into service inputs (or errors keyed by the
field, so the page can show the message next to it) and compute the live units panel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from starlette.datastructures import FormData

from otbill import units
from otbill.codes import cpt, pos
from otbill.domain.notes import TEXT_FIELDS, NoteType
from otbill.errors import CodeError, UnitsError
from otbill.payers import PayerProfile
from otbill.services.visits.plausibility import MueLookup, entry_warnings
from otbill.services.visits.record import Service
from otbill.units_explain import explain
from otbill.web.app import scrub_run, wiring
from otbill.web.params import is_whole

__all__ = [
    "ELEMENT_LABELS",
    "MERGED",
    "MIN_ROWS",
    "NOTE_TYPES",
    "PLACES",
    "Rows",
    "form_data",
    "mue_for",
    "note_changes",
    "pad",
    "parse_date",
    "parse_rows",
    "profiles",
    "units_panel",
    "visit_fields",
]

MIN_ROWS = 6
MERGED = "visit.merged"  # the session key of the merges to say on the next visit page
NOTE_TYPES = [(t.value, t.value.replace("-", " ").capitalize()) for t in NoteType]
_PLACE_CODES = ("11", "12", "13", "31", "32", "22", "19", "03", "02", "10", "99")
PLACES = [(code, f"{code} · {pos.describe(code)}") for code in _PLACE_CODES]
ELEMENT_LABELS = {
    "current_status": "Current status",
    "goals": "Goals",
    "interventions": "Interventions (the codes done)",
    "minutes_per_timed_code": "Minutes for each timed code",
    "total_timed_minutes": "Total timed minutes",
    "total_treatment_minutes": "Total treatment minutes",
    "response_to_treatment": "Response to treatment",
    "medical_necessity": "Medical necessity",
    "signature": "Signature",
}


async def form_data(request: Request) -> FormData:
    """The posted form (a dependency, so that sync routes can read fields by computed names)."""
    return await request.form()


def profiles(request: Request) -> Mapping[str, PayerProfile]:
    """Payer profiles (packaged plus the clinic's), as the app loaded them at start."""
    return wiring(request).profiles


def _text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def parse_date(value: str, today: dt.date, errors: dict[str, str]) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        errors["date"] = f"Date: enter the visit date as YYYY-MM-DD, not {value!r}."
        return None
    if day > today:
        errors["date"] = f"Date: {day} is in the future; record a visit on or after its day."
        return None
    return day


@dataclass
class Rows:
    """Service rows as typed (for re-display) and as services (when valid)."""

    typed: list[tuple[str, str]]
    services: list[Service] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def _row(i: int, code: str, minutes: str, on: dt.date | None, rows: Rows) -> None:
    n = i + 1
    if not code:
        rows.errors[f"code_{i}"] = f"Service row {n}, code: enter the code for these minutes."
        return
    try:
        info = cpt.lookup(code, on)
    except CodeError as exc:
        rows.errors[f"code_{i}"] = f"Service row {n}, code: {exc}."
        return
    if not is_whole(minutes, 4) or not 0 <= int(minutes) <= units.MINUTES_PER_DAY:
        text = f"Service row {n}, minutes: enter whole minutes from 0 to 1440 for {info.code}"
        rows.errors[f"minutes_{i}"] = f"{text}, not {minutes!r}." if minutes else f"{text}."
        return
    rows.services.append(Service(info.code, int(minutes)))


def parse_rows(form: Mapping[str, Any], on: dt.date | None) -> Rows:
    """The ``code_<i>``/``minutes_<i>`` rows; blank rows are skipped."""
    count = max(MIN_ROWS, *(int(k[5:]) + 1 for k in form if _is_row_key(k)), 0)
    rows = Rows([(_text(form, f"code_{i}"), _text(form, f"minutes_{i}")) for i in range(count)])
    for i, (code, minutes) in enumerate(rows.typed):
        if code or minutes:
            _row(i, code, minutes, on, rows)
    if not rows.services and not rows.errors:
        rows.errors["code_0"] = "Services: enter at least one code with its minutes."
    total = sum(s.minutes for s in rows.services)
    if total > units.MINUTES_PER_DAY:
        rows.errors["minutes_total"] = f"Minutes: the rows add up to {total}; a day has 1440."
    return rows


def _is_row_key(key: str) -> bool:
    return key.startswith("code_") and is_whole(key[5:], 2)


def pad(typed: list[tuple[str, str]], extra: int = 2) -> list[tuple[str, str]]:
    """Rows to show: the typed ones plus blanks, at least ``MIN_ROWS``."""
    filled = [r for r in typed if r[0] or r[1]]
    return filled + [("", "")] * max(MIN_ROWS - len(filled), extra)


def note_changes(form: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """The note's text fields from the form (blank → None); minutes must be a whole number."""
    changes: dict[str, Any] = {name: _text(form, name) or None for name in TEXT_FIELDS}
    total = changes["total_treatment_minutes"]
    if total is not None:
        if is_whole(total, 4) and int(total) <= units.MINUTES_PER_DAY:
            changes["total_treatment_minutes"] = int(total)
        else:
            errors["total_treatment_minutes"] = (
                f"Total treatment minutes: enter whole minutes from 0 to 1440, not {total!r}."
            )
            changes["total_treatment_minutes"] = None
    return changes


def mue_for(request: Request, profile: PayerProfile) -> MueLookup | None:
    """The MUE table when this payer applies MUEs (its profile's ``mue``), else None."""
    return scrub_run(request).mue if profile.mue else None


def units_panel(
    services: list[Service],
    method: str,
    on: dt.date | None,
    label: str,
    mue: MueLookup | None = None,
) -> dict[str, Any]:
    """The units of the typed minutes under ``method``, explained; per-code for comparison;
    ``entry``: rows merged, units over the MUE, implausible minutes (said at entry)."""
    panel: dict[str, Any] = {"method": method, "label": label, "lines": [], "error": None}
    panel["entry"] = entry_warnings(services, {}, on)  # the merges, whatever else fails
    if not services:
        return panel
    pairs = [(s.code, s.minutes) for s in services]
    try:
        result = units.compute_units(pairs, method, on=on)
    except (UnitsError, CodeError) as exc:
        panel["error"] = f"Minutes: {exc}"
        return panel
    counted = {line.code: line.units for line in result.lines}
    panel.update(
        lines=[(line, cpt.lookup(line.code).description) for line in result.lines],
        total_units=sum(line.units for line in result.lines),
        timed_minutes=result.total_timed_minutes,
        explanation=explain(result),
        units=counted,
        entry=entry_warnings(services, counted, on, mue),
    )
    if method == units.Method.CMS:
        other = units.compute_units(pairs, units.Method.PER_CODE, on=on)
        if [x.units for x in other.lines] != [x.units for x in result.lines]:
            parts = " + ".join(str(line.units) for line in other.lines)
            panel["per_code"] = f"Billed per code it would have been {parts}."
    return panel


def visit_fields(form: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """Note template, place of service and telehealth from the form."""
    note_type = _text(form, "note_type")
    if note_type not in {t for t, _ in NOTE_TYPES}:
        errors["note_type"] = "Note template: choose evaluation, re-evaluation, daily, progress "
        errors["note_type"] += "or discharge."
    place = _text(form, "place_of_service") or "11"
    telehealth = _text(form, "telehealth") in ("1", "on", "yes", "true")
    if not pos.is_valid(place):
        errors["place_of_service"] = f"Place of service: {place!r} is not a place-of-service code."
    elif telehealth and not pos.is_telehealth(place):
        errors["telehealth"] = "Telehealth: a telehealth visit needs place of service 02 or 10."
    return {"note_type": note_type, "place_of_service": place, "telehealth": telehealth}
