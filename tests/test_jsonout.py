"""jsonout.dumps writes what json.dumps(indent=2, ensure_ascii=False) writes."""

from __future__ import annotations

import json
from enum import Enum

from hypothesis import given, settings
from hypothesis import strategies as st

from nooble_codemod.output import jsonout

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text()
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text() | st.integers() | st.booleans() | st.none(), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_same_text_as_the_standard_library(doc):
    assert jsonout.dumps(doc) == json.dumps(doc, indent=2, ensure_ascii=False)


class Level(str, Enum):
    ERROR = "error"


def test_str_enums_empty_containers_and_unicode():
    doc = {"level": Level.ERROR, "empty": [], "none": {}, "text": 'ünï "quoted"\n\u2028', 1.5: [True, None]}
    assert jsonout.dumps(doc) == json.dumps(doc, indent=2, ensure_ascii=False)


def test_what_json_refuses_it_refuses():
    import pytest

    with pytest.raises(TypeError):
        jsonout.dumps({"x": object()})
    with pytest.raises(TypeError):
        jsonout.dumps({(1, 2): 1})


def test_many_dicts_of_one_shape_as_a_report_has():
    findings = [{"rule": f"r{i % 3}", "line": i, "fixable": i % 2 == 0, "end": None, "message": "ü \"x\""}
                for i in range(50)]
    doc = {"findings": findings, "checklist": [{"id": "A", "manual": findings[:3], "files": []}], "n": 1.0}
    assert jsonout.dumps(doc) == json.dumps(doc, indent=2, ensure_ascii=False)
    assert jsonout.dumps(doc) == json.dumps(doc, indent=2, ensure_ascii=False)  # with the shapes remembered
