"""A posting's keys to its line and claim become two composite keys (issue 15).

Revision ID: 0037
Revises: 0036

``posting`` had single foreign keys to ``claim_line``, ``claim``, ``clinic``, ``patient`` and
``payer``: five lookups for every row written, most of the server's time when an 835 writes a
hundred thousand postings. Two composite keys say more and check less:
(claim_line_id, claim_id, clinic_id) -> claim_line (id, claim_id, clinic_id), a posting is on a
line of its own claim, in its own clinic; (claim_id, patient_id, payer_id) -> claim (id,
patient_id, payer_id), it carries its claim's patient and payer. The line's and the claim's own
keys still say that clinic, patient and payer exist. The keys keep the names of the single keys
to the line and the claim they replace (the naming convention names a key by its first column).
Their targets are two unique indexes, ``ux_claim_line_id_claim_id_clinic_id`` and
``ux_claim_id_patient_id_payer_id`` (unique indexes, not constraints: SQLite can add an index
to ``claim`` in place, a constraint only by copying the table, which its children's rows forbid).
``ix_posting_clinic_id`` goes: the posting indexes that lead with ``clinic_id`` serve it.

Existing rows are checked when the keys are added. On a database where a posting's claim is not
its line's, or its clinic, patient or payer is not its claim's, the upgrade stops and changes
nothing: the database stays at 0036. On PostgreSQL adding the key fails (its error names the key
and the first such row's values) and the transaction rolls back. SQLite cannot add a key to a
table: the table's CREATE statement is edited in place (as in 0027; copying ``posting`` fails once
a reversal points at a posting), which checks no row, so the upgrade first looks for such
postings itself, with this query, and refuses naming them (the query lists them on PostgreSQL
too)::

    SELECT p.id FROM posting p JOIN claim_line l ON l.id = p.claim_line_id
    JOIN claim c ON c.id = p.claim_id WHERE l.claim_id <> p.claim_id OR l.clinic_id <> p.clinic_id
    OR c.patient_id <> p.patient_id OR c.payer_id <> p.payer_id

No code of this version writes such a posting (the ledger takes the claim from the line and the
patient and payer from the claim) or changes a claim's patient or payer or a line's claim.

Lock cost on PostgreSQL: the unique indexes are built under a lock that blocks writes to
``claim`` and ``claim_line``, and adding the keys reads every posting under a lock that blocks
writes to ``posting``. The indexes can be built beforehand without blocking writes (``CREATE
UNIQUE INDEX CONCURRENTLY IF NOT EXISTS``, same names and columns): the upgrade keeps them.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0037"
down_revision = "0036"
branch_labels = None
depends_on = None

#: the composite keys, named as the single keys they replace: (name, table, columns, its columns)
COMPOSITE = [
    ("fk_posting_claim_line_id_claim_line", "claim_line",
     ["claim_line_id", "claim_id", "clinic_id"], ["id", "claim_id", "clinic_id"]),
    ("fk_posting_claim_id_claim", "claim",
     ["claim_id", "patient_id", "payer_id"], ["id", "patient_id", "payer_id"]),
]  # fmt: skip
#: their targets: (name, table, columns)
UNIQUE = [
    ("ux_claim_line_id_claim_id_clinic_id", "claim_line", ["id", "claim_id", "clinic_id"]),
    ("ux_claim_id_patient_id_payer_id", "claim", ["id", "patient_id", "payer_id"]),
]
#: the single keys before 0037: (name, table, column)
SINGLE = [
    ("fk_posting_claim_line_id_claim_line", "claim_line", "claim_line_id"),
    ("fk_posting_claim_id_claim", "claim", "claim_id"),
    ("fk_posting_clinic_id_clinic", "clinic", "clinic_id"),
    ("fk_posting_patient_id_patient", "patient", "patient_id"),
    ("fk_posting_payer_id_payer", "payer", "payer_id"),
]
ASTRAY = (
    "SELECT p.id FROM posting p JOIN claim_line l ON l.id = p.claim_line_id"
    " JOIN claim c ON c.id = p.claim_id WHERE l.claim_id <> p.claim_id"
    " OR l.clinic_id <> p.clinic_id OR c.patient_id <> p.patient_id OR c.payer_id <> p.payer_id"
)


def _sqlite() -> bool:
    return bool(op.get_bind().dialect.name == "sqlite")


def _clause(name: str, table: str, columns: list[str], targets: list[str]) -> str:
    return f"CONSTRAINT {name} FOREIGN KEY({', '.join(columns)}) REFERENCES {table} " \
           f"({', '.join(targets)})"  # fmt: skip


def _single(name: str, table: str, column: str) -> str:
    return _clause(name, table, [column], ["id"])


def _edit_posting(edit: dict[str, str], add: list[str]) -> None:
    """On SQLite: in ``posting``'s CREATE statement, replace each key clause named in ``edit``
    (name -> new clause, empty: dropped) and append the clauses ``add``. SQLite's documented
    procedure for schema changes that change no stored row: edit ``sqlite_master``, bump
    ``schema_version`` (sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema
    Changes")."""
    bind = op.get_bind()
    create = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'posting'"
    ).scalar_one()
    for name, clause in edit.items():
        found = re.compile(rf",\s*CONSTRAINT {name} FOREIGN KEY\s*\([^)]*\)\s*REFERENCES [^)]*\)")
        if len(found.findall(create)) != 1:
            raise RuntimeError(f"posting table: expected key {name} once in its CREATE statement")
        create = found.sub(f", \n\t{clause}" if clause else "", create)
    end = create.rstrip().rindex(")")
    create = create[:end].rstrip() + "".join(f", \n\t{c}" for c in add) + "\n" + create[end:]
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'posting'", (create,)
    )
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def _refuse_astray() -> None:
    """SQLite: refuse (before any change) when a posting breaks the composite keys."""
    astray = op.get_bind().execute(sa.text(ASTRAY)).scalars().all()
    if astray:
        shown = ", ".join(map(str, astray[:10])) + (" ..." if len(astray) > 10 else "")
        raise RuntimeError(
            f"posting: {len(astray)} postings break the foreign keys of revision 0037 (their "
            f"claim is not their line's, or their clinic, patient or payer is not their "
            f"claim's): ids {shown}"
        )


def upgrade() -> None:
    if _sqlite():
        _refuse_astray()
        # first: its UPDATE opens the transaction (pysqlite runs DDL before any in autocommit),
        # so the index changes below are undone with it if anything fails
        composite = {key[0]: _clause(*key) for key in COMPOSITE}
        _edit_posting({name: composite.get(name, "") for name, _, _ in SINGLE}, [])
    for name, table, columns in UNIQUE:
        op.create_index(name, table, columns, unique=True, if_not_exists=True)
    op.drop_index("ix_posting_clinic_id", table_name="posting")
    if not _sqlite():
        for name, _, _ in SINGLE:
            op.drop_constraint(name, "posting", type_="foreignkey")
        for name, table, columns, targets in COMPOSITE:
            op.create_foreign_key(name, "posting", table, columns, targets)


def downgrade() -> None:
    if _sqlite():
        singles = {key[0]: _single(*key) for key in SINGLE}
        _edit_posting({name: singles.pop(name) for name, _, _, _ in COMPOSITE},
                      list(singles.values()))  # fmt: skip
    else:
        for name, _, _, _ in COMPOSITE:
            op.drop_constraint(name, "posting", type_="foreignkey")
        for name, table, column in SINGLE:
            op.create_foreign_key(name, "posting", table, [column], ["id"])
    op.create_index("ix_posting_clinic_id", "posting", ["clinic_id"])
    for name, table, _ in UNIQUE:
        op.drop_index(name, table_name=table)
