"""A rename must never make two different operands the same.

`if conn.tenant_id and conn.user_id:` renamed to `if conn.user_id and
conn.user_id:` still parses and still type-checks, and now tests one field
twice: a silent change of meaning. Before a fix round is applied, the fixes
whose result holds more such pairs than the text before them (the operands
of `and`/`or`, of a comparison, or two arguments of one call, written the
same) are held back and reported instead. Python only, for now.

Only the expressions on the lines the edits touch are compared: the rest
of the text is the same before and after, and so are its pairs.
"""

from __future__ import annotations

import ast
from bisect import bisect_left
from itertools import combinations
from typing import Callable, Iterable

from nooble_codemod.engine.edits import apply_edits
from nooble_codemod.model import Edit


def collapsed_pairs(text: str, words: frozenset[str], lines: list[int] | None = None) -> int | None:
    """How many pairs of operands (or call arguments) holding one of `words`
    are written the same, in the expressions that reach one of `lines`
    (sorted, 1-based; None: all); None when the text does not parse. Only
    operands with a word a fix writes can be made the same by it, so only
    those are compared (as source text, blanks aside)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    encoded = text.encode("utf-8").splitlines(keepends=True)
    count = 0
    todo = [tree]
    while todo:
        node = todo.pop()
        for child in ast.iter_child_nodes(node):
            if lines is None or _reaches(child, lines):
                todo.append(child)
        if isinstance(node, ast.BoolOp):
            operands = node.values
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
        elif isinstance(node, ast.Call):
            operands = [*node.args, *(k.value for k in node.keywords if k.arg is not None)]
        else:
            continue
        if len(operands) < 2:
            continue
        segments = [s for s in (_segment(encoded, o) for o in operands if not isinstance(o, ast.Constant))
                    if any(w in s for w in words)]
        if len(segments) > 1:
            count += sum(1 for a, b in combinations(segments, 2) if a == b)
    return count


def _reaches(node, lines: list[int]) -> bool:
    first = getattr(node, "lineno", None)
    if first is None:
        return True  # operators, arguments, comprehensions: no position of their own
    at = bisect_left(lines, first)
    return at < len(lines) and lines[at] <= node.end_lineno


def _segment(lines: list[bytes], node: ast.expr) -> str:
    first, last = node.lineno - 1, node.end_lineno - 1
    if first == last:
        raw = lines[first][node.col_offset:node.end_col_offset]
    else:
        raw = lines[first][node.col_offset:] + b"".join(lines[first + 1:last]) + lines[last][:node.end_col_offset]
    return "".join(raw.decode("utf-8", "replace").split())


def hold_back(before: bytes, fixes: list, words: frozenset[str],
              edits_of: Callable[[object], Iterable[Edit]] = lambda f: f.fix.edits) -> tuple[list, list]:
    """(the fixes that may be applied, those held back): `before` is the
    text (UTF-8) the fixes' edits apply to, `words` what they write. Fixes
    are added one at a time, and one that adds a collapsed pair is held back."""
    words = frozenset(w for w in words if w.strip())
    if not fixes or not words:
        return fixes, []
    text = before.decode("utf-8")

    def pairs(chosen: list) -> tuple[int | None, int | None]:
        edits = sorted({e for f in chosen for e in edits_of(f)})
        was, now = _touched(before, edits)
        return (collapsed_pairs(text, words, was),
                collapsed_pairs(apply_edits(before, edits).decode("utf-8"), words, now))

    base, after = pairs(fixes)
    if base is None or after is None or after <= base:
        return fixes, []
    kept, held = [], []
    for fix in fixes:
        base, count = pairs(kept + [fix])
        if count is not None and base is not None and count > base:
            held.append(fix)
        else:
            kept.append(fix)
    return kept, held


def _touched(data: bytes, edits: list[Edit]) -> tuple[list[int], list[int]]:
    """The lines (1-based) the sorted `edits` span in `data`, and those their
    texts span once applied."""
    was, now = [], []
    line, at, shift = 1, 0, 0  # shift: lines the edits before added (or removed)
    for e in edits:
        line += data.count(b"\n", at, e.start)
        at = e.start
        gone = data.count(b"\n", e.start, e.end)
        added = e.text.count("\n")
        was.extend(range(line, line + gone + 1))
        now.extend(range(line + shift, line + shift + added + 1))
        shift += added - gone
    return sorted(set(was)), sorted(set(now))
