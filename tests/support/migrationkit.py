"""Taking a test database down to an older migration (then ``migrate.upgrade`` brings it back)."""

from __future__ import annotations

from alembic import command

from otbill.storage import Database
from otbill.storage.migrate import alembic_config

__all__ = ["downgrade_to"]


def downgrade_to(db: Database, revision: str) -> None:
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
