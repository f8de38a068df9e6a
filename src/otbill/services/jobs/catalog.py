"""Where the job kinds live: importing these modules registers them (see :mod:`.kinds`).

``OTBILL_JOB_MODULES`` (comma-separated module names) adds more: a plugin's kinds, or a test's
slow kind that a real ``otbill worker`` subprocess must know.
"""

from __future__ import annotations

import importlib
import os

__all__ = ["KIND_MODULES", "load_kinds"]

KIND_MODULES = (
    "otbill.services.jobs.posting",
    "otbill.services.jobs.statements",
    "otbill.services.jobs.claim_status",
    "otbill.services.jobs.eligibility",
    "otbill.services.jobs.claims_pipeline",
    "otbill.services.jobs.claims_build",
    "otbill.services.jobs.exchange",
    "otbill.services.jobs.owner_pdf",
)


def load_kinds() -> None:
    extra = [m.strip() for m in os.environ.get("OTBILL_JOB_MODULES", "").split(",") if m.strip()]
    for module in (*KIND_MODULES, *extra):
        importlib.import_module(module)
