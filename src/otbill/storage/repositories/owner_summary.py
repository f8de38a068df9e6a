"""Keeping the owner's summaries (issue 14): each claim line's open balances and each claim's
first-submission outcome (:mod:`otbill.storage.tables.owner_summary`).

Derived data, never the truth: the ledger stays append-only and ``realize`` its source. The
summaries change in the same transaction as the posting or status change they follow (the
ledger's ``add``, the claims' ``add_status_change`` and ``add_correction`` call in here);
:func:`backfill` rebuilds them from the ledger and the status history in two INSERT ... SELECTs
(migration 0028, and bulk-loaded benches), and :func:`summary_mismatches` compares them with the
ledger summed afresh.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    Integer,
    and_,
    bindparam,
    case,
    delete,
    event,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.orm import Session, aliased

from otbill.storage.repositories.id_lists import array_text, ids_per_statement, one_of
from otbill.storage.repositories.ledger_effects import (
    ORIGINAL as _ORIGINAL,
)
from otbill.storage.repositories.ledger_effects import (
    PATIENT_EFFECT as _PATIENT_EFFECT,
)
from otbill.storage.repositories.ledger_effects import (
    PAYER_EFFECT as _PAYER_EFFECT,
)
from otbill.storage.repositories.ledger_effects import decided_and_denied, originals_of
from otbill.storage.repositories.written_rows import new_rows
from otbill.storage.tables import ClaimLineRow, ClaimRow, ClaimStatusRow, DenialRow, PostingRow
from otbill.storage.tables.owner_summary import ClaimLineBalanceRow, ClaimOutcomeRow

__all__ = [
    "backfill",
    "decided_claims_by",
    "flush_line_changes",
    "keep_summaries",
    "kept_line_balances",
    "line_changes",
    "posting_effect",
    "summary_mismatches",
]

#: Statuses that end a first pass in trouble (the claim-quality report's definition).
TROUBLED = ("denied", "appealed", "partially_paid")
_FLAGS = {"submitted": "submitted", "rejected": "rejected", "paid": "paid"}
_FLAGS.update({status: "troubled" for status in TROUBLED})


def posting_effect(kind: str, payer_side: bool, cents: int) -> tuple[int, int]:
    """(insurance, patient) cents a posting adds to its line's open balances."""
    if kind == "charge":
        return cents, 0
    if kind == "adjustment":
        return -cents, 0
    if kind == "transfer":
        return -cents, cents
    if kind == "payment":
        return (-cents, 0) if payer_side else (0, -cents)
    return 0, 0


@dataclass(slots=True)
class _LineChange:
    insurance: int = 0
    patient: int = 0
    first_on: dt.date | None = None


def line_changes(connection: Connection, postings: list[PostingRow]) -> dict[int, _LineChange]:
    """Claim line id -> what these postings add to its open balances (insurance, patient
    cents), and the first day they were posted; reversals net their originals."""
    originals = originals_of(connection, postings)
    changes: dict[int, _LineChange] = defaultdict(_LineChange)
    for posting in postings:
        sign, (kind, side) = 1, (posting.kind, posting.payer_side)
        if posting.reverses_id is not None:
            sign, (kind, side, _) = -1, originals[posting.reverses_id]
        insurance, patient = posting_effect(kind, side, posting.amount_cents)
        change = changes[posting.claim_line_id]
        change.insurance += sign * insurance
        change.patient += sign * patient
        if change.first_on is None or posting.posted_on < change.first_on:
            change.first_on = posting.posted_on
    return changes


_CHANGES = "otbill.owner_summary.line_changes"


def flush_line_changes(session: Session, postings: list[PostingRow]) -> dict[int, _LineChange]:
    """:func:`line_changes` of a flush's postings, as :func:`keep_summaries` computed them
    for this flush (a later listener, :mod:`.owner_open`, takes them instead of netting the
    postings and reading their originals again), else computed afresh."""
    kept = session.info.pop(_CHANGES, None)
    same = kept is not None and len(kept[0]) == len(postings)
    if same and all(a is b for a, b in zip(kept[0], postings, strict=True)):  # the same rows
        return kept[1]  # type: ignore[no-any-return]
    return line_changes(session.connection(), postings)


def _kept(connection: Connection, column: Any, ids: list[int]) -> set[int]:
    """Which of these ids (claim lines, claims) have a summary row already."""
    return set(connection.scalars(select(column).where(one_of(column, ids)))) if ids else set()


#: Add arrays of (claim line, insurance cents, patient cents) to their lines' rows, returning the
#: lines that have one: on PostgreSQL one statement for a large 835's step (an executemany was one
#: statement per line).
_ADD_TO_LINES = text(
    f"UPDATE {ClaimLineBalanceRow.__tablename__} AS b"
    " SET insurance_cents = b.insurance_cents + v.ins, patient_cents = b.patient_cents + v.pat"
    " FROM unnest(CAST(:lines AS integer[]), CAST(:ins AS integer[]), CAST(:pat AS integer[]))"
    " AS v(line, ins, pat) WHERE b.claim_line_id = v.line RETURNING b.claim_line_id"
)


def _add_to_lines(connection: Connection, rows: list[dict[str, Any]]) -> set[int]:
    """Add the rows' changes to their lines' kept rows; returns the lines that have one (on
    PostgreSQL the UPDATE says which, without a look-up first)."""
    line = ClaimLineBalanceRow
    if connection.dialect.name == "postgresql":  # one statement, whatever the count
        return set(
            connection.scalars(
                _ADD_TO_LINES,
                {"lines": array_text(r["b_line"] for r in rows),
                 "ins": array_text(r["b_ins"] for r in rows),
                 "pat": array_text(r["b_pat"] for r in rows)},
            )
        )  # fmt: skip
    have = _kept(connection, line.claim_line_id, [r["b_line"] for r in rows])
    found = [{k: r[k] for k in ("b_line", "b_ins", "b_pat")} for r in rows if r["b_line"] in have]
    if found:  # SQLite runs an executemany in process, without round trips
        connection.execute(
            update(line)
            .where(line.claim_line_id == bindparam("b_line"))
            .values(insurance_cents=line.insurance_cents + bindparam("b_ins"),
                    patient_cents=line.patient_cents + bindparam("b_pat")),
            found,
        )  # fmt: skip
    return have


def _keep_lines(connection: Connection, changes: dict[int, _LineChange]) -> None:
    """Add the changes to their lines' rows, made when missing; one statement for each (a
    flush of a thousand postings is a handful of statements, not one per line)."""
    line = ClaimLineBalanceRow
    rows = [{"b_line": i, "b_ins": c.insurance, "b_pat": c.patient, "b_first": c.first_on}
            for i, c in changes.items()]  # fmt: skip
    have = _add_to_lines(connection, rows)
    missing = [r for r in rows if r["b_line"] not in have]
    if missing:
        values = select(ClaimLineRow.clinic_id, ClaimLineRow.id, ClaimRow.id, ClaimRow.payer_id,
                        ClaimRow.patient_id, ClaimLineRow.rendering_provider_id,
                        ClaimRow.date_of_service, bindparam("b_first", type_=Date),
                        bindparam("b_ins", type_=Integer), bindparam("b_pat", type_=Integer)).join(
            ClaimRow, ClaimRow.id == ClaimLineRow.claim_id).where(
            ClaimLineRow.id == bindparam("b_line"))  # fmt: skip
        connection.execute(insert(line).from_select(_LINE_COLUMNS, values), missing)


def _keep_outcomes(connection: Connection, flags: dict[int, set[str]]) -> None:
    """Refresh the claims' outcome keys and raise their flags, made when missing: for each set
    of flags raised, one UPDATE of the claims that have a row and one INSERT ... SELECT of those
    that have none (an executemany was one statement a claim)."""
    outcome = ClaimOutcomeRow
    have = _kept(connection, outcome.claim_id, list(flags))
    by_flags: dict[frozenset[str], list[int]] = defaultdict(list)
    for claim, flagged in flags.items():
        by_flags[frozenset(flagged)].append(claim)
    per = ids_per_statement(connection)
    for raised, claims in by_flags.items():
        found = [c for c in claims if c in have]
        missing = [c for c in claims if c not in have]
        for start in range(0, len(found), per):
            # the keys from the claim joined once (UPDATE ... FROM), not a look-up a column
            connection.execute(
                update(outcome)
                .where(outcome.claim_id == ClaimRow.id,
                       one_of(outcome.claim_id, found[start : start + per]))
                .values(**_claim_keys(), **dict.fromkeys(raised, True))
            )  # fmt: skip
        for start in range(0, len(missing), per):
            values = select(ClaimRow.clinic_id, ClaimRow.id, ClaimRow.payer_id,
                            _first_provider(ClaimRow.id), ClaimRow.date_of_service,
                            ClaimRow.frequency_code,
                            *(literal(f in raised) for f in _OUTCOME_COLUMNS[6:])).where(
                one_of(ClaimRow.id, missing[start : start + per]))  # fmt: skip
            connection.execute(insert(outcome).from_select(_OUTCOME_COLUMNS, values))


def _claim_keys() -> dict[str, Any]:
    """The outcome row's keys as its claim (joined as ``ClaimRow``) has them now."""
    keys: dict[str, Any] = {
        name: getattr(ClaimRow, name) for name in ("payer_id", "date_of_service", "frequency_code")
    }
    keys["provider_id"] = _first_provider(ClaimRow.id)
    return keys


def _first_provider(claim_id: Any) -> Any:
    return (
        select(func.min(ClaimLineRow.rendering_provider_id))
        .where(ClaimLineRow.claim_id == claim_id)
        .scalar_subquery()
    )


def keep_summaries(session: Session, _context: Any) -> None:
    """After a flush, in its transaction: the new postings' effect on their lines' open
    balances, and the new status changes, remittance postings and corrected claims in their
    claims' outcomes. Every ORM write of those rows comes through here (``LedgerRepository.add``,
    ``ClaimRepository.add_status_change`` and ``add_correction``, records added directly)."""
    postings = new_rows(session, PostingRow)
    flags: dict[int, set[str]] = defaultdict(set)
    for status in new_rows(session, ClaimStatusRow):
        flags[status.claim_id] |= (
            {_FLAGS[status.to_status]} if status.to_status in _FLAGS else set()
        )
    for claim in new_rows(session, ClaimRow):
        if claim.original_claim_id is not None:
            flags[claim.original_claim_id].add("replaced")
    for denial in new_rows(session, DenialRow):
        flags[denial.claim_id].add("denied")
    for posting in postings:
        if posting.remittance_id is not None:
            flags[posting.claim_id].add("decided")
    session.info.pop(_CHANGES, None)
    if not postings and not flags:
        return
    connection = session.connection()
    if postings:
        changes = line_changes(connection, postings)
        session.info[_CHANGES] = (postings, changes)
        _keep_lines(connection, changes)
    if flags:
        _keep_outcomes(connection, flags)


event.listen(Session, "after_flush", keep_summaries)


# -- rebuilt from the sources -------------------------------------------------------------------


def _ledger_lines(
    clinic_id: int | None,
    claims: Collection[int] | None = None,
    originals: Collection[int] | None = None,
) -> Any:
    """(line id, insurance cents, patient cents, first posted) summed afresh from postings;
    ``originals``, when given, are all the postings these postings reverse (see
    :func:`_reversed_by`)."""
    reversed_one = _ORIGINAL.id == PostingRow.reverses_id
    if originals is not None:
        reversed_one = and_(reversed_one, one_of(_ORIGINAL.id, originals))
    query = (
        select(
            PostingRow.claim_line_id.label("line_id"),
            func.sum(_PAYER_EFFECT).label("insurance"),
            func.sum(_PATIENT_EFFECT).label("patient"),
            func.min(PostingRow.posted_on).label("first_on"),
        )
        .outerjoin(_ORIGINAL, reversed_one)
        .group_by(PostingRow.claim_line_id)
    )
    if clinic_id is not None:
        query = query.where(PostingRow.clinic_id == clinic_id)
    if claims is not None:
        query = query.where(one_of(PostingRow.claim_id, claims))
    return query


def _line_balances_select(clinic_id: int | None) -> Any:
    per = _ledger_lines(clinic_id).subquery()
    return (
        select(ClaimLineRow.clinic_id, ClaimLineRow.id, ClaimRow.id, ClaimRow.payer_id,
               ClaimRow.patient_id, ClaimLineRow.rendering_provider_id,
               ClaimRow.date_of_service, per.c.first_on, per.c.insurance, per.c.patient)
        .select_from(per)
        .join(ClaimLineRow, ClaimLineRow.id == per.c.line_id)
        .join(ClaimRow, ClaimRow.id == ClaimLineRow.claim_id)
    )  # fmt: skip


def _set(flag: Any) -> Any:
    """An ever-seen flag (1, 0 or NULL from an outer join) as a boolean."""
    return func.coalesce(flag, 0) == 1


def _outcomes_select(clinic_id: int | None) -> Any:
    def ever(*statuses: str) -> Any:
        return func.max(case((ClaimStatusRow.to_status.in_(statuses), 1), else_=0))

    history = select(
        ClaimStatusRow.claim_id.label("claim_id"), ever("submitted").label("submitted"),
        ever("rejected").label("rejected"), ever("paid").label("paid"),
        ever(*TROUBLED).label("troubled"),
    ).group_by(ClaimStatusRow.claim_id)  # fmt: skip
    replacement = aliased(ClaimRow)
    replaced = select(replacement.original_claim_id.label("claim_id")).where(
        replacement.original_claim_id.is_not(None)
    )
    if clinic_id is not None:
        history = history.where(ClaimStatusRow.clinic_id == clinic_id)
        replaced = replaced.where(replacement.clinic_id == clinic_id)
    h = history.subquery()
    r = replaced.group_by(replacement.original_claim_id).subquery()
    d, n = decided_and_denied(clinic_id)
    line = aliased(ClaimLineRow)
    provider = (
        select(func.min(line.rendering_provider_id))
        .where(line.claim_id == ClaimRow.id)
        .correlate(ClaimRow)
        .scalar_subquery()
    )
    return (
        select(ClaimRow.clinic_id, ClaimRow.id, ClaimRow.payer_id, provider,
               ClaimRow.date_of_service, ClaimRow.frequency_code, _set(h.c.submitted),
               _set(h.c.rejected), _set(h.c.paid), _set(h.c.troubled),
               *(q.c.claim_id.is_not(None) for q in (r, d, n)))
        .select_from(ClaimRow)
        .outerjoin(h, h.c.claim_id == ClaimRow.id)
        .outerjoin(r, r.c.claim_id == ClaimRow.id)
        .outerjoin(d, d.c.claim_id == ClaimRow.id)
        .outerjoin(n, n.c.claim_id == ClaimRow.id)
        .where(or_(*(q.c.claim_id.is_not(None) for q in (h, r, d, n))))
    )  # fmt: skip


_LINE_COLUMNS = ("clinic_id", "claim_line_id", "claim_id", "payer_id", "patient_id",
                 "provider_id", "date_of_service", "billed_on", "insurance_cents",
                 "patient_cents")  # fmt: skip
_OUTCOME_COLUMNS = ("clinic_id", "claim_id", "payer_id", "provider_id", "date_of_service",
                    "frequency_code", "submitted", "rejected", "paid", "troubled", "replaced",
                    "decided", "denied")  # fmt: skip


_SOURCES = ("posting", "claim_line", "claim", "claim_status_history", "denial")


def backfill(connection: Connection, clinic_id: int | None = None) -> None:
    """Rebuild both summaries from the ledger and the status history (every clinic, or one)."""
    if connection.dialect.name == "postgresql":  # fresh statistics, or a bulk-loaded ledger
        connection.execute(text(f"ANALYZE {', '.join(_SOURCES)}"))  # is planned as 10 rows
    for table in (ClaimLineBalanceRow, ClaimOutcomeRow):
        wipe = delete(table)
        if clinic_id is not None:
            wipe = wipe.where(table.clinic_id == clinic_id)
        connection.execute(wipe)
    connection.execute(
        insert(ClaimLineBalanceRow).from_select(_LINE_COLUMNS, _line_balances_select(clinic_id))
    )
    connection.execute(
        insert(ClaimOutcomeRow).from_select(_OUTCOME_COLUMNS, _outcomes_select(clinic_id))
    )


def kept_line_balances(
    session: Session, clinic_id: int, claim_id: int | Collection[int]
) -> dict[int, tuple[int, int]]:
    """Claim line id -> (insurance, patient cents) kept for the claim's lines (or these
    claims', a batch of an 835)."""
    line = ClaimLineBalanceRow
    ids = [claim_id] if isinstance(claim_id, int) else list(claim_id)
    query = select(line.claim_line_id, line.insurance_cents, line.patient_cents).where(
        line.clinic_id == clinic_id, one_of(line.claim_id, ids)
    )
    return {i: (a, b) for i, a, b in session.execute(query)}


def _reversed_by(session: Session, clinic_id: int, claims: Collection[int]) -> list[int]:
    """The postings the claims' postings reverse. Why: joined to them by these ids, the
    claims' postings are summed from an index look-up of their originals; joined on
    ``reverses_id`` alone, PostgreSQL's plan for an 835's step hashed every posting of the
    clinic (31 ms a step at 5,000 claims, growing with the ledger)."""
    query = select(PostingRow.reverses_id).where(
        PostingRow.clinic_id == clinic_id,
        one_of(PostingRow.claim_id, claims),
        PostingRow.reverses_id.is_not(None),
    )
    return list(session.scalars(query))


def summary_mismatches(
    session: Session, clinic_id: int, claim_id: int | Collection[int] | None = None
) -> list[str]:
    """The claim lines (of one claim, of these claims, or of the clinic) whose kept balances
    differ from their postings summed afresh, in plain words; empty when the summary equals the
    ledger. The database compares them and returns the lines that differ (kept without
    postings, postings without a kept row, other cents): an 835's step checks thousands of
    lines, which came back to be compared in Python."""
    claims = [claim_id] if isinstance(claim_id, int) else claim_id
    originals = None if claims is None else _reversed_by(session, clinic_id, claims)
    ledger = _ledger_lines(clinic_id, claims, originals).cte("ledger")  # summed once, read twice
    line = ClaimLineBalanceRow
    rows_kept = select(line.claim_line_id.label("line_id"), line.insurance_cents.label("insurance"),
                       line.patient_cents.label("patient")).where(line.clinic_id == clinic_id)  # fmt: skip
    if claims is not None:
        rows_kept = rows_kept.where(one_of(line.claim_id, claims))
    kept = rows_kept.subquery()
    insurance, patient = (func.coalesce(c, 0) for c in (ledger.c.insurance, ledger.c.patient))
    differ = or_(kept.c.line_id.is_(None), kept.c.insurance != insurance,
                 kept.c.patient != patient)  # fmt: skip
    out_of_ledger = select(ledger.c.line_id, kept.c.insurance, kept.c.patient, literal(True),
                           insurance, patient).outerjoin(
        kept, kept.c.line_id == ledger.c.line_id).where(differ)  # fmt: skip
    unposted = select(kept.c.line_id, kept.c.insurance, kept.c.patient, literal(False), null(),
                      null()).outerjoin(ledger, ledger.c.line_id == kept.c.line_id).where(
        ledger.c.line_id.is_(None))  # fmt: skip
    out = []
    rows = session.execute(union_all(out_of_ledger, unposted)).all()
    for line_id, kept_ins, kept_pat, posted, ins, pat in sorted(rows, key=lambda r: r[0]):
        have = None if kept_ins is None else (kept_ins, kept_pat)
        want = (int(ins), int(pat)) if posted else None
        out.append(
            f"claim line {line_id}: kept balances (insurance, patient cents) {have}, "
            f"the ledger's {want}"
        )
    return out


def decided_claims_by(
    session: Session, clinic_id: int, key: str, first: dt.date, end: dt.date
) -> list[tuple[Any, ...]]:
    """(day of service, payer or first line's therapist id, decided claims, of them denied) of
    claims served in ``[first, end)``; decided: a remittance was posted to the claim."""
    outcome = ClaimOutcomeRow
    column = outcome.payer_id if key == "payer" else outcome.provider_id
    query = (
        select(
            outcome.date_of_service,
            column,
            func.count(),
            func.sum(case((outcome.denied.is_(True), 1), else_=0)),
        )
        .where(outcome.clinic_id == clinic_id, outcome.decided.is_(True))
        .where(outcome.date_of_service >= first, outcome.date_of_service < end)
        .group_by(outcome.date_of_service, column)
    )
    return [tuple(row) for row in session.execute(query)]
