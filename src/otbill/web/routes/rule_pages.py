"""The scrubber's rules explained: What it checks / Why payers deny it / Example / Fix / Source.

The text is each rule's own docstring (``otbill.rules.registry``), the same as
``otbill rules explain`` and ``docs/rules/``; any logged-in user may read it.
"""

from __future__ import annotations

from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from otbill.rules.registry import CATEGORIES
from otbill.web.app import render, wiring
from otbill.web.security import SessionUser, require_roles

router = APIRouter()

Anyone = Annotated[SessionUser, Depends(require_roles())]


@router.get("/rules")
def rules_index(request: Request, user: Anyone) -> Response:
    rules = sorted(wiring(request).rules, key=lambda r: (CATEGORIES.index(r.category), r.code))
    groups = [(cat, list(items)) for cat, items in groupby(rules, key=lambda r: r.category)]
    return render(request, "billing/rules.html", {"groups": groups, "count": len(rules)})


@router.get("/rules/{code}")
def rule_page(request: Request, user: Anyone, code: str) -> Response:
    wanted = code.strip().upper()
    found = next((r for r in wiring(request).rules if r.code == wanted), None)
    if found is None:
        raise HTTPException(404, f"no scrubber rule has the code {code!r}")
    return render(request, "billing/rule.html", {"rule": found})
