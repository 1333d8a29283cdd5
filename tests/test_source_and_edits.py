"""Text round trips (encoding, BOM, newlines) and edit application."""

from __future__ import annotations

import codecs

import pytest

from nooble_codemod.engine.edits import EditConflict, apply_edits, choose_fixes
from nooble_codemod.model import Edit, Finding, Fix, Severity
from nooble_codemod.fs.source import DecodeError, SourceText


@pytest.mark.parametrize("raw", [
    b"a\nb\n",
    b"a\r\nb\r\n",
    b"a\r\nb\nc",  # mixed newlines, no final newline
    codecs.BOM_UTF8 + b"const x = 1;\n",
    b"\tindented\n\n\n",
    b"",
    "caf\u00e9 \u2603\n".encode(),
])
def test_decode_encode_is_byte_exact(raw):
    src = SourceText.decode(raw)
    assert src.encode(src.text) == raw


def test_python_coding_cookie_is_kept():
    raw = "# -*- coding: latin-1 -*-\nname = 'caf\u00e9'\n".encode("latin-1")
    src = SourceText.decode(raw, python=True)
    assert src.encoding == "iso8859-1"
    assert "caf\u00e9" in src.text
    assert src.encode(src.text) == raw


def test_non_utf8_names_the_byte():
    with pytest.raises(DecodeError, match=r"not valid utf-8: byte 0xe9 at offset 3"):
        SourceText.decode("caf\u00e9".encode("latin-1"))


def test_positions_count_characters_not_bytes():
    src = SourceText("\u00e9\u00e9 x\r\ny")
    assert src.position(src.data.index(b"x")) == (1, 4)
    assert src.position(src.data.index(b"y")) == (2, 1)
    assert src.offset(1, 3) == src.data.index(b"x")
    assert src.newline == "\r\n"


def test_apply_edits_in_any_order_and_dedupes_identical():
    data = b"hello world"
    out = apply_edits(data, [Edit(6, 11, "there"), Edit(0, 5, "HELLO"), Edit(0, 5, "HELLO")])
    assert out == b"HELLO there"


def test_overlapping_edits_are_refused():
    with pytest.raises(EditConflict):
        apply_edits(b"abcdef", [Edit(0, 3, "x"), Edit(2, 4, "y")])


def _finding(start, end, text, rule="r"):
    return Finding(rule, "FE-1", "f.ts", 1, start + 1, 1, end + 1, Severity.ERROR, "m", start, end,
                   Fix((Edit(start, end, text),)))


def test_choose_fixes_skips_a_fix_that_overlaps_an_earlier_one():
    a, b, c = _finding(0, 4, "x"), _finding(2, 6, "y", rule="s"), _finding(8, 9, "z")
    assert choose_fixes([c, b, a]) == [a, c]


def test_two_insertions_at_one_point_conflict():
    a, b = _finding(3, 3, "x"), _finding(3, 3, "y", rule="s")
    assert len(choose_fixes([a, b])) == 1
