"""ICD-10-CM by date of service: the release in force decides (M54.5 in FY2021, M54.50 from FY2022)."""

from __future__ import annotations

import datetime as dt

import pytest

from otbill.codes import icd10cm
from otbill.codes._icd10cm_history import changes
from otbill.errors import CodeNotEffective, NotBillable

FY2021 = dt.date(2021, 6, 15)
FY2026 = dt.date(2026, 5, 1)


def test_m54_5_is_billable_in_fy2021_and_m54_50_is_not_yet_valid():
    assert icd10cm.validate("M54.5", FY2021) == "M54.5"
    assert icd10cm.is_billable("M54.5", FY2021)
    with pytest.raises(CodeNotEffective) as refused:
        icd10cm.validate("M54.50", FY2021)
    text = str(refused.value)
    assert "2021-06-15" in text and "ICD-10-CM FY2021" in text and "added later" in text
    assert "ICD-10-CM FY2022 has it" in text  # the first shipped release with it
    assert refused.value.on == FY2021
    assert not icd10cm.is_valid("M54.50", FY2021)


def test_from_fy2022_m54_5_is_a_header_and_m54_50_is_billable():
    with pytest.raises(NotBillable):
        icd10cm.validate("M54.5", FY2026)
    assert icd10cm.validate("M54.50", FY2026) == "M54.50"
    assert icd10cm.is_billable("M54.50", dt.date(2025, 6, 1))  # FY2025 April release
    first_day = dt.date(2021, 10, 1)  # FY2022 split M54.5 into M54.50, M54.51 and M54.59
    assert icd10cm.is_billable("M54.50", first_day)
    assert not icd10cm.is_billable("M54.5", first_day)


def test_a_code_deleted_since_is_billable_on_a_date_when_it_was_in_force():
    deleted = sorted(
        c for c in changes()["2021-01"].billable_then if icd10cm._now(c).value == "absent"
    )
    assert deleted, "the FY2021 release has codes deleted since"
    code = icd10cm.format(deleted[0])
    assert icd10cm.is_billable(code, FY2021)
    with pytest.raises(CodeNotEffective) as refused:
        icd10cm.validate(code, FY2026)
    assert "deleted" in str(refused.value)


def test_release_for_names_the_release_of_the_date():
    match = icd10cm.release_for(FY2021)
    assert match.exact and match.release.fiscal_year == 2021
    assert icd10cm.release_for(FY2026).release is icd10cm.RELEASE
    between = icd10cm.release_for(dt.date(2020, 6, 1))  # the April 2020 update is not shipped
    assert not between.exact and "between" in between.note


def test_between_shipped_releases_a_change_of_unknown_date_is_not_held_against_the_claim():
    # U07.1 (COVID-19) came with the April 2020 update, which is not shipped: it is absent in
    # FY2020 (October 2019) and billable in FY2021 (October 2020), so it passes in June 2020
    assert icd10cm.is_billable("U07.1", dt.date(2020, 6, 1))
    assert not icd10cm.is_billable("U07.1", dt.date(2020, 3, 31))  # FY2020 is shipped
    assert icd10cm.is_billable("U07.1", dt.date(2020, 10, 1))
    assert not icd10cm.is_billable("M54.50", dt.date(2020, 6, 1))  # absent in both
    assert icd10cm.is_billable("M62.81", dt.date(2019, 1, 1))  # unchanged in every release


def test_history_file_agrees_with_the_current_release():
    for release in icd10cm.RELEASES[:-1]:
        diff = changes()[release.id]
        assert diff.added_later and not diff.added_later & diff.billable_then
        assert all(icd10cm.is_billable(icd10cm.format(c)) for c in sorted(diff.added_later)[:200])
        assert not any(icd10cm.is_billable(icd10cm.format(c)) for c in diff.billable_then)
    assert icd10cm.RELEASES[-1] is icd10cm.RELEASE
    windows = [(r.effective_from, r.effective_to) for r in icd10cm.RELEASES]
    assert windows == sorted(windows)


# FY2016-FY2019 (icd.data's copies of CMS's order files): for each release a code it added and a
# code it deleted, as the CDC addenda list them; the day before and after the 1 October change.
@pytest.mark.parametrize(
    ("added", "deleted", "first_day"),
    [
        ("A92.5", "H40.11X0", dt.date(2016, 10, 1)),  # FY2017: Zika; glaucoma split by eye
        ("A04.71", "S06.1X7D", dt.date(2017, 10, 1)),  # FY2018: recurrent C. difficile
        ("C43.111", "T81.4XXA", dt.date(2018, 10, 1)),  # FY2019: eyelid melanoma by lid
        ("D75.A", "T67.0XXA", dt.date(2019, 10, 1)),  # FY2020: heatstroke split
        ("M54.50", "T40.7X1A", dt.date(2021, 10, 1)),  # FY2022: back pain, cannabis split
        ("C81.0A", "T81.32XA", dt.date(2024, 10, 1)),  # FY2025: lymphoma in remission
        ("B88.01", "S30.1XXA", dt.date(2025, 10, 1)),  # FY2026 (the current list)
    ],
)
def test_each_fiscal_year_release_adds_and_deletes_codes_on_1_october(added, deleted, first_day):
    last_day = first_day - dt.timedelta(days=1)
    assert icd10cm.is_billable(deleted, last_day)
    assert icd10cm.is_billable(added, first_day)
    with pytest.raises(CodeNotEffective) as refused:
        icd10cm.validate(added, last_day)
    assert f"ICD-10-CM FY{last_day.year + (last_day.month >= 10)}" in str(refused.value)
    with pytest.raises(CodeNotEffective) as gone:
        icd10cm.validate(deleted, first_day)
    assert "deleted" in str(gone.value)


def test_fy2016_the_first_icd10cm_release_is_checked_exactly():
    first = dt.date(2015, 10, 1)
    match = icd10cm.release_for(first)
    assert match.exact and match.release.fiscal_year == 2016
    assert icd10cm.is_billable("M54.5", first) and icd10cm.is_billable("O34.21", first)
    assert not icd10cm.is_billable("O34.21", dt.date(2016, 10, 1))  # FY2017: split by scar type
    with pytest.raises(CodeNotEffective):
        icd10cm.validate("I16.0", dt.date(2016, 9, 30))  # hypertensive urgency: FY2017


def test_shipped_releases_have_the_cdc_counts_of_billable_codes():
    # FY2016 69,823; FY2017 71,486; FY2018 71,704; FY2019 71,932 (CDC/CMS release notes)
    now = sum(1 for key in icd10cm._index() if icd10cm._index()[key].billable)
    expected = {"2015-10": 69823, "2016-10": 71486, "2017-10": 71704, "2018-10": 71932}
    # FY2021 January 72,621; FY2022 72,748; FY2023 73,639; FY2024 74,044; FY2025 74,260
    expected |= {"2021-01": 72621, "2021-10": 72748, "2022-10": 73639, "2023-10": 74044}
    expected |= {"2024-10": 74260, "2019-10": 72184, "2020-10": 72616, "2022-04": 72750}
    expected |= {"2023-04": 73674}  # the counts in CDC's addenda summaries
    for release, count in expected.items():
        diff = changes()[release]
        assert now - len(diff.added_later) + len(diff.billable_then) == count, release


def test_mid_year_updates_take_effect_on_their_first_day():
    # FY2021 October 2020 (A84.81, Powassan) and January 2021 (Z20.822) releases
    assert not icd10cm.is_billable("A84.81", dt.date(2020, 3, 31))
    assert icd10cm.is_billable("A84.81", dt.date(2020, 10, 1))
    assert icd10cm.is_billable("T40.4X1A", dt.date(2020, 3, 31))  # split in October 2020
    assert not icd10cm.is_billable("T40.4X1A", dt.date(2020, 10, 1))
    assert not icd10cm.is_billable("Z20.822", dt.date(2020, 12, 31))
    assert icd10cm.is_billable("Z20.822", dt.date(2021, 1, 1))
    # April 2022: Z28.3 (underimmunization) split, Z28.310 (unvaccinated for COVID-19) added
    assert icd10cm.is_billable("Z28.3", dt.date(2022, 3, 31))
    with pytest.raises(NotBillable):
        icd10cm.validate("Z28.3", dt.date(2022, 4, 1))
    with pytest.raises(CodeNotEffective):
        icd10cm.validate("Z28.310", dt.date(2022, 3, 31))
    assert icd10cm.is_billable("Z28.310", dt.date(2022, 4, 1))
    # April 2023: T74.A1XA (child financial abuse) added, Z59.1 (housing) split
    assert not icd10cm.is_billable("T74.A1XA", dt.date(2023, 3, 31))
    assert icd10cm.is_billable("T74.A1XA", dt.date(2023, 4, 1))
    assert icd10cm.is_billable("Z59.1", dt.date(2023, 3, 31))
    assert not icd10cm.is_billable("Z59.1", dt.date(2023, 4, 1))
    for on in (dt.date(2020, 12, 31), dt.date(2022, 4, 1), dt.date(2023, 9, 30)):
        assert icd10cm.release_for(on).exact, on


def test_fy2023_and_fy2024_releases_are_checked_on_the_right_side_of_1_october():
    # FY2023 (October 2022) added B37.31 and deleted O35.0XX0
    assert not icd10cm.is_billable("B37.31", dt.date(2022, 9, 30))
    assert icd10cm.is_billable("B37.31", dt.date(2022, 10, 1))
    assert icd10cm.is_billable("O35.0XX0", dt.date(2022, 9, 30))
    with pytest.raises(CodeNotEffective):
        icd10cm.validate("O35.0XX0", dt.date(2022, 10, 1))
    # FY2024 (October 2023, unchanged in April 2024) added D13.91; April 2023 did not have it
    assert not icd10cm.is_billable("D13.91", dt.date(2023, 9, 30))
    assert icd10cm.is_billable("D13.91", dt.date(2023, 10, 1))
    assert icd10cm.release_for(dt.date(2024, 6, 1)).exact
