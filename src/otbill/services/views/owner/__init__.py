"""The owner's numbers (issue 14): one module per report family, each a list of tables, each
table summed in the database (``uow.owner_reports``) and exported as it is (CSV, PDF).

- :mod:`.receivables`: days in A/R, A/R aging by payer, patient and therapist (unbilled, appealed);
- :mod:`.claims_quality`: clean-claim, first-pass resolution and denial rates;
- :mod:`.collections`: net collection rate, payment speed by payer;
- :mod:`.mix`: payer mix by visits and by money, self-pay included;
- :mod:`.margin`: revenue, cost (overhead entries) and margin per visit by month;
- :mod:`.write_offs`: write-offs by reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

from otbill.pdf.owner_reports import Section, render_owner_reports
from otbill.services.views.figures import Window
from otbill.services.views.owner.claims_quality import claims_quality
from otbill.services.views.owner.collections import collections
from otbill.services.views.owner.margin import margin
from otbill.services.views.owner.mix import payer_mix
from otbill.services.views.owner.receivables import aging, receivables
from otbill.services.views.owner.report import SMALL_SAMPLE, Table, format_cell, plain_cell
from otbill.services.views.owner.write_offs import write_offs
from otbill.storage import Database, UnitOfWork

__all__ = [
    "FAMILIES",
    "Family",
    "Progress",
    "all_tables",
    "build_owner_pdf",
    "family_pdf",
    "family_tables",
    "owner_pdf",
    "table_csv",
]

#: ``progress(done, total, what)``: steps done of ``total``, and the one under way.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class Family:
    key: str
    title: str
    build: Callable[[UnitOfWork, dt.date, Window], list[Table]]


FAMILIES: tuple[Family, ...] = (
    Family("receivables", "Receivables", lambda uow, today, _: receivables(uow, today)),
    Family("quality", "Claim quality", lambda uow, _, w: claims_quality(uow, w)),
    Family("collections", "Collections", lambda uow, _, w: collections(uow, w)),
    Family("mix", "Payer mix", lambda uow, _, w: payer_mix(uow, w)),
    Family("margin", "Revenue and margin", lambda uow, _, w: margin(uow, w)),
    Family("write-offs", "Write-offs", lambda uow, _, w: write_offs(uow, w)),
)
_BY_KEY = {f.key: f for f in FAMILIES}


def family_tables(uow: UnitOfWork, key: str, today: dt.date, months: int = 12) -> list[Table]:
    """One family's tables for the ``months`` up to ``today``'s month (KeyError if unknown)."""
    return _BY_KEY[key].build(uow, today, Window.ending(today, months))


def all_tables(
    uow: UnitOfWork, today: dt.date, months: int = 12
) -> list[tuple[Family, list[Table]]]:
    window = Window.ending(today, months)
    return [(f, f.build(uow, today, window)) for f in FAMILIES]


def table_csv(uow: UnitOfWork, key: str, table_key: str, today: dt.date, months: int = 12) -> str:
    """One table as CSV: every row (aging tables are not cut to the largest), plain numbers."""
    if key == "receivables" and table_key.startswith("aging_by_"):  # only the table asked for
        by = {"payer": "payer", "patient": "patient", "therapist": "provider"}.get(table_key[9:])
        if by is None:
            raise StopIteration
        table = aging(uow, today, by, every_row=True)  # type: ignore[arg-type]
    else:
        tables = family_tables(uow, key, today, months)
        table = next(t for t in tables if t.key == table_key)  # StopIteration: no such table
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([table.label, *table.head])
    for label, cells in table.rows:
        writer.writerow(
            [label, *(plain_cell(c, u) for c, u in zip(cells, table.units, strict=True))]
        )
    return out.getvalue()


def _section(family: Family, table: Table) -> Section:
    rows = [
        [label, *(format_cell(c, u) for c, u in zip(cells, table.units, strict=True))]
        for label, cells in table.rows
    ]
    note = table.empty or ""
    marked = (
        [table.chart.labels[i] for i, s in enumerate(table.small()) if s] if table.chart else []
    )
    if marked:
        note = (
            f"Small samples (fewer than {SMALL_SAMPLE} records), not to be read like the "
            f"others: {', '.join(marked)}."
        )
    return Section(
        f"{family.title}: {table.title}", table.caption, [table.label, *table.head], rows, note
    )


def owner_pdf(uow: UnitOfWork, today: dt.date, months: int = 12) -> bytes:
    """Every table of every family in one PDF."""
    clinic_name = uow.clinics.identity().name
    sections = [_section(f, t) for f, tables in all_tables(uow, today, months) for t in tables]
    return render_owner_reports(f"Owner's numbers — {clinic_name}", today, months, sections)


def family_pdf(uow: UnitOfWork, key: str, today: dt.date, months: int = 12) -> bytes:
    """One family's tables as a PDF (its page's own export: read as the page reads them, within
    the page's figure; KeyError if unknown)."""
    family = _BY_KEY[key]
    sections = [_section(family, t) for t in family_tables(uow, key, today, months)]
    title = f"Owner's numbers — {family.title} — {uow.clinics.identity().name}"
    return render_owner_reports(title, today, months, sections)


def build_owner_pdf(
    db: Database,
    clinic_id: int,
    user_id: int,
    today: dt.date,
    progress: Progress,
    months: int = 12,
) -> bytes:
    """Every table of every family in one PDF, built in the background (a job): one read-only
    unit of work (every figure from the same snapshot, each read once: the payers' cash, the
    decided claims), ``progress`` told after each family, then the layout as the last step."""
    window = Window.ending(today, months)
    total, sections = len(FAMILIES) + 1, []
    with db.unit_of_work(clinic_id, user_id) as uow:
        uow.read_only()
        clinic_name = uow.clinics.identity().name
        for done, family in enumerate(FAMILIES):
            progress(done, total, family.title)
            sections += [_section(family, t) for t in family.build(uow, today, window)]
    progress(len(FAMILIES), total, "Laying out the pages")
    content = render_owner_reports(f"Owner's numbers — {clinic_name}", today, months, sections)
    progress(total, total, "Done")
    return content
