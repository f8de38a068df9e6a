"""Seeds and mutations for the fuzz tests (tests/fuzz): real inputs, changed the way bad files are.

Seeds are the shared X12 corpus (found through ``support.shared``), the repository's examples and
the small files of ``support.x12samples``. A mutation is a Hypothesis-drawn list of edits:
an element replaced by a value known to have broken readers (``9e999999``, ``²``, a 40-digit
number, the UTF-8 bytes of a lone surrogate), a segment dropped or repeated, the file cut short, bytes flipped or
inserted. Drawing plain integers (taken modulo the sizes) keeps every example replayable with
``derandomize``.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

from otbill.x12.findings import X12Error
from otbill.x12.tokens import detect_delimiters
from support.claimkit import clean_claim_data
from support.shared import REPO_ROOT, shared_path
from support.x12samples import one_claim_837p, tiny_835, tiny_999

__all__ = [
    "claim_json_seeds",
    "json_mutations",
    "mutate_json",
    "mutate_x12",
    "x12_mutations",
    "x12_seeds",
]

# Values that once crashed or hung a reader, and their cousins.
NASTY = [
    "9e999999", "-9E+999999", "1e-999999", "NaN", "Infinity", "²", "１２", "٣", "1_000",
    "9" * 40, "0." + "0" * 40 + "1", "-", ".", "+5", "", " ", "99999999999999999999",
    "\udced\udca0\udc80", "\x00", "A" * 300, "20250230", "99999999", "*", ":", "~", "^",
]  # fmt: skip
JSON_NASTY = [
    "9e999999", "-1e400", "1" + "0" * 5000, "NaN", "Infinity", '"\\ud800"', '"\\udfff x"',
    "[" * 1200 + "]" * 1200, '{"a":' * 50 + "1" + "}" * 50, "null", "true", '"²"', '"１２"',
    "-0", "1e-400", '""', "[]", "{}", '"' + "x" * 10_000 + '"',
]  # fmt: skip


def x12_seeds() -> list[tuple[str, bytes]]:
    """(name, bytes) of every seed X12 file: the samples, then the corpus when it is there."""
    seeds = [
        ("sample.837", one_claim_837p()),
        ("sample.835", tiny_835()),
        ("sample.999", tiny_999()),
    ]
    corpus = shared_path("corpus/x12")
    if corpus.is_dir():
        files = sorted(p for d in corpus.iterdir() if d.is_dir() and d.name != "LICENSES"
                       for p in d.iterdir() if p.is_file())  # fmt: skip
        seeds += [(f"{p.parent.name}/{p.name}", p.read_bytes()) for p in files]
    return seeds


def claim_json_seeds() -> list[tuple[str, bytes]]:
    examples = sorted((REPO_ROOT / "examples").glob("*.json"))
    seeds = [(p.name, p.read_bytes()) for p in examples]
    return [*seeds, ("clean claim", json.dumps(clean_claim_data()).encode())]


def _edit_strategy() -> st.SearchStrategy[tuple[str, int, int, int]]:
    kinds = st.sampled_from(["element", "element", "element", "drop", "repeat", "cut", "flip",
                             "insert"])  # fmt: skip
    index = st.integers(0, 1 << 20)
    return st.tuples(kinds, index, index, st.integers(0, 255))


def x12_mutations() -> st.SearchStrategy[list[tuple[str, int, int, int]]]:
    return st.lists(_edit_strategy(), min_size=1, max_size=4)


json_mutations = x12_mutations


def _delimiters(text: str) -> tuple[str, str]:
    try:
        found = detect_delimiters(text.lstrip("\ufeff \t\r\n")[:4096])
    except (X12Error, IndexError):
        return "*", "~"
    return found.element, found.segment


def mutate_x12(data: bytes, edits: list[tuple[str, int, int, int]]) -> bytes:
    """``data`` with each edit applied: element values swapped for NASTY ones, segments dropped or
    repeated, the file cut, bytes flipped or inserted."""
    for kind, at, which, byte in edits:
        if kind in ("element", "drop", "repeat"):
            text = data.decode("utf-8", errors="surrogateescape")
            element, terminator = _delimiters(text)
            segments = text.split(terminator)
            n = at % len(segments)
            if kind == "element":
                parts = segments[n].split(element)
                parts[which % len(parts)] = NASTY[byte % len(NASTY)]
                segments[n] = element.join(parts)
            elif kind == "drop":
                del segments[n]
            else:
                segments.insert(n, segments[n])
            data = terminator.join(segments).encode("utf-8", errors="surrogateescape")
        else:
            data = _bytes_edit(data, kind, at, byte)
    return data


def mutate_json(data: bytes, edits: list[tuple[str, int, int, int]]) -> bytes:
    """``data`` with JSON values swapped for JSON_NASTY ones (after a ``:`` or ``[``, ``,``),
    structure dropped or repeated, or bytes cut, flipped or inserted."""
    for kind, at, which, byte in edits:
        if kind == "element":
            text = data.decode("utf-8", errors="surrogateescape")
            starts = [i + 1 for i, c in enumerate(text) if c in ":[,"] or [0]
            start = starts[at % len(starts)]
            end = _value_end(text, start)
            text = text[:start] + JSON_NASTY[(which + byte) % len(JSON_NASTY)] + text[end:]
            data = text.encode("utf-8", errors="surrogateescape")
        elif kind in ("drop", "repeat"):
            cut = at % (len(data) + 1)
            span = data[cut : cut + 1 + which % 40]
            data = data[:cut] + (span * 2 if kind == "repeat" else b"") + data[cut + len(span) :]
        else:
            data = _bytes_edit(data, kind, at, byte)
    return data


def _value_end(text: str, start: int) -> int:
    """Where the scalar value starting at ``start`` ends (a nested value: its first character)."""
    i = start
    while i < len(text) and text[i] == " ":
        i += 1
    if i < len(text) and text[i] == '"':
        i += 1
        while i < len(text) and text[i] != '"':
            i += 2 if text[i] == "\\" else 1
        return min(i + 1, len(text))
    while i < len(text) and text[i] not in ",]}":
        i += 1
    return i


def _bytes_edit(data: bytes, kind: str, at: int, byte: int) -> bytes:
    n = at % (len(data) + 1)
    if kind == "cut":
        return data[:n]
    if kind == "flip" and n < len(data):
        return data[:n] + bytes([data[n] ^ (byte or 0x80)]) + data[n + 1 :]
    return data[:n] + bytes([byte]) + data[n:]
