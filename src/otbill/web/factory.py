"""The app as each of ``otbill serve --workers N``'s processes builds it: from the environment.

uvicorn starts N processes and each imports ``otbill.web.factory:app_from_environment`` and calls
it, so nothing can be handed over in memory: the settings come from ``OTBILL_*`` (as everywhere),
plus what ``otbill serve`` decided for the run and put in the environment before starting them:

- ``OTBILL_TODAY``: the run's day (the demo's date, or ``--today``);
- ``OTBILL_FIRST_RUN_CODE``: the code ``/setup`` asks for on an empty database, the same in every
  process (otherwise the code printed would work in one process only).

The database is opened without migrating: ``otbill serve`` migrated it once before starting the
processes (N processes migrating at once would race).
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from otbill.settings import load_settings
from otbill.storage import Database
from otbill.web.app import create_app

__all__ = ["FIRST_RUN_CODE_ENV", "app_from_environment"]

FIRST_RUN_CODE_ENV = "OTBILL_FIRST_RUN_CODE"


def app_from_environment() -> FastAPI:
    """One worker process's app (uvicorn's ``factory=True``)."""
    settings = load_settings()
    app = create_app(settings, database=Database(settings.database_url, migrate=False))
    code = os.environ.get(FIRST_RUN_CODE_ENV)
    if code:
        app.state.first_run_code = code
    return app
