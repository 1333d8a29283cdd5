"""Small helpers over the tree-sitter TypeScript tree, shared by the TS rules.

No Rule lives here. Everything works on byte offsets into ctx.source.data
(what tree-sitter gives), so edits built from these nodes can be applied as
they are.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from nooble_codemod.rules.shared.query import StaticString, word_pattern  # noqa: F401  (word_pattern: re-exported)

# Expression wrappers that do not change which value a chain is on:
# `(x)`, `x!`, `await x`, `x as T`, `x satisfies T`.
_TRANSPARENT = {"parenthesized_expression", "non_null_expression", "await_expression",
                "as_expression", "satisfies_expression"}

# Nodes that introduce a function scope (their parameters are visible in them).
FUNCTION_NODES = {"function_declaration", "function_expression", "function", "arrow_function",
                  "method_definition", "generator_function_declaration", "generator_function"}
# Declarations with parameters but no body: renaming a parameter there only
# changes its documentation value, never behaviour.
SIGNATURE_NODES = {"method_signature", "abstract_method_signature", "function_signature",
                   "function_type", "construct_signature", "call_signature", "constructor_type"}


def text(ctx, node) -> str:
    return ctx.source.data[node.start_byte:node.end_byte].decode("utf-8")


@lru_cache(maxsize=None)
def _query(language, types: tuple[str, ...]):
    from tree_sitter import Query

    return Query(language, " ".join(f"({t}) @{t}" for t in types))


def nodes(ctx, *types: str) -> list:
    """All nodes of the given types, in source order. tree-sitter's query
    engine finds them in C, once per file and type (a walk in Python was most
    of the time a file took)."""
    from tree_sitter import QueryCursor

    by_type = ctx.cached("ts.by_type", dict)
    missing = tuple(sorted({t for t in types if t not in by_type}))
    if missing:
        language = ctx.tree.language
        known = tuple(t for t in missing if language.id_for_node_kind(t, True))
        found = QueryCursor(_query(language, known)).captures(ctx.tree.root_node) if known else {}
        for t in missing:
            by_type[t] = sorted(found.get(t, ()), key=lambda n: n.start_byte)
    if len(types) == 1:
        return by_type[types[0]]
    return sorted((n for t in dict.fromkeys(types) for n in by_type[t]), key=lambda n: n.start_byte)


def leaves_holding(ctx, words, within=None) -> list:
    """The leaves (names, string fragments, comments, …) whose bytes hold one
    of `words`, in source order, within the node `within` if given: looked
    up where the words occur, not by visiting every node (most hold none).
    A word inside a leaf lies within the leaf's bytes, so none is missed."""
    data = ctx.source.data
    root = ctx.tree.root_node
    start, end = (within.start_byte, within.end_byte) if within is not None else (0, len(data))
    found: dict[tuple[int, int], object] = {}
    for word in words:
        needle = word.encode("utf-8")
        at = data.find(needle, start, end)
        while at >= 0:
            node = root.descendant_for_byte_range(at, at + len(needle))
            if node is not None and node.child_count == 0:
                found.setdefault((node.start_byte, node.end_byte), node)
            at = data.find(needle, at + 1, end)
    return [found[k] for k in sorted(found)]


def leaves_named(ctx, names, types, within=None) -> list:
    """The leaves of `types` whose text is one of `names`, in source order
    (what a walk over every node of those types would keep)."""
    return [n for n in leaves_holding(ctx, names, within) if n.type in types and text(ctx, n) in names]


def descendants(node) -> Iterator:
    """Pre-order walk below (and including) `node`."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def unwrap(node):
    """The expression inside parentheses, `!`, `await`, `as`, `satisfies`."""
    while node is not None and node.type in _TRANSPARENT:
        node = node.named_children[0] if node.named_children else None
    return node


def ancestors(node) -> Iterator:
    p = node.parent
    while p is not None:
        yield p
        p = p.parent


def contains(outer, inner) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def static_string(ctx, node) -> StaticString | None:
    """The literal's content when it is exactly the text between the quotes
    (escape sequences and substitutions make offsets unreliable: None)."""
    if node is None or node.type not in ("string", "template_string"):
        return None
    inner = node.children[1:-1]
    if any(c.type != "string_fragment" for c in inner):
        return None
    start, end = node.start_byte + 1, node.end_byte - 1
    quote = text(ctx, node)[0]
    return StaticString(node, ctx.source.data[start:end].decode("utf-8"), start, end, quote)


def property_name(ctx, key) -> tuple[str, str] | None:
    """(name, quote) of an object/type member key: `a` -> ('a', ''),
    `'a'` -> ('a', "'"). Computed and numeric keys: None."""
    if key is None:
        return None
    if key.type in ("property_identifier", "identifier", "shorthand_property_identifier",
                    "private_property_identifier"):
        return text(ctx, key), ""
    s = static_string(ctx, key)
    if s is not None and key.type == "string":
        return s.value, s.quote
    return None


def fragment_matches(ctx, fragment, pattern: re.Pattern[str]) -> Iterator[tuple[str, int, int]]:
    """(word, start byte, end byte) of each match inside a string/JSX text node."""
    raw = ctx.source.data[fragment.start_byte:fragment.end_byte].decode("utf-8")
    for m in pattern.finditer(raw):
        start = fragment.start_byte + len(raw[:m.start()].encode("utf-8"))
        yield m.group(0), start, start + len(m.group(0).encode("utf-8"))



def comments_above(ctx, node, *, jsdoc: bool = False) -> int:
    """Start byte of the comments directly above `node` (no blank line between,
    each on its own lines), or node.start_byte when there are none. With
    `jsdoc`, only a `/** … */` block counts (it documents a declaration); else
    only `//` lines (they describe a statement)."""
    data = ctx.source.data
    start = node.start_byte
    prev = node.prev_sibling
    while prev is not None and prev.type == "comment":
        body = text(ctx, prev)
        if jsdoc and not body.startswith("/**"):
            break
        if not jsdoc and not body.startswith("//"):
            break
        gap = data[prev.end_byte:start]
        if gap.count(b"\n") != 1 or gap.strip():
            break
        line_start = data.rfind(b"\n", 0, prev.start_byte) + 1
        if data[line_start:prev.start_byte].strip():
            break  # a trailing comment of the line above belongs to that line
        start = prev.start_byte
        if jsdoc:
            break
        prev = prev.prev_sibling
    return start


def trailing_comments_end(ctx, node) -> int:
    """End byte of `node` with the comment that ends its line (`x; // why`),
    and the `//` lines right below that continue it at its column: removed
    with the code, they would be left describing nothing. A comment on its
    own line at the code's indentation is the next line's, and stays."""
    data = ctx.source.data
    end = node.end_byte
    comment = node.next_sibling
    if comment is None or comment.type != "comment" or b"\n" in data[end:comment.start_byte]:
        return end
    nl = data.find(b"\n", comment.end_byte)
    if data[comment.end_byte:len(data) if nl < 0 else nl].strip():
        return end  # code follows on the line: the comment may be that code's
    end = comment.end_byte
    column = comment.start_point[1]
    below = comment.next_sibling
    while (below is not None and below.type == "comment" and text(ctx, below).startswith("//")
           and below.start_point[1] == column and below.start_point[0] == comment.end_point[0] + 1
           and not data[end:below.start_byte].strip()):
        end, comment, below = below.end_byte, below, below.next_sibling
    return end


# Nodes whose declarations are invisible outside them.
_BLOCK_SCOPES = FUNCTION_NODES | {"statement_block", "for_statement", "for_in_statement", "class_body", "program"}


def enclosing_scope(node):
    """The nearest block or function holding `node` (where a `const`/`let`
    declared at `node` is visible)."""
    for a in ancestors(node):
        if a.type in _BLOCK_SCOPES:
            return a
    return None


def declared_value(ctx, ident):
    """The initial value of the nearest declaration of `ident`'s name before
    it, in a scope holding it (`const q = supabase.from('t')` then `q.eq(…)`),
    unwrapped; None when there is none."""
    def build():
        out: dict[str, list] = {}
        for d in nodes(ctx, "variable_declarator"):
            n = d.child_by_field_name("name")
            if n is not None and n.type == "identifier":
                out.setdefault(text(ctx, n), []).append(d)
        return out

    best = None
    for decl in ctx.cached("ts.declarators", build).get(text(ctx, ident), ()):
        if decl.start_byte >= ident.start_byte:
            break
        scope = enclosing_scope(decl)
        if (scope is None or contains(scope, ident)) and not contains(decl, ident):
            best = decl
    return unwrap(best.child_by_field_name("value")) if best is not None else None
