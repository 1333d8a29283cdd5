"""A rename must never make two different operands the same.

`if conn.tenant_id and conn.user_id:` renamed to `if conn.user_id and
conn.user_id:` still parses and still type-checks, and now tests one field
twice: a silent change of meaning. Before a fix round is applied, the fixes
whose result holds more such pairs than the text before them (the operands
of `and`/`or`, of a comparison, or two arguments of one call, written the
same) are held back and reported instead. Python is read with `ast`,
TypeScript with tree-sitter.
"""

from __future__ import annotations

import ast
from itertools import combinations
from typing import Callable


# TypeScript operators whose two sides written the same are a collapse.
_TS_OPERATORS = frozenset({"&&", "||", "??", "==", "===", "!=", "!==", "<", ">", "<=", ">="})
_TS_LITERALS = frozenset({"string", "number", "true", "false", "null", "undefined", "template_string"})


def collapsed_pairs_in(language: str, path: str, text: str, words: frozenset[str]) -> int | None:
    """collapsed_pairs for a file of `language`; None when it is not read."""
    if language == "python":
        return collapsed_pairs(text, words)
    if language == "typescript":
        return _typescript_pairs(path, text, words)
    return None


def _typescript_pairs(path: str, text: str, words: frozenset[str]) -> int | None:
    import tree_sitter

    from nooble_codemod.languages import SyntaxProblem, typescript

    data = text.encode("utf-8")
    try:
        tree = typescript.parse(data, path)
    except SyntaxProblem:
        return None
    query = _ts_query(tree.language)
    count = 0
    for name, nodes in tree_sitter.QueryCursor(query).captures(tree.root_node).items():
        for node in nodes:
            if name == "binary":
                op = node.child_by_field_name("operator")
                if op is None or op.type not in _TS_OPERATORS:
                    continue
                operands = [node.child_by_field_name("left"), node.child_by_field_name("right")]
            else:
                operands = node.named_children
            segments = ["".join(o.text.decode("utf-8", "replace").split()) for o in operands
                        if o is not None and o.type not in _TS_LITERALS and o.type != "comment"]
            segments = [s for s in segments if any(w in s for w in words)]
            if len(segments) > 1:
                count += sum(1 for a, b in combinations(segments, 2) if a == b)
    return count


_QUERIES: dict = {}


def _ts_query(language):
    import tree_sitter

    key = id(language)
    if key not in _QUERIES:
        _QUERIES[key] = tree_sitter.Query(language, "(binary_expression) @binary (arguments) @arguments")
    return _QUERIES[key]


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
              words: frozenset[str], count: Callable[[str, frozenset[str]], int | None] = collapsed_pairs,
              ) -> tuple[list, list]:
    """(the fixes that may be applied, those held back): `apply(fixes)` is
    the text with those fixes applied to `before`, `words` what they write.
    Fixes are added one at a time, and one that adds a collapsed pair is
    held back."""
    words = frozenset(w for w in words if w.strip())
    base = count(before, words) if fixes and words else None
    after = count(apply(fixes), words) if base is not None else None
    if base is None or after is None or after <= base:
        return fixes, []
    kept, held = [], []
    for fix in fixes:
        pairs = count(apply(kept + [fix]), words)
        if pairs is not None and pairs > base:
            held.append(fix)
        else:
            kept.append(fix)
            base = pairs if pairs is not None else base
    return kept, held
