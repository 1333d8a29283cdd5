"""A fix that would make two different operands the same is held back."""

from __future__ import annotations

from nooble_codemod.engine.collapse import _touched, collapsed_pairs, hold_back
from nooble_codemod.model import Edit


def test_pairs_written_the_same_are_counted():
    words = frozenset({"x", "a", "b"})
    assert collapsed_pairs("a and b\nf(a, b)\na != b\n", words) == 0
    assert collapsed_pairs("a.x and a.x\nf(a.x, a.x)\na.x != a.x\nf(k=a.x, j=a.x)\n", words) == 4
    assert collapsed_pairs("f(a.x,\n  a . x)\n", words) == 1  # blanks aside
    assert collapsed_pairs("f(1, 1)\n'x' == 'x'\n", words) == 0  # constants repeat harmlessly
    assert collapsed_pairs("y and y\n", words) == 0  # no word a fix writes: not its doing
    assert collapsed_pairs("def (:\n", words) is None


def test_only_the_fixes_that_collapse_are_held_back():
    before = b"if c.old and c.new:\n    pass\nprint(c.old)\n"

    def rename(line_start: int, new: str = "c.new") -> list[Edit]:
        start = before.index(b"c.old", line_start)
        return [Edit(start, start + len(b"c.old"), new)]

    fixes = [rename(0), rename(before.index(b"print"))]
    words = frozenset({"c.new"})
    kept, held = hold_back(before, fixes, words, edits_of=lambda f: f)
    assert kept == [fixes[1]] and held == [fixes[0]]
    assert hold_back(before, [fixes[1]], words, edits_of=lambda f: f) == ([fixes[1]], [])


def test_only_the_lines_the_edits_touch_are_compared():
    text = "a.x and a.x\nf(a.x,\n  a.x)\nb = 1\n"
    words = frozenset({"x"})
    assert collapsed_pairs(text, words) == 2
    assert collapsed_pairs(text, words, [1]) == 1
    assert collapsed_pairs(text, words, [3]) == 1  # the call reaches line 3
    assert collapsed_pairs(text, words, [4]) == 0


def test_lines_before_and_after_edits_that_add_lines():
    data = b"a\nbb\nccc\nd\n"
    edits = [Edit(2, 4, "x\ny\nz"), Edit(9, 10, "e")]  # bb -> three lines; d -> e
    assert _touched(data, edits) == ([2, 4], [2, 3, 4, 6])


def test_a_held_back_fix_is_reported_for_a_human(spec):
    from nooble_codemod.engine.pipeline import Pipeline
    from nooble_codemod.model import FileStatus
    from nooble_codemod.settings import Settings

    # Conn declares tenant_id only (user_id comes through __getattr__): renaming
    # the field would turn the check into `conn.user_id and conn.user_id`.
    raw = (b"class Conn:\n    tenant_id: str = ''\n\n    def __getattr__(self, name: str) -> str:\n"
           b"        return ''\n\n\ndef ok(conn: Conn):\n    return conn.tenant_id and conn.user_id\n\n\n"
           b"def owner(conn: Conn):\n    return conn.tenant_id\n")
    result = Pipeline(spec, Settings()).process("auth.py", raw, fix=True)
    assert result.status is FileStatus.UNCHANGED  # the whole group, not its other sites alone
    held = [f for f in result.findings if f.rule == "py-symbol-rename"]
    assert [f.line for f in held] == [2, 9, 13]
    assert all(f.fix is None and "it would make two operands the same" in f.message for f in held)
