"""PRG001 progress-report-overdue."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Case, Finding, Fix, Severity, rule

_SOURCE = "Medicare Benefit Policy Manual, Pub 100-02, ch. 15, §220.3 (progress report)"
# Notes that report progress: a re-evaluation or discharge note may stand in for a progress
# report, and the evaluation opens the episode's first reporting period.
_REPORTS = frozenset({"progress", "re-evaluation", "evaluation", "discharge"})


@rule(
    "PRG001",
    "progress-report-overdue",
    "progress-report",
    Severity.ERROR,
    since="0.1.0",
    cases={
        "due-this-visit": Case(
            Severity.WARNING, "the report falls due on this visit (it may still be written)"
        )
    },
)
def progress_report_overdue(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A progress report is overdue: one is needed at least every 10 treatment visits.
    What it checks: for payers whose profile sets ``progress_report_every_visits`` (Medicare:
    10), a progress report is written at least once every that many treatment days (visits).
    A reporting period is N visits long. The first begins on visit 1, the evaluation (so with
    ``last_progress_report_visit`` 0 or 1 the first report is due by visit N); a later one
    begins on the visit after the last report (report on visit L: due by visit L + N). On the
    due visit, a note that is not a report (``documentation.note_type`` other than progress,
    re-evaluation, evaluation or discharge) is a warning: the report is due today (it may be
    written after the visit and dated to it). Past the due visit without a report it is an
    error. Claims without ``visit_number`` or ``last_progress_report_visit`` are not checked.
    Why payers deny it: Medicare requires a progress report by the end of every 10th
    treatment day; on review, visits after a missed report are denied as not supported
    (CARC 50; RARC M127).
    Example: last progress report on visit 1 (the evaluation) and visit 12 billed with a daily
    note: the report was due by visit 10.
    Fix: have the therapist write the progress report (covering the period since the last
    one) and record its visit; until then hold the claims of later visits.
    Source: Medicare Benefit Policy Manual, Pub 100-02, ch. 15, §220.3 (progress report at least once every 10 treatment days; the first reporting period begins on the first day of the episode); payer profile ``progress_report_every_visits``.
    """
    every = ctx.profile.progress_report_every_visits
    visit = claim.visit_number
    last = claim.last_progress_report_visit
    if every is None or visit is None or last is None or claim.frequency_code == "8":
        return
    period_start = 1 if last <= 1 else last + 1
    due = period_start + every - 1
    if visit < due:
        return
    note = claim.documentation
    if note is not None and note.note_type in _REPORTS:
        return
    kind = f"a {note.note_type} note" if note is not None else "no note"
    since = "the evaluation" if last <= 1 else f"the report on visit {last}"
    source = ctx.profile.source("progress_report", _SOURCE)
    if visit == due:
        yield progress_report_overdue.finding(
            f"visit {visit} is treatment day {every} since {since}: a progress report is "
            f"due on this visit, and the visit has {kind}",
            case="due-this-visit",
            fix=Fix("write the progress report for this visit and record it"),
            source=source,
        )
        return
    yield progress_report_overdue.finding(
        f"a progress report is overdue: this is visit {visit}, the last report was on visit "
        f"{last}, so one was due by visit {due} (every {every} treatment days), and this visit "
        f"has {kind}",
        fix=Fix("write the overdue progress report and record its visit before billing"),
        source=source,
    )
