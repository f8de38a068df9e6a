"""What-if re-pricing of the last 12 months: another year's Medicare fee schedule (2024 -> 2025),
a payer's proposed rates, or a different payer mix; the change per payer, code and month, and
the same as CSV (``/what-if.csv``). A read: nothing is written."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from otbill.errors import OtbillError
from otbill.services.money.reports import read_rates, what_if_csv
from otbill.services.views.what_if import Scenario, WhatIf, last_twelve_months, what_if
from otbill.web.app import render, today
from otbill.web.params import whole_number
from otbill.web.security import SessionUser, require_roles

router = APIRouter()

Reader = Annotated[SessionUser, Depends(require_roles("biller", "auditor"))]
_FIELDS = ("scenario", "from_year", "to_year", "payer", "rates", "to_payer", "share")


def _year(text: str | None, name: str) -> int:
    if not text or not text.strip().isdigit() or len(text.strip()) != 4:
        raise ValueError(f"{name} {text!r} is not a year such as 2025")
    return int(text)


def _scenario(q: Any) -> Scenario | None:
    kind = q.get("scenario")
    if not kind:
        return None
    if kind == "year":
        return Scenario(
            "year", _year(q.get("from_year"), "From year"), _year(q.get("to_year"), "To year")
        )
    payer = whole_number(q.get("payer"), "payer")
    if payer is None:
        raise ValueError("Choose the payer")
    if kind == "rates":
        return Scenario("rates", payer_id=payer, rates=read_rates(q.get("rates") or ""))
    if kind == "mix":
        to_payer = whole_number(q.get("to_payer"), "to_payer")
        if to_payer is None or to_payer == payer:
            raise ValueError("Choose another payer to move the visits to")
        try:
            share = Decimal((q.get("share") or "").strip().rstrip("%"))
        except InvalidOperation:
            raise ValueError(f"Share {q.get('share')!r} is not a percent") from None
        if not 0 <= share <= 100:
            raise ValueError("The share is a percent from 0 to 100")
        return Scenario("mix", payer_id=payer, to_payer_id=to_payer, share=share / 100)
    raise ValueError(f"Unknown scenario {kind!r}")


def _run(request: Request, user: SessionUser) -> tuple[WhatIf | None, list[str], list[Any]]:
    errors: list[str] = []
    result = None
    first, end = last_twelve_months(today(request))
    dirs = [request.app.state.settings.refdata_dir]
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        payers = uow.payers.all()
        try:
            scenario = _scenario(request.query_params)
            if scenario is not None:
                known = {p.id for p in payers}
                for pid in (scenario.payer_id, scenario.to_payer_id):
                    if pid is not None and pid not in known:
                        raise ValueError(f"payer {pid} is not this clinic's")
                result = what_if(uow, dirs, scenario, first, end)
        except (OtbillError, ValueError) as error:
            errors.append(str(error))
    return result, errors, payers


@router.get("/what-if")
def what_if_page(request: Request, user: Reader) -> Response:
    result, errors, payers = _run(request, user)
    q = request.query_params
    first, end = last_twelve_months(today(request))
    context = {
        "result": result,
        "errors": errors,
        "payers": payers,
        "form": {k: q.get(k, "") for k in _FIELDS},
        "query": str(q),
        "window": (first, end),
    }
    return render(request, "money/what_if.html", context, status_code=422 if errors else 200)


@router.get("/what-if.csv")
def what_if_download(request: Request, user: Reader) -> Response:
    result, errors, _ = _run(request, user)
    if result is None:
        text = "; ".join(errors) or "choose a scenario"
        return Response(text + "\n", status_code=422, media_type="text/plain")
    return Response(
        what_if_csv(result),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="what-if.csv"'},
    )
