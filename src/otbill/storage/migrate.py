"""Apply Alembic migrations from the installed package, with no ``alembic.ini``.

Why programmatic: the CLI and the tests run migrations wherever otbill is installed; the
migration scripts ship inside the package (``otbill/storage/migrations``) and the configuration is
built here. The connection is handed to ``env.py`` through ``config.attributes``.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from otbill.storage.engine import make_engine

__all__ = ["alembic_config", "current_revision", "head_revision", "is_otbill_name", "upgrade"]

MIGRATIONS = Path(__file__).with_name("migrations")


def is_otbill_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name``: procrastinate's tables (PostgreSQL, migration 0029) share the
    schema but are the package's, not the models', so comparisons leave them out; so are the
    PostgreSQL-only trigram indexes (``*_trgm``, migration 0032), which no model declares."""
    if type_ == "index" and (name or "").endswith("_trgm"):
        return False
    return not (type_ == "table" and (name or "").startswith("procrastinate_"))


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(target: str | Engine, revision: str = "head") -> None:
    """Bring the database at ``target`` (a URL or an engine) up to ``revision``."""
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        if current_revision(engine) == head_revision() and revision == "head":
            return
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if isinstance(target, str):
            engine.dispose()
