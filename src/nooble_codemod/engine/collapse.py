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


def collapsed_pairs(text: str) -> int | None:
    """How many pairs of operands (or call arguments) are written the same;
    None when the text does not parse."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
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
        dumps = [ast.dump(o) for o in operands if not isinstance(o, ast.Constant)]
        count += sum(1 for a, b in combinations(dumps, 2) if a == b)
    return count


def hold_back(before: str, fixes: list, apply: Callable[[list], str]) -> tuple[list, list]:
    """(the fixes that may be applied, those held back): `apply(fixes)` is
    the text with those fixes applied to `before`. Fixes are added one at a
    time, and one that adds a collapsed pair is held back."""
    base = collapsed_pairs(before) if fixes else None
    after = collapsed_pairs(apply(fixes)) if base is not None else None
    if base is None or after is None or after <= base:
        return fixes, []
    kept, held = [], []
    for fix in fixes:
        count = collapsed_pairs(apply(kept + [fix]))
        if count is not None and count > base:
            held.append(fix)
        else:
            kept.append(fix)
            base = count if count is not None else base
    return kept, held
