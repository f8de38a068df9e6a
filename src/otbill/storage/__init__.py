"""Storage: SQLAlchemy tables, repositories, the unit of work and migrations (an adapter).

Storage knows tables, not rules: services decide what to write; this package writes it, one clinic
at a time, inside one transaction per service call.
"""

from __future__ import annotations

from otbill.storage.engine import make_engine
from otbill.storage.migrate import upgrade
from otbill.storage.uow import Database, UnitOfWork

__all__ = ["Database", "UnitOfWork", "make_engine", "upgrade"]
