"""JSON text as the reports and the caches write it.

orjson encodes it: the standard library's encoder runs in pure Python as soon
as `indent` is given, and a cold run's report and result cache are a tenth
of its serial tail. What orjson refuses (a lone surrogate, an integer past
64 bits, a key that is not a string) goes through the standard library,
which then says what is wrong, as before. For everything else both write
the same text (tests/test_jsontext.py holds them equal).
"""

from __future__ import annotations

import json

import orjson


def pretty(doc) -> str:
    """`json.dumps(doc, indent=2, ensure_ascii=False) + "\\n"`: the reports."""
    try:
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode()
    except TypeError:  # orjson.JSONEncodeError is one
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def compact(doc) -> str:
    """`json.dumps(doc, separators=(",", ":"), ensure_ascii=False)`: the caches."""
    try:
        return orjson.dumps(doc).decode()
    except TypeError:
        return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
