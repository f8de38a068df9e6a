"""Routes, one module per area; each module exposes ``router`` (an APIRouter) and is found here.

Every route must depend on :func:`otbill.web.security.require_roles` (``tests/web`` checks that
each one refuses an anonymous user), except the login page itself.
"""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter, FastAPI

__all__ = ["register_routes"]


def register_routes(app: FastAPI) -> None:
    import otbill.web.routes as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            app.include_router(router)
