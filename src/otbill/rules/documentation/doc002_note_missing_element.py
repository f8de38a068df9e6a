"""DOC002 note-missing-element."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim, Documentation
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Case, Finding, Fix, Severity, rule
from otbill.rules.wording import day, listed

# What each kind of note must document by itself (Pub 100-02 ch. 15 §220.3).
_REQUIRED: dict[str, tuple[str, ...]] = {
    "daily": ("interventions", "total_treatment_minutes"),
    "evaluation": ("current_status", "goals", "medical_necessity"),
    "re-evaluation": ("current_status", "goals", "medical_necessity"),
    "progress": ("current_status", "goals", "medical_necessity"),
    "discharge": ("current_status", "goals"),
}
# What any note must add when the visit bills treatment (it then stands as the treatment note).
_TREATMENT = ("interventions", "total_treatment_minutes")
# Each element in the words of the note form.
_WORDS = {
    "current_status": "the patient's current status",
    "goals": "the goals",
    "interventions": "the interventions given",
    "medical_necessity": "why skilled therapy is needed (medical necessity)",
    "total_treatment_minutes": "the total treatment time",
    "total_timed_minutes": "the total minutes of timed codes",
}
_KIND = {
    "daily": "daily note",
    "evaluation": "evaluation",
    "re-evaluation": "re-evaluation",
    "progress": "progress report",
    "discharge": "discharge note",
}


@rule(
    "DOC002",
    "note-missing-element",
    "documentation",
    Severity.ERROR,
    since="0.1.0",
    cases={
        "daily-medical-necessity": Case(
            Severity.WARNING,
            "a daily treatment note does not state why skilled therapy is still needed",
        ),
    },
)
def note_missing_element(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The visit's note lacks something it must record (status, goals, interventions,
    minutes or medical necessity).
    What it checks: the visit's note records the elements its type requires. A daily
    treatment note: the interventions provided (``interventions``) and the total treatment
    time (``total_treatment_minutes``). An evaluation or re-evaluation: the patient's current
    status (``current_status``), goals (``goals``) and the need for skilled therapy
    (``medical_necessity``); a progress report the same; a discharge note the current status
    and goals. Any note on a visit that also bills treatment (a line other than an evaluation
    or re-evaluation) stands as that day's treatment note and needs the interventions and
    total treatment time too. Whenever a timed (15-minute) code is billed, the note must
    record the total timed-code minutes (``total_timed_minutes``). A visit with no note is
    reported by DOC001. A daily note without a statement of medical necessity is a warning:
    CMS's list for the treatment note does not require it, but the documentation guidance
    clinics follow says every note should show current status, goals, interventions and
    medical necessity.
    Why payers deny it: on medical review the note must support each billed service and its
    units; a note without the total timed minutes cannot support timed units, and one
    without goals or current status cannot support medical necessity (CARC 50; RARC M127).
    A reviewer reading daily notes that never say why skilled care is still needed may find
    the visits not reasonable and necessary.
    Example: a daily note for 97530 × 2 that does not record the total timed minutes; a
    progress report without goals; a daily note that does not say why the patient still needs
    skilled therapy (a warning).
    Fix: the therapist completes the note with the missing elements (as an addendum, dated),
    then bill.
    Source: Medicare Benefit Policy Manual, Pub 100-02, ch. 15, §220.3 (evaluation, progress report, treatment note: total timed-code minutes and total treatment time; discharge note) and §220.2 (reasonable and necessary: skilled services documented); Pub 100-04, ch. 5, §20.2; AOTA, Guidelines for Documentation of Occupational Therapy (2018: notes show the client's status, the goals, the intervention and the need for continued skilled service).
    """
    note = claim.documentation
    if note is None:
        return
    required = list(_REQUIRED[note.note_type])
    infos = ctx.infos
    if note.note_type != "daily" and any(
        info is not None and not info.is_evaluation for info in infos
    ):
        required += [e for e in _TREATMENT if e not in required]
    if any(info is not None and info.timed for info in infos):
        required.append("total_timed_minutes")
    missing = [e for e in required if not _has(note, e)]
    kind = f"the {_KIND[note.note_type]} for {day(ctx.first_date)}"
    if missing:
        words = listed([_WORDS[e] for e in missing])
        yield note_missing_element.finding(
            f"{kind} does not record {words}",
            fix=Fix(f"have the therapist add {words} to the note (a dated addendum)"),
        )
    if note.note_type == "daily" and not note.medical_necessity:
        yield note_missing_element.finding(
            f"{kind} does not say why skilled therapy is still needed (medical necessity): "
            "reviewers look for it on every visit's note",
            case="daily-medical-necessity",
            fix=Fix(
                "have the therapist state in the note why the patient still needs skilled "
                "therapy (a dated addendum)"
            ),
        )


def _has(note: Documentation, element: str) -> bool:
    value = getattr(note, element)
    return value is not None and value is not False
