"""Repositories: named queries over one clinic's records, one module per kind of record.

``records`` is the generic repository the services grew up with (get, find, add); the named
repositories (``claims``, ``visits``, ``patients``, ...) are where each query a service needs gets
a name. Every one of them is reached through the unit of work (``uow.claims.lines(claim_id)``).
"""

from __future__ import annotations

from otbill.storage.repositories.records import Repository

__all__ = ["Repository"]
