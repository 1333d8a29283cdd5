"""A text's code without its comments, and where the statement holding a
line starts: what tells whether a comment line put into a file left its
program as it was (engine/todos.py).

`shape(language, text, path)` is the sequence of what the parser reads, less
comments and the whitespace between tokens: two texts with the same shape
are the same program. None when the text does not parse.
"""

from __future__ import annotations

import re

_SPACE = re.compile(rb"\s+")
# SQL read as text: strings, quoted names, dollar-quoted bodies and comments
# are each one token, so a line put inside one changes it.
_SQL_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\$(\w*)\$[\s\S]*?\$\1\$|--[^\n]*|/\*[\s\S]*?\*/|\w+|\S")


def shape(language: str, text: str, path: str) -> list | None:
    if language == "python":
        return _python_shape(text)
    if language == "typescript":
        return _typescript_shape(text.encode("utf-8"), path)
    if language == "sql":
        return [m.group(0) for m in _SQL_TOKEN.finditer(text) if not m.group(0).startswith(("--", "/*"))]
    return None


def statement_starts(language: str, text: str, path: str, lines) -> dict[int, int]:
    """For each 1-based line of `lines`, the first line of the innermost
    statement holding it (a decorated definition's first decorator), when
    there is one. The text is parsed once for all."""
    if language == "python":
        find = _python_statements(text)
    elif language == "typescript":
        find = _typescript_statements(text.encode("utf-8"), path)
    elif language == "sql":
        find = _sql_statements(text)
    else:
        return {}
    out = {}
    for line in lines:
        start = find(line) if find is not None else None
        if start is not None:
            out[line] = start
    return out


# -- Python: CPython's tokenizer and ast ------------------------------------------------
def _python_shape(text: str) -> list | None:
    import io
    import tokenize

    skip = (tokenize.COMMENT, tokenize.NL)
    try:
        return [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO(text).readline)
                if t.type not in skip]
    except (tokenize.TokenError, SyntaxError):
        return None


def _python_statements(text: str):
    import ast

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    spans = [(min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", ())]),
              node.end_lineno or node.lineno)
             for node in ast.walk(tree) if isinstance(node, ast.stmt)]

    def find(line: int) -> int | None:
        # The innermost statement: of those holding the line, the one starting last.
        return max((start for start, end in spans if start <= line <= end), default=None)

    return find


# -- TypeScript, TSX, JavaScript: tree-sitter ------------------------------------------
def _typescript_shape(data: bytes, path: str) -> list | None:
    from nooble_codemod.languages.typescript import _parser, dialect_of

    tree = _parser(dialect_of(path)).parse(data)
    if tree.root_node.has_error:
        return None
    out = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "comment":
            continue
        children = node.children
        if not children:
            out.append((node.type, data[node.start_byte:node.end_byte]))
            continue
        # The text between a node's children: whitespace, or what no child
        # holds (JSX text, a template's text in some grammars).
        gaps, at = [], node.start_byte
        for child in children:
            gaps.append(data[at:child.start_byte])
            at = child.end_byte
        gaps.append(data[at:node.end_byte])
        out.append((node.type, _SPACE.sub(b"", b"".join(gaps))))
        stack.extend(reversed(children))
    return out


def _typescript_statements(data: bytes, path: str):
    from nooble_codemod.languages.typescript import _parser, dialect_of

    root = _parser(dialect_of(path)).parse(data).root_node
    rows = data.split(b"\n")

    def find(line: int) -> int | None:
        # The node at the line's first character, and up to its statement.
        row = line - 1
        if row >= len(rows):
            return None
        column = len(rows[row]) - len(rows[row].lstrip())
        node = root.descendant_for_point_range((row, column), (row, column))
        while node is not None:
            if node.type.endswith(("_statement", "_declaration", "_definition")):
                return node.start_point[0] + 1
            node = node.parent
        return None

    return find


# -- SQL: statements end at a `;` outside strings and comments ---------------------------
def _sql_statements(text: str):
    # Each token's last line, with the first line of the statement it belongs to.
    spans: list[tuple[int, int]] = []
    first, line, at = None, 1, 0
    for m in _SQL_TOKEN.finditer(text):
        token = m.group(0)
        line += text.count("\n", at, m.start())
        at = m.start()
        if token.startswith(("--", "/*")):
            continue
        first = line if first is None else first
        spans.append((line + token.count("\n"), first))
        if token == ";":
            first = None

    def find(line: int) -> int | None:
        # The statement of the first token reaching the line.
        return next((start for end, start in spans if end >= line), None)

    return find
