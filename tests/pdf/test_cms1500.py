"""The 1500 claim form PDFs: rendered with pypdfium2, key values read back from their boxes."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from otbill.pdf.cms1500 import FORMS, PaperClaimError, render_cms1500
from otbill.pdf.cms1500_fields import paper_forms
from otbill.pdf.cms1500_layout import (
    BOXES,
    COL_MM,
    COLUMNS,
    LINE_SPOTS,
    LINES_PER_FORM,
    PRINTABLE_COLUMNS,
    ROW_MM,
    ROWS,
    SPOTS,
    line_row,
)
from support.paperkit import (
    DIAGNOSES,
    LINES,
    PRINTED_ON,
    charges,
    page_image,
    pages,
    paper_claim,
    pixel,
    text_at,
)

LAST_LINE_ROW = line_row(LINES_PER_FORM, shaded=False)


def _render(count: int, kind: str = "data", **changes: object) -> bytes:
    return render_cms1500(paper_claim(count, **changes), kind=kind, printed_on=PRINTED_ON)  # type: ignore[arg-type]


def _line_text(page, number: int, key: str) -> str:  # type: ignore[no-untyped-def]
    spot = LINE_SPOTS[key]
    return text_at(page, spot, line_row(number, shaded=spot.row == 0))


def _money(amount: Decimal) -> tuple[str, str]:
    return str(int(amount)), f"{int(amount * 100) % 100:02d}"


# --- the layout table ---------------------------------------------------------------------------


def test_every_spot_sits_inside_its_items_box_within_the_printable_band() -> None:
    boxes = {b.item: b for b in BOXES}
    first, last = PRINTABLE_COLUMNS
    for key, spot in SPOTS.items():
        assert boxes[spot.item].holds(spot.row, spot.col, spot.last_col), key
        assert first <= spot.col and spot.last_col < last and 1 <= spot.row <= ROWS, key
    for key, spot in LINE_SPOTS.items():
        box = boxes[spot.item]
        for n in range(1, LINES_PER_FORM + 1):
            assert box.holds(line_row(n, shaded=spot.row == 0), spot.col, spot.last_col), key
    for box in BOXES:
        assert first <= box.left <= box.right <= last <= COLUMNS and box.bottom <= ROWS


def test_no_two_spots_share_a_character_cell() -> None:
    cells: dict[tuple[int, int], str] = {}
    spots = list(SPOTS.items()) + [
        (
            f"{key} line {n}",
            spot.__class__(spot.item, line_row(n, spot.row == 0), spot.col, spot.width),
        )
        for n in range(1, LINES_PER_FORM + 1)
        for key, spot in LINE_SPOTS.items()
    ]
    for key, spot in spots:
        for col in range(spot.col, spot.last_col + 1):
            assert (spot.row, col) not in cells, f"{key} overlaps {cells[(spot.row, col)]}"
            cells[(spot.row, col)] = key


def test_the_grid_is_ten_characters_and_six_lines_per_inch_on_a_letter_sheet() -> None:
    assert round(COL_MM * 10, 6) == 25.4 and round(ROW_MM * 6, 6) == 25.4
    assert round(COLUMNS * COL_MM, 6) == 215.9 and round(ROWS * ROW_MM, 6) == 279.4


# --- the four-line claim: one form --------------------------------------------------------------


@pytest.mark.parametrize("kind", FORMS)
def test_a_four_line_claim_prints_on_one_form_with_each_value_in_its_box(kind: str) -> None:
    doc = pages(_render(4, kind))
    assert len(doc) == 1
    page = doc[0]
    assert text_at(page, SPOTS["2"]) == "LEE, ANN"
    assert text_at(page, SPOTS["1a"]) == "1EG4TE5MK73"
    assert text_at(page, SPOTS["3.dob"]) == "05 02 1948"
    assert text_at(page, SPOTS["3.sex.F"]) == "X" and text_at(page, SPOTS["3.sex.M"]) == ""
    assert text_at(page, SPOTS["1.medicare"]) == "X" and text_at(page, SPOTS["1.group"]) == ""
    assert text_at(page, SPOTS["6.self"]) == "X"
    assert text_at(page, SPOTS["9"]) == "LEE, ANN" and text_at(page, SPOTS["9d"]) == "AETNA MEDIGAP"
    assert text_at(page, SPOTS["11d.yes"]) == "X"
    assert text_at(page, SPOTS["17.qual"]) == "DN" and text_at(page, SPOTS["17b"]) == "1003000126"
    assert text_at(page, SPOTS["21.ind"]) == "0"
    for letter, code in zip("ABCD", DIAGNOSES, strict=True):
        assert text_at(page, SPOTS[f"21.{letter}"]) == code.replace(".", "")
    assert text_at(page, SPOTS["21.E"]) == ""
    assert text_at(page, SPOTS["23"]) == "A123"
    for n, (code, mods, units, charge, pointers) in enumerate(LINES[:4], start=1):
        assert _line_text(page, n, "24A.from") == f"02 {9 + n:02d} 25"
        assert _line_text(page, n, "24B") == "11"
        assert _line_text(page, n, "24D.code") == code
        got = [_line_text(page, n, f"24D.mod{m}") for m in range(1, 5)]
        assert got == mods + [""] * (4 - len(mods))
        assert _line_text(page, n, "24E") == "".join("ABCD"[p - 1] for p in pointers)
        dollars, cents = _money(Decimal(charge))
        assert (_line_text(page, n, "24F.dollars"), _line_text(page, n, "24F.cents")) == (
            dollars,
            cents,
        )
        assert _line_text(page, n, "24G") == str(units)
        assert _line_text(page, n, "24J.npi") == "1245319599"
        assert _line_text(page, n, "24I.qual") == "ZZ"  # shaded: the rendering taxonomy
        assert _line_text(page, n, "24J.other") == "225X00000X"
    assert _line_text(page, 5, "24D.code") == "" and _line_text(page, 6, "24F.dollars") == ""
    assert (text_at(page, SPOTS["28.dollars"]), text_at(page, SPOTS["28.cents"])) == ("383", "50")
    assert text_at(page, SPOTS["33a"]) == "1234567893"
    assert text_at(page, SPOTS["25.number"]) == "741234567"
    assert text_at(page, SPOTS["25.ein"]) == "X" and text_at(page, SPOTS["27.yes"]) == "X"
    assert text_at(page, SPOTS["26"]) == "CLM-0001"
    assert text_at(page, SPOTS["page"]) == ""  # one form: no page numbers


def test_amounts_are_right_justified_without_dollar_signs_or_commas() -> None:
    page = pages(_render(7))[1]
    spot = LINE_SPOTS["24F.dollars"]
    assert _line_text(page, 1, "24F.dollars") == "1120"
    assert "$" not in _line_text(page, 1, "24F.dollars") + text_at(page, SPOTS["28.dollars"])
    narrow = spot.__class__(spot.item, 0, spot.last_col, 1)  # the last dollar column only
    assert text_at(page, narrow, line_row(1, shaded=False)) == "0"


# --- the seven-line claim: two forms ------------------------------------------------------------


@pytest.mark.parametrize("kind", FORMS)
def test_a_seven_line_claim_continues_on_a_second_complete_form(kind: str) -> None:
    doc = pages(_render(7, kind))
    assert len(doc) == 2
    first, second = doc[0], doc[1]
    assert text_at(first, SPOTS["page"]) == "PAGE 1 OF 2"
    assert text_at(second, SPOTS["page"]) == "PAGE 2 OF 2"
    for page in (first, second):  # each form complete
        assert text_at(page, SPOTS["2"]) == "LEE, ANN"
        assert text_at(page, SPOTS["1a"]) == "1EG4TE5MK73"
        assert text_at(page, SPOTS["21.A"]) == "M6281"
        assert text_at(page, SPOTS["33a"]) == "1234567893"
    codes = [_line_text(first, n, "24D.code") for n in range(1, 7)]
    assert codes == [code for code, *_ in LINES[:6]]
    assert _line_text(second, 1, "24D.code") == "97760"
    assert _line_text(second, 1, "24E") == "AD"
    assert [_line_text(second, n, "24D.code") for n in range(2, 7)] == [""] * 5
    assert (text_at(first, SPOTS["28.dollars"]), text_at(first, SPOTS["28.cents"])) == _money(
        charges(0, 6)
    )
    assert (text_at(second, SPOTS["28.dollars"]), text_at(second, SPOTS["28.cents"])) == _money(
        charges(6, 7)
    )


def test_each_forms_total_is_the_sum_of_its_own_lines() -> None:
    forms = paper_forms(paper_claim(7), printed_on=PRINTED_ON)
    assert [f.total for f in forms] == [charges(0, 6), charges(6, 7)]
    assert [len(f.lines) for f in forms] == [6, 1]
    assert sum(f.total for f in forms) == charges(0, 7)


# --- the drawn form -----------------------------------------------------------------------------


def _edges() -> list[tuple[float, float]]:
    """A point on each box's top and left edge (mm), away from any corner."""
    points = []
    for box in BOXES:
        top, left = (box.top - 1) * ROW_MM, (box.left - 1) * COL_MM
        middle_x = left + (box.right - box.left + 1) * COL_MM / 2
        points.append((middle_x, top))
    return points


def _darkest(image, x: float, y: float) -> int:  # type: ignore[no-untyped-def]
    step = 0.18
    return min(pixel(image, x + dx * step, y + dy * step) for dx in (-1, 0, 1) for dy in (-1, 0, 1))


def test_the_full_form_draws_every_box_and_the_data_form_draws_none() -> None:
    full = page_image(pages(_render(4, "full"))[0])
    data = page_image(pages(_render(4, "data"))[0])
    edges = _edges()
    assert len(edges) == len(BOXES)
    assert [xy for xy in edges if _darkest(full, *xy) > 100] == []
    assert [xy for xy in edges if _darkest(data, *xy) < 250] == []


def test_the_full_form_shades_the_supplemental_rows() -> None:
    full = page_image(pages(_render(4, "full"))[0])
    data = page_image(pages(_render(4, "data"))[0])
    for n in range(1, LINES_PER_FORM + 1):
        y = (line_row(n, shaded=True) - 0.5) * ROW_MM
        x = 40 * COL_MM  # inside 24D, where no supplemental text is printed
        assert 180 < pixel(full, x, y) < 245, n
        assert pixel(data, x, y) == 255, n


# --- refusals in plain words --------------------------------------------------------------------


def test_a_claim_with_no_diagnosis_is_refused_naming_item_21() -> None:
    with pytest.raises(PaperClaimError, match="claim CLM-0001 has no diagnosis for item 21"):
        _render(4, diagnoses=[])


def test_a_pointer_past_the_diagnoses_and_too_many_modifiers_are_named() -> None:
    lines = [
        {"date": "2025-02-10", "code": "97530", "units": 1, "charge": "45.00",
         "modifiers": ["GO", "59", "KX", "CQ", "XU"], "dx_pointers": [1, 5]},
    ]  # fmt: skip
    with pytest.raises(PaperClaimError) as refused:
        _render(1, lines=lines)
    words = str(refused.value)
    assert "service line 1 has 5 modifiers; item 24D holds 4" in words
    assert "service line 1 points at diagnosis 5 but item 21 lists 4 diagnosis code(s)" in words


def test_more_than_twelve_diagnoses_are_refused() -> None:
    codes = [f"M62.8{n}" for n in range(10)] + ["R26.89", "R26.81", "M25.631"]
    with pytest.raises(PaperClaimError, match="13 diagnoses; item 21 holds 12"):
        _render(1, diagnoses=codes)


def test_a_long_name_is_cut_at_its_box_but_a_long_identifier_is_refused() -> None:
    claim = paper_claim(1)
    patient = dataclasses.replace(
        claim.patient, last_name="Vandermeulen-Oppenheimer-Smythe", first_name="Alexandria"
    )
    forms = paper_forms(dataclasses.replace(claim, patient=patient), printed_on=PRINTED_ON)
    assert forms[0].items["2"] == "VANDERMEULEN-OPPENHEIMER-SMY"
    assert len(forms[0].items["2"]) == SPOTS["2"].width
    with pytest.raises(PaperClaimError, match=r"item 23 \(the prior authorization number\)"):
        _render(1, prior_authorization={"number": "A" * 40, "from": "2025-01-01",
                                        "to": "2025-03-31"})  # fmt: skip


def test_a_corrected_claim_prints_its_resubmission_code_and_original_number() -> None:
    page = pages(_render(1, frequency_code="7", original_claim_number="PAYER-ICN-55"))[0]
    assert text_at(page, SPOTS["22.code"]) == "7"
    assert text_at(page, SPOTS["22.original"]) == "PAYER-ICN-55"
    with pytest.raises(PaperClaimError, match="original claim number is not known"):
        _render(1, frequency_code="8")


def test_the_sample_in_docs_is_the_seven_line_claim_on_todays_layout() -> None:
    sample = Path(__file__).resolve().parents[2] / "docs" / "cms1500-sample.pdf"
    doc = pages(sample.read_bytes())
    assert len(doc) == 2, "regenerate docs/cms1500-sample.pdf (see docs/cms1500.md)"
    for n, page in enumerate(doc, start=1):
        assert text_at(page, SPOTS["26"]) == "CLM-0001"
        assert text_at(page, SPOTS["page"]) == f"PAGE {n} OF 2"
    assert _line_text(doc[1], 1, "24D.code") == "97760"
    assert (text_at(doc[0], SPOTS["28.dollars"]), text_at(doc[0], SPOTS["28.cents"])) == _money(
        charges(0, 6)
    )


def test_a_dependants_claim_names_the_insured_and_the_facility() -> None:
    subscriber = {"first_name": "Jo", "last_name": "Lee", "member_id": "W123456789",
                  "dob": "1975-01-31", "sex": "M", "relationship": "child",
                  "address": {"line1": "5 Elm St., Apt #2", "city": "Round Rock", "state": "TX",
                              "zip": "78664"}}  # fmt: skip
    payer = {"profile": "commercial-bcbstx", "payer_id": "84980", "name": "BCBS of Texas"}
    facility = {"name": "Hands On OT North",
                "address": {"line1": "77 Mill Rd", "city": "Pflugerville", "state": "TX",
                            "zip": "78660"}}  # fmt: skip
    claim = paper_claim(1, subscriber=subscriber, payer=payer, service_facility=facility,
                        other_coverages=[])  # fmt: skip
    (form,) = paper_forms(claim, printed_on=PRINTED_ON)
    items = form.items
    assert items["1a"] == "W123456789" and items["4"] == "LEE, JO" and items["2"] == "LEE, ANN"
    assert items["6.child"] == "X" and "6.self" not in items
    assert items["7.street"] == "5 ELM ST APT 2"  # no punctuation in addresses
    assert (items["7.city"], items["11a.dob"], items["11a.sex.M"]) == (
        "ROUND ROCK",
        "01 31 1975",
        "X",
    )
    assert items["1.group"] == "X" and "1.medicare" not in items and "11" not in items
    assert items["11d.no"] == "X" and "9" not in items
    assert items["32.name"] == "HANDS ON OT NORTH" and items["32.city"] == "PFLUGERVILLE TX 78660"
    assert "32a" not in items and items["33a"] == "1234567893"
    medicare = paper_forms(paper_claim(1), printed_on=PRINTED_ON)[0].items
    assert medicare["11"] == "NONE" and medicare["1.medicare"] == "X"
