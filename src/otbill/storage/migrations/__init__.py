"""Alembic migration scripts (run by :func:`otbill.storage.migrate.upgrade`)."""
