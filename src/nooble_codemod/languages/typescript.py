"""TypeScript, TSX and JavaScript through tree-sitter."""

from __future__ import annotations

from functools import lru_cache
from pathlib import PurePath

from nooble_codemod.languages import SyntaxProblem

# .js/.jsx parse with the TSX grammar: it is a superset of JavaScript with JSX.
_TSX_SUFFIXES = {".tsx", ".jsx", ".js", ".mjs", ".cjs"}


@lru_cache(maxsize=None)
def _parser(dialect: str):
    import tree_sitter
    import tree_sitter_typescript as tst

    lang = tree_sitter.Language(tst.language_tsx() if dialect == "tsx" else tst.language_typescript())
    return tree_sitter.Parser(lang)


def warm() -> None:
    for dialect in ("typescript", "tsx"):
        _parser(dialect)


def dialect_of(path: str | PurePath) -> str:
    return "tsx" if PurePath(path).suffix.lower() in _TSX_SUFFIXES else "typescript"


def parse(data: bytes, path: str | PurePath):
    """Parse UTF-8 bytes; raise SyntaxProblem at the first error."""
    return _checked(_parser(dialect_of(path)).parse(data))


def reparse(tree, data: bytes, new_data: bytes, spans, path: str | PurePath):
    """The tree of `new_data`, which is `data` (whose tree `tree` is, and is
    given up) with each span of `spans` rewritten in place, same length and
    same line breaks: tree-sitter reads again only those spans and reuses the
    rest, which is cheaper than parsing `new_data` afresh."""
    row, at = 0, 0
    for start, end in sorted(spans):
        # Points (row, byte column) of the span's ends, counted on from the last span.
        row += data.count(b"\n", at, start)
        line_start = data.rfind(b"\n", 0, start) + 1
        start_point = (row, start - line_start)
        row += data.count(b"\n", start, end)
        line_start = data.rfind(b"\n", 0, end) + 1
        end_point = (row, end - line_start)
        tree.edit(start_byte=start, old_end_byte=end, new_end_byte=end,
                  start_point=start_point, old_end_point=end_point, new_end_point=end_point)
        at = end
    return _checked(_parser(dialect_of(path)).parse(new_data, tree))


def _checked(tree):
    if tree.root_node.has_error:
        node = first_error(tree.root_node)
        if node is not None:
            line, col = node.start_point
            what = f"missing {node.type}" if node.is_missing else "syntax error"
            raise SyntaxProblem(f"{what} at {line + 1}:{col + 1}")
        raise SyntaxProblem("syntax error")
    return tree


def first_error(node):
    if node.is_error or node.is_missing:
        return node
    for child in node.children:
        if child.has_error or child.is_missing:
            found = first_error(child)
            if found is not None:
                return found
    return None


def error_count(tree) -> int:
    count = 0
    stack = [tree.root_node]
    while stack:
        n = stack.pop()
        if n.is_error or n.is_missing:
            count += 1
        if n.has_error:
            stack.extend(n.children)
    return count
