"""Row-level security on PostgreSQL: every table with a ``clinic_id`` shows only the clinics of the
transaction's scope.

Why a second layer under the repositories' own ``clinic_id`` filters: one forgotten filter in a
new query would otherwise show one clinic's patients to another. The unit of work sets
``app.clinic_ids`` at the start of each transaction (``SET LOCAL``, via :func:`set_scope`): one
clinic id, a list (a company user's granted clinics), or :data:`ALL_CLINICS` for the few things
that run before a clinic is known (login, session lookup, migrations, the job worker picking a
job, ``otbill check``; docs/deploy.md lists them). With no scope a query sees no rows. The policy
is ``FORCE``d so the tables' owner is held too; only a superuser or a ``BYPASSRLS`` role escapes it
(``otbill check`` warns). SQLite has no row-level security: there the repositories' filters are
the only layer.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

__all__ = [
    "ALL_CLINICS",
    "POLICY",
    "SETTING",
    "bypassing_role",
    "clinic_tables",
    "copy_allowed",
    "disable_clinic_policy",
    "enable_clinic_policy",
    "lacks_temporary_right",
    "scope_of",
    "set_scope",
]

SETTING = "app.clinic_ids"
ALL_CLINICS = "*"  # the named "all clinics" scope: only where no clinic can be known yet
POLICY = "clinic_scope"
_SETTING = f"current_setting('{SETTING}', true)"
# Each side a sub-SELECT: PostgreSQL evaluates it once per query (an InitPlan), not once per row,
# and ``clinic_id = ANY (…)`` can then be an index condition (the outer cast keeps ANY from
# reading the sub-SELECT as a set of rows).
_RULE = (
    f"(SELECT {_SETTING} = '{ALL_CLINICS}') OR clinic_id = ANY ((SELECT "
    f"string_to_array(NULLIF({_SETTING}, '{ALL_CLINICS}'), ',')::int[])::int[])"
)


def scope_of(clinic_ids: Iterable[int]) -> str:
    """The setting's value for these clinics (``"3,5"``; empty: no clinic, no rows)."""
    return ",".join(str(int(clinic_id)) for clinic_id in sorted(set(clinic_ids)))


def set_scope(connection: Connection, scope: str) -> None:
    """Set the transaction's scope (PostgreSQL only; SQLite has nothing to set)."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT set_config(:name, :scope, true)"), {"name": SETTING, "scope": scope}
        )


_HELD = "otbill.row_security.held"  # the tables the connection's role is held on


def copy_allowed(session: Session, table: str) -> bool:
    """Whether ``COPY table FROM STDIN`` may run: PostgreSQL refuses it where row-level security
    applies (a plain role), so writers go through a stage there (:mod:`.bulk_rows`). A "no" is
    remembered with the connection (its role does not change, and the stage's path is right
    either way): production's writers ask once, not for every bulk write."""
    held = session.connection().info.setdefault(_HELD, set())
    if table in held:
        return False
    query = text("SELECT NOT row_security_active(CAST(:t AS regclass))")
    allowed = bool(session.execute(query, {"t": table}).scalar())
    if not allowed:
        held.add(table)
    return allowed


def clinic_tables(connection: Connection) -> list[str]:
    """The tables of the current schema with a ``clinic_id`` column, by name."""
    query = text(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND column_name = 'clinic_id' ORDER BY table_name"
    )
    return [str(name) for name in connection.execute(query).scalars()]


def enable_clinic_policy(connection: Connection, table: str) -> None:
    """Turn on (and force) the clinic policy of ``table``; later migrations adding a table with a
    ``clinic_id`` call this too (tests/storage check every such table has it)."""
    connection.execute(text(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY'))
    connection.execute(text(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY'))
    connection.execute(text(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"'))
    connection.execute(
        text(f'CREATE POLICY {POLICY} ON "{table}" USING ({_RULE}) WITH CHECK ({_RULE})')
    )


def disable_clinic_policy(connection: Connection, table: str) -> None:
    connection.execute(text(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"'))
    connection.execute(text(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY'))
    connection.execute(text(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY'))


def bypassing_role(engine: Engine) -> str | None:
    """How the engine's PostgreSQL role escapes row-level security ("superuser" or
    "BYPASSRLS", with its name), else None (and None on SQLite, which has none to escape)."""
    if engine.dialect.name != "postgresql":
        return None
    query = text(
        "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    )
    with engine.connect() as connection:
        name, superuser, bypass = connection.execute(query).one()
    if superuser:
        return f"{name} is a superuser"
    return f"{name} has BYPASSRLS" if bypass else None


def lacks_temporary_right(engine: Engine) -> str | None:
    """The role's name when row-level security holds it and it may not create temporary tables
    in the database, else None (and None on SQLite). Such a role cannot make bulk writes: COPY is
    refused where the policy holds, so they go through a temporary table
    (:mod:`otbill.storage.bulk_rows`)."""
    if engine.dialect.name != "postgresql":
        return None
    query = text("SELECT current_user, has_database_privilege(current_database(), 'TEMPORARY')")
    with engine.connect() as connection:
        name, allowed = connection.execute(query).one()
    return None if allowed or bypassing_role(engine) is not None else str(name)
