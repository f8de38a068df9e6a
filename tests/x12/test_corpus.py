"""Every corpus file, every reader: read, or refused with an X12Error naming the segment; no crash."""

from __future__ import annotations

import pytest

from otbill.x12.dispatch import check_envelope, read_any
from otbill.x12.findings import X12Error
from otbill.x12.read_277ca import read_277ca
from otbill.x12.read_835 import read_835
from otbill.x12.read_837p import read_837p
from otbill.x12.read_999 import read_999
from support.x12kit import corpus_dir, corpus_files

pytestmark = pytest.mark.shared("corpus/x12")

READERS = {"837p": read_837p, "835": read_835, "999": read_999, "277ca": read_277ca}
ALL = corpus_files()

# The 835 files that are themselves broken: refused, with exactly this message.
REFUSED_835 = {
    "e835--blue_cross_nc_sample.txt": "segment 28 SVC SVC02: is empty, expected an amount",
    "e835aff--sample_835.txt": "segment 23 CAS CAS03: 'amount' is not a number",
    "e835aff--sample_835_with_interests.txt": "segment 23 CAS CAS03: 'amount' is not a number",
    "oop--Example1.txt": "segment 98 CLP CLP03: is empty, expected an amount",
}


def test_the_corpus_is_all_there():
    assert len(ALL) == 94


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_reader_crashes_on_any_file(path):
    for reader in READERS.values():
        try:
            reader(path)
        except X12Error as exc:
            assert exc.position is None or exc.position >= 1
            assert str(exc)


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_file_tokenizes_and_envelopes(path):
    findings = check_envelope(path)
    assert all(f.position is None or f.position >= 1 for f in findings)


@pytest.mark.parametrize("path", corpus_files("835"), ids=lambda p: p.name)
def test_every_835_is_read_or_refused_exactly(path):
    if path.name in REFUSED_835:
        with pytest.raises(X12Error) as exc:
            read_835(path)
        assert str(exc.value) == REFUSED_835[path.name]
    else:
        result = read_835(path)
        assert result.remittances and all(r.header.control_number for r in result.remittances)


@pytest.mark.parametrize("folder", ["999", "277ca"])
def test_every_acknowledgement_is_read(folder):
    for path in corpus_files(folder):
        READERS[folder](path)


@pytest.mark.parametrize("path", corpus_files("legacy-4010"), ids=lambda p: p.name)
def test_4010_files_are_not_read_as_5010(path):
    for reader in (read_837p, read_835):
        try:
            result = reader(path)
        except X12Error:
            continue
        assert result.findings, "a 4010 file read as 5010 without a single finding"


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_read_any_reads_supported_kinds_and_refuses_the_rest(path):
    try:
        document = read_any(path)
    except X12Error as exc:
        assert str(exc)
        return
    assert document["transaction"] in ("837P", "835", "999", "277CA", "270", "271", "276", "277")
    assert path.parent.name in ("837p", "835", "999", "277ca", "837i", "legacy-4010", "270",
                                "271", "276", "277")  # fmt: skip
    assert corpus_dir() in path.parents
