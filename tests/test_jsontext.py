"""The JSON the reports and caches write (jsontext.py) is the standard
library's text, byte for byte, whichever encoder made it."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from nooble_codemod import jsontext

# What the documents hold: no floats (no report or cache writes one).
_SCALARS = st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | st.text()
_DOCS = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(_DOCS)
def test_pretty_is_the_standard_librarys_indented_text(doc):
    assert jsontext.pretty(doc) == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


@settings(max_examples=400, deadline=None)
@given(_DOCS)
def test_compact_is_the_standard_librarys_compact_text(doc):
    assert jsontext.compact(doc) == json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


def test_what_orjson_refuses_goes_through_the_standard_library():
    for doc in ({"big": 2**70}, {"s": "\ud800 lone surrogate"}, {1: "int key"}, [{"nested": {2: [2**65]}}]):
        assert jsontext.pretty(doc) == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        assert jsontext.compact(doc) == json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


def test_what_neither_encodes_is_the_standard_librarys_error():
    import pytest

    with pytest.raises(TypeError, match="not JSON serializable"):
        jsontext.pretty({"x": object()})
