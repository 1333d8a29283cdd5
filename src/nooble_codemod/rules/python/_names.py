"""Places in Python code where a column or parameter name is written.

Dict keys keep their quotes (the edit is between them); `dict(tenant_id=x)`
keyword names are renamed as they are.
"""

from __future__ import annotations

import libcst as cst

from nooble_codemod.rules.shared.query import (PLAIN_NAME, NameSite, StaticString, opens_or_item,
                                               or_filter_items, sites_in_string)
from nooble_codemod.rules.python import _cst


def dict_keys(ctx, node) -> list[NameSite]:
    """Keys of a dict display with literal string keys, or keyword names of a
    `dict(...)` call. `**spread` and computed keys carry no name we can rename."""
    out: list[NameSite] = []
    if isinstance(node, cst.Dict):
        for el in node.elements:
            if isinstance(el, cst.DictElement):
                s = _cst.static_string(ctx, el.key)
                if s is not None and PLAIN_NAME.match(s.value):
                    out.append(NameSite(s.value, s.start, s.end))
    elif isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict":
        for a in node.args:
            if a.keyword is not None:
                start, end = _cst.span(ctx, a.keyword)
                out.append(NameSite(a.keyword.value, start, end))
    return out


# Displays whose element is the row each pass builds: `[{…} for d in docs]`.
_COMPREHENSIONS = (cst.ListComp,)


def payload_dicts(node, ctx=None) -> list:
    """The dicts of an insert/update/upsert payload: one dict, the dicts of a
    list or tuple display, or the dict a list comprehension builds per row;
    with `ctx`, also those of the value a variable passed as the payload was
    assigned just before (`rows = [{…} for d in docs]` then `.insert(rows)`)."""
    if ctx is not None and isinstance(node, cst.Name):
        value = _cst.assigned_value(ctx, node)
        if not isinstance(value, (cst.Dict, cst.List, cst.Tuple) + _COMPREHENSIONS):
            return []
        # Only a variable used once, here: one shared by two queries may sit on two tables.
        order, scope = _cst.index(ctx)[2], _cst.owner(ctx, node)
        uses = [n for n in _cst.nodes(ctx, cst.Name) if n.value == node.value and _cst.owner(ctx, n) is scope
                and order[id(n)] > order[id(value)]]
        return payload_dicts(value) if len(uses) == 1 else []
    if isinstance(node, (cst.List, cst.Tuple)):
        return [e.value for e in node.elements if isinstance(e.value, (cst.Dict, cst.Call))]
    if isinstance(node, _COMPREHENSIONS):
        return [node.elt] if isinstance(node.elt, (cst.Dict, cst.Call)) else []
    return [node] if node is not None else []


def column_strings(ctx, nodes) -> list[NameSite]:
    """Top-level names of column-list strings, `.select('id, tenant_id')` or
    `.select('id', 'tenant_id')`."""
    out: list[NameSite] = []
    for node in nodes:
        s = _cst.static_string(ctx, node)
        if s is not None:
            out.extend(sites_in_string(s.value, s.start))
    return out


def first_string_name(ctx, node) -> NameSite | None:
    """The column named by a filter's first argument, `.eq('tenant_id', x)`."""
    s = _cst.static_string(ctx, node)
    if s is None or not PLAIN_NAME.match(s.value):
        return None
    return NameSite(s.value, s.start, s.end)


def select_literals(ctx, nodes) -> list[StaticString]:
    """The plain string literals of a select's arguments (their embedded
    resources, `'*, profiles(id)'`, are read on the resource's table)."""
    return [lit for lit in (_cst.static_string(ctx, n) for n in nodes) if lit is not None]


def or_filter_sites(ctx, node) -> tuple[list[NameSite], list]:
    """Columns named in an `.or_("…")` filter string, and the expressions
    standing where a column is written (`f"{col}.eq.{x}"`: not known here).
    The string may be an f-string, an implicit or a `+` concatenation; only
    its literal parts are read, and text with escapes or doubled braces
    (whose written and actual characters differ) is skipped."""
    pieces = _filter_pieces(ctx, node)
    sites: list[NameSite] = []
    unknown = []
    for k, (kind, value, at) in enumerate(pieces):
        before = [p for p in pieces[:k] if p[:2] != ("text", "")]  # "" + col: col still opens the filter
        if kind == "text":
            for name, index in or_filter_items(value, at_start=not before):
                start = at + len(value[:index].encode("utf-8"))
                sites.append(NameSite(name, start, start + len(name.encode("utf-8"))))
        elif kind == "expr":
            after = pieces[k + 1] if k + 1 < len(pieces) else None
            opens = not before or (before[-1][0] == "text" and opens_or_item(before[-1][1]))
            if opens and after is not None and after[0] == "text" and after[1].startswith("."):
                unknown.append(value)
    return sites, unknown


def _filter_pieces(ctx, node) -> list[tuple[str, object, int]]:
    """The filter string as pieces in order: ("text", value, byte start) for
    literal text read as written, ("opaque", None, -1) for literal text that
    is not, ("expr", node, -1) for a substitution or a non-literal operand."""
    out: list[tuple[str, object, int]] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, cst.BinaryOperation) and isinstance(n.operator, cst.Add):
            stack.extend([n.right, n.left])
        elif isinstance(n, cst.ConcatenatedString):
            stack.extend([n.right, n.left])
        elif isinstance(n, cst.SimpleString):
            lit = _cst.static_string(ctx, n)
            out.append(("text", lit.value, lit.start) if lit is not None else ("opaque", None, -1))
        elif isinstance(n, cst.FormattedString):
            raw = "r" in n.start.lower()
            for part in n.parts:
                if isinstance(part, cst.FormattedStringText):
                    plain = not any(c in part.value for c in ("{{", "}}")) and (raw or "\\" not in part.value)
                    out.append(("text", part.value, _cst.span(ctx, part)[0]) if plain else ("opaque", None, -1))
                else:
                    out.append(("expr", part.expression, -1))
        elif n is not None:
            out.append(("expr", n, -1))
    return out
