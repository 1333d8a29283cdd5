"""Small helpers over the LibCST tree, shared by the Python rules.

No Rule lives here. LibCST nodes carry no offsets: positions come from
PositionProvider (1-based lines, 0-based character columns) and are turned
into byte offsets of ctx.source.data, the space every edit lives in. That
also holds for files LibCST decoded from another encoding (a latin-1 coding
cookie): the rules always work on the decoded text re-encoded as UTF-8.
"""

from __future__ import annotations

import re

import libcst as cst
from libcst.metadata import PositionProvider

from nooble_codemod.model import Edit
from nooble_codemod.rules._query import StaticString

_STRING_PREFIX = re.compile(r"[A-Za-z]*")


def index(ctx) -> dict[type, list]:
    """All nodes of the module grouped by class in source order, a parent
    map and each node's pre-order index; built once per file with an iterative walk (deeply nested
    code must not hit Python's recursion limit)."""

    def build():
        by_type: dict[type, list] = {}
        parents: dict[int, cst.CSTNode] = {}
        order: dict[int, int] = {}
        stack = [ctx.tree]
        while stack:
            n = stack.pop()
            order[id(n)] = len(order)
            by_type.setdefault(type(n), []).append(n)
            children = n.children
            for c in children:
                parents[id(c)] = n
            stack.extend(reversed(children))
        return by_type, parents, order

    return ctx.cached("py.index", build)


def nodes(ctx, *types: type) -> list:
    by_type, _, order = index(ctx)
    out = [n for t in types for n in by_type.get(t, ())]
    if len(types) > 1:
        out.sort(key=lambda n: order[id(n)])
    return out


def parent(ctx, node):
    return index(ctx)[1].get(id(node))


def positions(ctx):
    return ctx.cached("py.positions", lambda: ctx.metadata().resolve(PositionProvider))


def span(ctx, node) -> tuple[int, int]:
    """Byte offsets [start, end) of a node in ctx.source.data."""
    r = positions(ctx)[node]
    return ctx.source.offset(r.start.line, r.start.column), ctx.source.offset(r.end.line, r.end.column)


def static_string(ctx, node) -> StaticString | None:
    if not isinstance(node, cst.SimpleString):
        return None
    prefix = _STRING_PREFIX.match(node.value).group(0)
    if "b" in prefix.lower():
        return None
    body = node.value[len(prefix):]
    quote = body[:3] if body[:3] in ('"""', "'''") else body[0]
    content = body[len(quote):-len(quote)]
    if "\\" in content and "r" not in prefix.lower():
        return None  # escapes: the value and the written text differ
    start, _ = span(ctx, node)
    start += len((prefix + quote).encode("utf-8"))
    return StaticString(node, content, start, start + len(content.encode("utf-8")), quote)


def string_value(node) -> str | None:
    """The value of a plain (non-f, non-bytes) string literal or concatenation."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def written(ctx, node) -> str:
    """The node's source text, for messages (generated from the tree: position
    metadata costs a walk of the whole module, and most messages are never made)."""
    return ctx.tree.code_for_node(node)


def walk(node):
    """The node and everything below it (iterative: deep code must not recurse)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(n.children)


def inside(ctx, node, outer) -> bool:
    p = parent(ctx, node)
    while p is not None:
        if p is outer:
            return True
        p = parent(ctx, p)
    return False


def line_after(ctx, node) -> int:
    """Offset of the start of the line after the one where `node` ends (the
    end of the file when that line is its last and has no newline)."""
    _, end = span(ctx, node)
    nl = ctx.source.data.find(b"\n", end)
    return len(ctx.source.data) if nl < 0 else nl + 1


def insertion(ctx, at: int, text: str):
    """The edit inserting `text` (lines, each ending with a newline) at `at`,
    the start of a line. At the end of a file whose last line has no newline
    the text goes after a newline instead, and the file still ends without one."""
    data, nl = ctx.source.data, ctx.source.newline
    if at == len(data) and data and not data.endswith(b"\n") and text.endswith(nl):
        text = nl + text[:-len(nl)]
    return Edit(at, at, text)


def docstring(owner) -> cst.SimpleString | None:
    """The docstring of a module, class or function (a plain string literal first in its body)."""
    body = owner.body if isinstance(owner, cst.Module) else getattr(owner.body, "body", ())
    first = body[0] if body else None
    if isinstance(first, cst.SimpleStatementLine) and isinstance(first.body[0], cst.Expr) \
            and isinstance(first.body[0].value, cst.SimpleString):
        return first.body[0].value
    return None


_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef, cst.Module)


def owner(ctx, node):
    """The function, lambda, class or module whose scope holds `node`."""
    p = parent(ctx, node)
    while p is not None and not isinstance(p, _SCOPES):
        p = parent(ctx, p)
    return p if p is not None else ctx.tree


def assigned_value(ctx, name: cst.Name):
    """The value of the nearest `name = value` before this use of `name`, in
    the same scope (`q = client.table('t')` then `q.eq(…)`); None when there is
    none, or when the name is bound only another way."""
    def build():
        out: dict[str, list] = {}
        for node in nodes(ctx, cst.Assign):
            if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
                out.setdefault(node.targets[0].target.value, []).append(node)
        return out

    order = index(ctx)[2]
    use = order[id(name)]
    scope = owner(ctx, name)
    best = None
    for assign in ctx.cached("py.assignments", build).get(name.value, ()):
        if order[id(assign)] < use and owner(ctx, assign) is scope and not inside(ctx, name, assign):
            best = assign
    return best.value if best is not None else None
