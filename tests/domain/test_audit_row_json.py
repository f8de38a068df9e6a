"""``row_json`` writes an audit row's canonical JSON from its images' text: it must be byte for
byte what ``canonical_json`` of the whole content gives, or every hash of the chain would differ
from what ``audit verify`` recomputes."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from otbill.domain.audit import canonical_json, row_json

_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)  # quotes, controls, any script
_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63), _TEXT)
_IMAGE = st.one_of(
    st.none(),
    st.dictionaries(
        _TEXT,
        st.recursive(_SCALAR, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(_TEXT, inner, max_size=3), max_leaves=8),
        max_size=5,
    ),
)  # fmt: skip


@given(
    clinic_id=st.integers(1, 2**31),
    seq=st.integers(1, 2**31),
    at=st.datetimes().map(lambda d: d.isoformat(timespec="microseconds")),
    actor_id=st.one_of(st.none(), st.integers(1, 2**31)),
    action=_TEXT,
    entity=_TEXT,
    entity_id=_TEXT,
    before=_IMAGE,
    after=_IMAGE,
)
def test_row_json_is_the_canonical_json_of_the_content(**content: Any) -> None:
    before, after = content["before"], content["after"]

    def text(image: Any) -> str | None:
        return None if image is None else canonical_json(image, plain=True).decode("utf-8")

    assert row_json(content, text(before), text(after)) == canonical_json(content, plain=True)
