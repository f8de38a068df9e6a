"""The claim page's CMS-1500 PDF: both forms of a demo claim, read back from their boxes."""

from __future__ import annotations

from sqlalchemy import select

from otbill.pdf.cms1500_layout import LINE_SPOTS, SPOTS, line_row
from otbill.storage.tables import ClaimRow, ClaimVisitRow, PatientRow, PlanOfCareRow, VisitRow
from support.paperkit import pages, text_at
from support.webkit import log_in


def _claim(app) -> tuple[ClaimRow, PatientRow]:  # type: ignore[no-untyped-def]
    with app.state.db.session() as session:
        claim = session.scalars(select(ClaimRow).where(ClaimRow.status == "ready")).first()
        assert claim is not None
        return claim, session.get_one(PatientRow, claim.patient_id)


def test_the_claim_page_links_both_forms_and_each_prints_the_claim(app, client) -> None:
    claim, patient = _claim(app)
    log_in(client, "biller")
    page = client.get(f"/claims/{claim.id}").text
    assert f'href="/claims/{claim.id}/cms1500.pdf?form=full"' in page
    assert f'href="/claims/{claim.id}/cms1500.pdf?form=data"' in page
    for form in ("full", "data"):
        got = client.get(f"/claims/{claim.id}/cms1500.pdf?form={form}")
        assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
        assert f'filename="{claim.number}-cms1500-{form}.pdf"' in got.headers["content-disposition"]
        sheet = pages(got.content)[0]
        assert text_at(sheet, SPOTS["26"]) == claim.number
        assert text_at(sheet, SPOTS["2"]).startswith(f"{patient.last_name.upper()}, ")
        total = claim.total_charge_cents
        assert text_at(sheet, SPOTS["28.dollars"]) == str(total // 100)
        assert text_at(sheet, SPOTS["28.cents"]) == f"{total % 100:02d}"
        row = line_row(1, shaded=False)
        assert text_at(sheet, LINE_SPOTS["24D.code"], row).startswith("97")


def test_an_unknown_form_or_claim_is_refused_in_plain_words(app, client) -> None:
    claim, _ = _claim(app)
    log_in(client, "biller")
    bad = client.get(f"/claims/{claim.id}/cms1500.pdf?form=blue")
    assert bad.status_code == 422 and "one of data, full" in bad.text
    assert client.get("/claims/99999999/cms1500.pdf").status_code == 404


def test_the_pdf_needs_a_login(client) -> None:
    got = client.get("/claims/1/cms1500.pdf", follow_redirects=False)
    assert got.status_code in (303, 401)


def test_a_claim_with_no_diagnosis_is_refused_in_words(app, client) -> None:
    claim, _ = _claim(app)
    with app.state.db.session() as session, session.begin():
        visit_id = session.scalars(
            select(ClaimVisitRow.visit_id).where(ClaimVisitRow.claim_id == claim.id)
        ).first()
        plan_id = session.get_one(VisitRow, visit_id).plan_of_care_id
        session.get_one(PlanOfCareRow, plan_id).diagnoses = []
    log_in(client, "biller")
    got = client.get(f"/claims/{claim.id}/cms1500.pdf")
    assert got.status_code == 422
    assert f"claim {claim.number} has no diagnosis for item 21" in got.text
