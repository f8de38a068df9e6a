"""The therapy code catalog: what each code is, and the errors for bad codes."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from otbill.codes import cpt
from otbill.errors import CodeNotEffective, MalformedCode, UnknownCode

FEB_2025 = dt.date(2025, 2, 14)


@pytest.mark.parametrize(
    "code",
    [
        "97110",
        "97112",
        "97116",
        "97140",
        "97530",
        "97533",
        "97535",
        "97537",
        "97542",
        "97750",
        "97755",
        "97760",
        "97761",
        "97763",
        "97129",
        "97130",
        "97032",
        "97033",
        "97034",
        "97035",
        "97036",
    ],
)
def test_timed_procedures(code):
    info = cpt.lookup(code, FEB_2025)
    assert info.timed and info.in_scope("OT") and not info.is_evaluation


@pytest.mark.parametrize(
    "code",
    [
        "97010",
        "97012",
        "97014",
        "G0283",
        "97016",
        "97018",
        "97022",
        "97024",
        "97026",
        "97028",
        "97150",
        "92526",
        "92610",
        "97165",
        "97166",
        "97167",
        "97168",
    ],
)
def test_untimed_services(code):
    info = cpt.lookup(code, FEB_2025)
    assert info.basis is cpt.Basis.UNTIMED and info.in_scope("OT")


def test_evaluations_and_scope():
    assert [cpt.lookup(c).evaluation for c in ("97165", "97166", "97167", "97168")] == [
        "eval",
        "eval",
        "eval",
        "reeval",
    ]
    for code in ("97161", "97162", "97163", "97164"):
        assert cpt.lookup(code).is_evaluation and not cpt.lookup(code).in_scope("OT")
    for code in ("92507", "92521", "92522", "92523", "92524"):
        assert cpt.lookup(code).disciplines == {"SLP"}


def test_medicare_bundles_hot_cold_packs():
    assert cpt.lookup("97010").medicare_bundled
    assert not cpt.lookup("97530").medicare_bundled


def test_remote_monitoring_and_2025_telehealth_codes_present():
    for code in ("98975", "98976", "98977", "98978", "98980", "98981"):
        assert cpt.is_valid(code, FEB_2025)
    for n in range(98000, 98017):
        assert cpt.is_valid(str(n), FEB_2025)
        assert not cpt.is_valid(str(n), dt.date(2024, 12, 31))
        assert not cpt.lookup(str(n)).in_scope("OT")


def test_deleted_code_keeps_its_end_date():
    info = cpt.lookup("97127")
    assert info.effective_to == dt.date(2019, 12, 31)
    assert cpt.is_valid("97127", dt.date(2019, 6, 1))
    with pytest.raises(CodeNotEffective, match="97127.*2019-12-31") as exc:
        cpt.validate("97127", FEB_2025)
    assert exc.value.code == "97127"


def test_code_before_its_start_date():
    with pytest.raises(CodeNotEffective, match="97550.*2024-01-01"):
        cpt.validate("97550", dt.date(2023, 6, 1))


@pytest.mark.parametrize("bad", ["9711", "971100", "97-10", "ABCDE", ""])
def test_malformed_codes_are_named(bad):
    with pytest.raises(MalformedCode) as exc:
        cpt.validate(bad)
    assert repr(bad) in str(exc.value)


def test_unknown_code_is_named():
    with pytest.raises(UnknownCode, match="99213"):
        cpt.validate("99213")
    assert not cpt.is_valid("99213")


def test_compact_accepts_case_and_blanks():
    assert cpt.validate(" g0283 ") == "G0283"


def test_medicare_telehealth_list_by_date():
    assert cpt.on_medicare_telehealth_list("97530", FEB_2025)
    assert not cpt.on_medicare_telehealth_list("97530", dt.date(2028, 1, 1))
    assert not cpt.on_medicare_telehealth_list("97140", FEB_2025)
    assert not cpt.on_medicare_telehealth_list("98016", dt.date(2024, 6, 1))


def test_catalog_descriptions_are_ours_and_every_row_names_a_source():
    for info in cpt.all_codes():
        assert info.description and info.source
        # CPT descriptors open with these words; ours never quote them.
        assert not re.match(r"(?i)^therapeutic procedure, 1 or more areas", info.description)
    assert len(cpt.all_codes()) >= 90


def test_code_families_name_their_primary_and_add_on():
    """Every "first N minutes / each additional" pair of the catalog (issue 11 item 27)."""
    families = {c.add_on_to: c.code for c in cpt.all_codes() if c.add_on_to}
    assert families == {
        "97129": "97130", "97545": "97546", "97550": "97551", "98980": "98981", "97597": "97598",
    }  # fmt: skip
    for primary, add_on in families.items():
        assert cpt.add_on_of(primary) == add_on and cpt.add_on_of(add_on) is None
        first, rest = cpt.lookup(primary), cpt.lookup(add_on)
        assert first.basis == rest.basis and first.disciplines == rest.disciplines
        if first.basis is not cpt.Basis.OTHER:  # time-based primaries are billed once a day
            assert first.max_units_day == 1
    assert cpt.add_on_of("97110") is None
