"""engine/references.py: the `path:line` sites a message lists, moved to
where their lines are in a text with lines put in or edited."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nooble_codemod.engine.references import edited_map, inserted_map, moved
from nooble_codemod.model import Finding, Severity


def _finding(message: str) -> Finding:
    return Finding("rule", "X-1", "a.py", 1, 1, 1, 2, Severity.ERROR, message)


def test_sites_move_by_their_own_files_map_and_a_checkers_with_a_column_may_stay():
    maps = {"a.py": lambda n: n + 10, "b/a.py": lambda n: n + 100}
    f = _finding("see a.py:3, b/a.py:4 and xa.py:5; pyright at a.py:6:2")
    assert moved([f], maps)[0].message == "see a.py:13, b/a.py:104 and xa.py:5; pyright at a.py:16:2"
    assert moved([f], maps, with_column=False)[0].message == "see a.py:13, b/a.py:104 and xa.py:5; pyright at a.py:6:2"
    plain = _finding("nothing to move")
    assert moved([plain], maps)[0] is plain


def test_lines_put_in_above_a_line_move_it_down():
    line_of = inserted_map([(2, 1), (5, 3)])  # one line above line 2, three above line 5
    assert [line_of(n) for n in (1, 2, 4, 5, 9)] == [1, 3, 5, 9, 13]


def test_an_edited_line_stays_at_its_place_in_the_lines_that_replaced_it():
    old = "a\nb = 1\nc\nd\ne\n"
    new = "a\nb = 1  # more\nnote\nnote 2\nc\ne\n"  # b edited and grown by two lines, d removed
    line_of = edited_map(old, new)
    assert [line_of(n) for n in (1, 2, 3, 4, 5)] == [1, 2, 5, 6, 6]


@given(st.lists(st.sampled_from(["keep", "edit", "drop", "add"]), max_size=40))
def test_every_line_kept_is_found_where_it_went(ops):
    old, new, kept = [], [], []
    for i, op in enumerate(ops):
        if op == "add":
            new.append(f"added {i}")
            continue
        old.append(f"line {i}")
        if op == "keep":
            new.append(f"line {i}")
            kept.append(len(old))
        elif op == "edit":
            new.append(f"line {i} edited")
    line_of = edited_map("\n".join(old), "\n".join(new))
    for n in kept:
        assert new[line_of(n) - 1] == old[n - 1]
