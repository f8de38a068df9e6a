"""A claim on the 1500 paper form as PDF: ``/claims/{id}/cms1500.pdf?form=data|full``.

``data`` prints only the values, aligned for the red pre-printed form; ``full`` (the default)
draws the complete black-and-white form. A claim the form cannot carry answers 422 with the
reasons (the claim and the item named); another clinic's claim, 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from otbill.domain.record_errors import NotFound, RecordError
from otbill.services.claims.paper import FORMS, PaperClaimError, paper_claim
from otbill.web.app import today
from otbill.web.security import SessionUser, require_roles

router = APIRouter()

Reader = Annotated[SessionUser, Depends(require_roles("biller", "approver", "auditor"))]


@router.get("/claims/{claim_id:int}/cms1500.pdf", include_in_schema=False)
def cms1500_pdf(
    request: Request,
    user: Reader,
    claim_id: int,
    form: Annotated[str, Query(description="data (for the red form) or full")] = "full",
) -> Response:
    if form not in FORMS:
        raise HTTPException(
            422, f"form {form!r}: the 1500 form prints as one of {', '.join(FORMS)}"
        )
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            printed = paper_claim(uow, claim_id, kind=form, printed_on=today(request))
    except NotFound:
        raise HTTPException(404, f"claim {claim_id} is not in this clinic") from None
    except (PaperClaimError, RecordError) as error:
        raise HTTPException(
            422, f"This claim cannot be printed on the 1500 form: {error}"
        ) from None
    disposition = f'inline; filename="{printed.filename}"'
    return Response(printed.pdf, media_type="application/pdf",
                    headers={"Content-Disposition": disposition})  # fmt: skip
