"""The indexed ICD-10-CM store: built once from the library, then read without it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, ClassVar

import pytest

from otbill.codes import _icd10cm_store as store


class FakeLibrary:
    """A three-code tree in the shape of simple_icd_10_cm's API (a chapter, a header, two leaves)."""

    tree: ClassVar[dict[str, list[str]]] = {
        "13": ["M62"],
        "M62": ["M62.8"],
        "M62.8": ["M62.81", "M62.82"],
    }
    words: ClassVar[dict[str, str]] = {
        "M62": "Other disorders of muscle",
        "M62.8": "Other specified disorders of muscle",
    }

    def get_all_codes(self, with_dots: bool = True) -> list[str]:
        return ["13", "M62", "M62.8", "M62.81", "M62.82"]

    def is_category_or_subcategory(self, code: str) -> bool:
        return code != "13"

    def is_leaf(self, code: str) -> bool:
        return code not in self.tree

    def get_children(self, code: str) -> list[str]:
        return self.tree[code]

    def get_description(self, code: str) -> str:
        return self.words.get(code, f"leaf {code}")


def _never() -> Any:
    raise AssertionError("the library was imported although the store was built")


def test_built_once_then_read_without_the_library(tmp_path: Path) -> None:
    built = store.open_store(tmp_path, "9.9", FakeLibrary)
    assert built.row("M628") == ("M62.8", False, "M62.81", "Other specified disorders of muscle")
    assert built.row("M6282") == ("M62.82", True, "", "leaf M62.82")
    assert built.row("13") is None  # a chapter is not a code one can report
    assert built.count() == 4 and list(built.keys()) == ["M62", "M628", "M6281", "M6282"]
    again = store.open_store(tmp_path, "9.9", _never)
    assert again.row("M62") == ("M62", False, "M62.81", "Other disorders of muscle")


def test_a_store_of_another_format_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / f"icd10cm-9.9-store{store.STORE_FORMAT}.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE meta (name TEXT, value TEXT); INSERT INTO meta VALUES ('format', '0');"
    )
    old.commit()
    old.close()
    assert store.open_store(tmp_path, "9.9", FakeLibrary).count() == 4


def test_an_unwritable_cache_falls_back_to_memory(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("")
    in_memory = store.open_store(blocked, "9.9", FakeLibrary)
    assert in_memory.row("M6281") == ("M62.81", True, "", "leaf M62.81")


@pytest.mark.parametrize("version", ["9.9", "10.0"])
def test_the_file_name_carries_the_library_version(tmp_path: Path, version: str) -> None:
    store.open_store(tmp_path, version, FakeLibrary)
    assert (tmp_path / f"icd10cm-{version}-store{store.STORE_FORMAT}.sqlite3").is_file()
