"""A rename must never make two different operands the same.

`if conn.tenant_id and conn.user_id:` renamed to `if conn.user_id and
conn.user_id:` still parses and still type-checks, and now tests one field
twice: a silent change of meaning. Before a fix round is applied, the fixes
whose result holds more such pairs than the text before them (the operands
of `and`/`or`, of a comparison, or two arguments of one call, written the
same) are held back and reported instead. Python only, for now.
"""

from __future__ import annotations

import ast
from itertools import combinations
from typing import Callable


def collapsed_pairs(text: str, words: frozenset[str]) -> int | None:
    """How many pairs of operands (or call arguments) holding one of `words`
    are written the same; None when the text does not parse. Only operands
    with a word a fix writes can be made the same by it, so only those are
    compared (as source text, blanks aside)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    lines = text.encode("utf-8").splitlines(keepends=True)
    count = 0
    for node in ast.walk(tree):
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
        segments = [s for s in (_segment(lines, o) for o in operands if not isinstance(o, ast.Constant))
                    if any(w in s for w in words)]
        if len(segments) > 1:
            count += sum(1 for a, b in combinations(segments, 2) if a == b)
    return count


def _segment(lines: list[bytes], node: ast.expr) -> str:
    first, last = node.lineno - 1, node.end_lineno - 1
    if first == last:
        raw = lines[first][node.col_offset:node.end_col_offset]
    else:
        raw = lines[first][node.col_offset:] + b"".join(lines[first + 1:last]) + lines[last][:node.end_col_offset]
    return "".join(raw.decode("utf-8", "replace").split())


def hold_back(before: str, fixes: list, apply: Callable[[list], str],
              words: frozenset[str]) -> tuple[list, list]:
    """(the fixes that may be applied, those held back): `apply(fixes)` is
    the text with those fixes applied to `before`, `words` what they write.
    Fixes are added one at a time, and one that adds a collapsed pair is
    held back."""
    words = frozenset(w for w in words if w.strip())
    base = collapsed_pairs(before, words) if fixes and words else None
    after = collapsed_pairs(apply(fixes), words) if base is not None else None
    if base is None or after is None or after <= base:
        return fixes, []
    kept, held = [], []
    for fix in fixes:
        count = collapsed_pairs(apply(kept + [fix]), words)
        if count is not None and count > base:
            held.append(fix)
        else:
            kept.append(fix)
            base = count if count is not None else base
    return kept, held
