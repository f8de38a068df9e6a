"""``otbill reports coding-audit|chart-audit|code-changes``: the quarterly coding audit, a chart
audit's result, and the year's code changes for this clinic.

- ``coding-audit --quarter 2025Q1``: the evaluation mix, units per visit, minutes per unit and the
  8-minute rule's band edges, modifier use and codes outside OT scope, by therapist against the
  clinic; the outliers with their visits; the chart-audit sample (``--seed``, ``--sample``).
- ``chart-audit --quarter 2025Q1 --visit 220 --answer current_status=pass ... --user U``: the
  checklist for one sampled visit.
- ``code-changes --year 2026``: what changed from 2025 to 2026 and which 2025 visits it touches.

``--csv FILE`` writes the report as CSV; a refusal is one line and exit status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from otbill.cli.acting import User, read_in, write_as
from otbill.cli.common import AsJson, Clinic, DatabaseUrl, fail
from otbill.cli.setup import setup_of

__all__ = ["app"]

app = typer.Typer(
    help="Coding audit by quarter, chart-audit results, and the year's code changes.",
    no_args_is_help=True,
)

Quarter = Annotated[str, typer.Option("--quarter", help="The quarter, such as 2025Q1.")]
CsvFile = Annotated[Path | None, typer.Option("--csv", help="Also write the report as CSV.")]
Seed = Annotated[
    int | None,
    typer.Option("--seed", help="Seed of the chart-audit sample (default: the recorded one)."),
]
Sample = Annotated[int, typer.Option("--sample", help="How many visits to sample.")]


def _write(path: Path | None, text: str) -> None:
    if path is None:
        return
    try:
        path.write_text(text)
    except OSError as exc:
        fail(f"--csv {path}: cannot write ({exc.strerror})")


@app.command("coding-audit")
def coding_audit_command(
    ctx: typer.Context,
    quarter: Quarter,
    seed: Seed = None,
    sample: Sample = 10,
    margin: Annotated[
        float, typer.Option("--margin", help="Outlier margin, a share (0.15 = 15 points).")
    ] = 0.15,
    min_visits: Annotated[
        int, typer.Option("--min-visits", help="Visits a therapist needs to be flagged.")
    ] = 10,
    csv_file: CsvFile = None,
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """The quarter's coding audit, each therapist against the clinic."""
    from otbill.services.views.coding_audit import coding_audit, coding_audit_csv, measure_label

    view = read_in(
        ctx,
        (database_url, clinic),
        lambda uow: coding_audit(
            uow, quarter, seed=seed, sample_size=sample, margin=margin, min_visits=min_visits
        ),
    )
    _write(csv_file, coding_audit_csv(view))
    audit = view.audit
    if as_json:
        print(json.dumps({
            "quarter": view.quarter, "visits": view.visits, "seed": view.seed,
            "therapists": [
                {"therapist": t.therapist, "visits": t.visits,
                 "evaluations": {c: s.count for c, s in t.evaluations.items()},
                 "units_per_visit": t.units_per_visit, "minutes_per_unit": t.minutes_per_unit,
                 "measures": {k: [s.count, s.total] for k, s in t.measures.items()},
                 "out_of_scope": [list(x) for x in t.out_of_scope]}
                for t in (audit.clinic, *audit.therapists)
            ],
            "outliers": [{"therapist": o.therapist, "measure": o.measure, "reason": o.reason,
                          "visits": list(o.visit_ids)} for o in audit.outliers],
            "sample": [s.visit_id for s in view.sample],
        }, indent=2))  # fmt: skip
        return
    print(f"Coding audit {view.quarter} ({view.first} to {view.end}): {view.visits} visits")
    for t in (audit.clinic, *audit.therapists):
        evals = ", ".join(f"{c} {s.count} ({s.percent})" for c, s in t.evaluations.items())
        units = ", ".join(f"{u}u:{n}" for u, n in t.units_per_visit.items())
        print(f"\n{t.therapist}: {t.visits} visits")
        print(f"  evaluations: {evals}")
        print(f"  timed units per visit: {units or 'none'} (mean {t.mean_units:.2f})")
        mpu = ", ".join(f"{k} min:{n}" for k, n in t.minutes_per_unit.items())
        print(f"  minutes per unit: {mpu or 'none'}")
        for key, s in t.measures.items():
            if not key.startswith("eval_"):
                print(f"  {measure_label(key)}: {s.count} of {s.total} ({s.percent})")
        if t.out_of_scope:
            print(f"  codes outside OT scope: {len(t.out_of_scope)} line(s)")
    print(
        f"\nOutliers (share differs from the clinic's by more than {audit.margin * 100:.0f} "
        f"points, at least {audit.min_visits} visits):"
    )
    for o in audit.outliers:
        shown = ", ".join(map(str, o.visit_ids[:20]))
        more = f" and {len(o.visit_ids) - 20} more" if len(o.visit_ids) > 20 else ""
        print(f"- {o.reason}\n  visits: {shown}{more}")
    if not audit.outliers:
        print("- none")
    print(f"\nChart-audit sample (seed {view.seed}, {view.audited} of {len(view.sample)} audited):")
    for v in view.sample:
        state = "not audited" if v.result is None else ("FAIL " + "; ".join(v.failed)
                                                        if v.failed else "pass")  # fmt: skip
        print(f"- visit {v.visit_id} {v.date} {v.therapist}: {v.codes} [{state}]")


@app.command("chart-audit")
def chart_audit_command(
    ctx: typer.Context,
    quarter: Quarter,
    visit: Annotated[int, typer.Option("--visit", help="The sampled visit's ID.")],
    user: User,
    answer: Annotated[
        list[str],
        typer.Option(
            "--answer",
            help="item=pass|fail|n/a, once per item: current_status, goals, interventions, "
            "medical_necessity, minutes, signature.",
        ),
    ],
    comment: Annotated[str, typer.Option("--comment", help="What the auditor found.")] = "",
    seed: Seed = None,
    sample: Sample = 10,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Record the chart-audit checklist for one visit of the quarter's sample."""
    from otbill.services.clinic.chart_audit import record_chart_audit

    answers: dict[str, str] = {}
    for item in answer:
        key, sep, value = item.partition("=")
        if not sep:
            fail(f"--answer {item!r}: write item=pass, item=fail or item=n/a")
        answers[key.strip()] = value
    record = write_as(
        ctx,
        (database_url, clinic, user),
        lambda uow: record_chart_audit(
            uow, quarter, visit, answers, seed=seed, sample_size=sample, comment=comment
        ),
    )
    from otbill.domain.coding_audit import CHECKLIST

    failed = [label for key, label in CHECKLIST if record.results.get(key) == "fail"]
    print(
        f"Chart audit of visit {record.visit_id} ({record.quarter}, seed {record.seed}) recorded: "
        + ("fail: " + "; ".join(failed) if failed else "pass")
    )


@app.command("code-changes")
def code_changes_command(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", help="The new year, such as 2026.")],
    csv_file: CsvFile = None,
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """What changed going into the year and which of last year's visits each change touches."""
    from otbill.services.views.code_changes import code_changes, code_changes_csv

    setup = setup_of(ctx)
    report = read_in(
        ctx,
        (database_url, clinic),
        lambda uow: code_changes(
            uow, year, [setup.settings.refdata_dir], profiles=setup.profiles()
        ),
    )
    _write(csv_file, code_changes_csv(report))
    if as_json:
        print(json.dumps([
            {"change": t.change.kind, "codes": list(t.change.codes), "before": t.change.before,
             "after": t.change.after, "detail": t.change.detail, "visits": list(t.visit_ids)}
            for t in report.changes
        ], indent=2))  # fmt: skip
        return
    print(
        f"Code changes {report.year - 1} -> {report.year}: {len(report.changes)} change(s); "
        f"{report.touched_visits} of the clinic's {report.visits} visits in {report.year - 1} "
        f"touched"
    )
    for note in report.notes:
        print(f"Note: {note}")
    for t in report.changes:
        c = t.change
        codes = " + ".join(c.codes) if c.codes else f"modifier {c.modifier}"
        detail = f" ({c.detail})" if c.detail else ""
        print(f"- {c.label}: {codes}: {c.before} -> {c.after}{detail}; {t.visits} visit(s)")
