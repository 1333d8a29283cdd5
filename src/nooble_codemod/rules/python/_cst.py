"""Small helpers over the LibCST tree, shared by the Python rules.

No Rule lives here. LibCST nodes carry no offsets: spans come from one
code-generation pass (_Indexer, character offsets) and are turned into byte
offsets of ctx.source.data, the space every edit lives in. That
also holds for files LibCST decoded from another encoding (a latin-1 coding
cookie): the rules always work on the decoded text re-encoded as UTF-8.
"""

from __future__ import annotations

import re

import libcst as cst
from libcst._nodes.internal import CodegenState

from nooble_codemod.model import Edit
from nooble_codemod.rules.shared.query import StaticString

_STRING_PREFIX = re.compile(r"[A-Za-z]*")


class _Indexer(CodegenState):
    """One code-generation pass over the module that records, for every node,
    its character span (the syntactic one PositionProvider gives), its parent
    and its place in source order. Code generation visits every node in
    source order, so this is the whole index at about a fifth of the cost of
    PositionProvider plus a walk over `children` (each `children` call is a
    visitor pass of its own)."""

    def __init__(self, module: cst.Module):
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.offset = 0
        self.stack: list[tuple[cst.CSTNode, int]] = []
        self.spans: dict[int, tuple[int, int]] = {}
        self.parents: dict[int, cst.CSTNode] = {}
        self.by_type: dict[type, list] = {}
        self.order: dict[int, int] = {}

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.offset += len(token)

    def add_token(self, value: str) -> None:
        self.offset += len(value)

    def pop_trailing_newline(self) -> None:
        pass  # spans past the end are clamped in span()

    def before_codegen(self, node) -> None:
        if self.stack:
            self.parents[id(node)] = self.stack[-1][0]
        self.order[id(node)] = len(self.order)
        self.by_type.setdefault(type(node), []).append(node)
        self.stack.append((node, self.offset))

    def after_codegen(self, node) -> None:
        _, start = self.stack.pop()
        # A syntactic span recorded inside the node's own code generation wins.
        self.spans.setdefault(id(node), (start, self.offset))

    def record_syntactic_position(self, node, *, start_node=None, end_node=None):
        return _Position(self, node, start_node, end_node)


class _Position:
    """What _Indexer.record_syntactic_position returns: code generation
    enters one for most nodes, and a class is several times cheaper than a
    @contextmanager generator."""

    __slots__ = ("state", "node", "start_node", "end_node", "start")

    def __init__(self, state: _Indexer, node, start_node, end_node) -> None:
        self.state, self.node, self.start_node, self.end_node = state, node, start_node, end_node

    def __enter__(self) -> None:
        self.start = self.state.offset

    def __exit__(self, exc_type, *exc) -> bool:
        if exc_type is not None:
            return False  # code generation failed (a RecursionError): let it through, unmasked
        state = self.state
        start, end = self.start, state.offset
        if self.start_node is not None:
            start = state.spans[id(self.start_node)][0]
        if self.end_node is not None:
            end = state.spans[id(self.end_node)][1]
        state.spans[id(self.node)] = (start, end)
        return False


def _indexer(ctx) -> _Indexer:
    def build():
        state = _Indexer(ctx.tree)
        ctx.tree._codegen(state)
        return state

    return ctx.cached("py.index", build)


def index(ctx) -> tuple[dict[type, list], dict[int, cst.CSTNode], dict[int, int]]:
    """All nodes of the module grouped by class in source order, a parent map
    and each node's place in source order, built once per file (iteratively:
    code generation does not recurse per nesting level of the caller)."""
    ix = _indexer(ctx)
    return ix.by_type, ix.parents, ix.order


def nodes(ctx, *types: type) -> list:
    by_type, _, order = index(ctx)
    out = [n for t in types for n in by_type.get(t, ())]
    if len(types) > 1:
        out.sort(key=lambda n: order[id(n)])
    return out


def parent(ctx, node):
    return index(ctx)[1].get(id(node))


def span(ctx, node) -> tuple[int, int]:
    """Byte offsets [start, end) of a node in ctx.source.data."""
    start, end = _indexer(ctx).spans[id(node)]
    limit = len(ctx.source.text)
    return ctx.source.byte_offset(min(start, limit)), ctx.source.byte_offset(min(end, limit))


def line(ctx, node) -> int:
    """The 1-based line a node starts on."""
    return ctx.source.position(span(ctx, node)[0])[0]


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
