"""Routes, one module per area; each module exposes ``router`` (an APIRouter) and is found here.

Every route must depend on :func:`otbill.web.security.require_roles` (``tests/web`` checks that
each one refuses an anonymous user), except the login page itself.
"""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter, FastAPI

__all__ = ["register_routes"]

#: Matched first: the pages billers request all day. A request is matched against each router in
#: turn, so these no longer try 50 modules' routes first (about a tenth of a queue page's CPU at
#: 200 clinics; no route elsewhere matches their paths, so which route answers is unchanged).
HOT = ("queues", "claims_search")


def register_routes(app: FastAPI) -> None:
    import otbill.web.routes as package

    modules = sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name)
    for info in sorted(modules, key=lambda i: i.name not in HOT):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            app.include_router(router)
