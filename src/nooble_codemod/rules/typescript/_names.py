"""Places where a column or parameter name is written, and how to rename it.

A NameSite is one written name (an object key, a shorthand property, a name
inside a column-list string) with the edit that renames it while keeping
its form: `'tenant_id': x` keeps its quotes, `{ tenant_id }` becomes
`{ user_id: tenant_id }` so the value it carried stays the same.
"""

from __future__ import annotations

from nooble_codemod.rules.shared.query import PLAIN_NAME, NameSite, or_filter_items, sites_in_string
from nooble_codemod.rules.typescript import _ast


def object_keys(ctx, obj) -> list[NameSite]:
    """Keys of an object literal (pairs, quoted keys, shorthands). Spreads,
    methods and computed keys carry no name we can rename."""
    out: list[NameSite] = []
    if obj is None or obj.type != "object":
        return out
    for child in obj.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            named = _ast.property_name(ctx, key)
            if named is None:
                continue
            if named[1]:  # quoted: rename between the quotes
                out.append(NameSite(named[0], key.start_byte + 1, key.end_byte - 1))
            else:
                out.append(NameSite(named[0], key.start_byte, key.end_byte))
        elif child.type == "shorthand_property_identifier":
            out.append(NameSite(_ast.text(ctx, child), child.start_byte, child.end_byte, shorthand=True))
    return out


def payload_objects(node, ctx=None) -> list:
    """The object literals of an insert/update/upsert payload: one object, or
    the objects of an array literal; with `ctx`, also those a variable passed
    as the payload was declared with (`const row = {…}` then `.insert(row)`)."""
    node = _ast.unwrap(node)
    if node is None:
        return []
    if ctx is not None and node.type == "identifier":
        # Only a variable used once, here: one shared by two queries may sit on two tables.
        value = _ast.declared_value(ctx, node)
        scope = _ast.enclosing_scope(node)
        name = _ast.text(ctx, node)
        uses = [n for n in _ast.nodes(ctx, "identifier", "shorthand_property_identifier")
                if _ast.text(ctx, n) == name and (scope is None or _ast.contains(scope, n))
                and (value is None or n.start_byte > value.end_byte)]
        return payload_objects(value) if len(uses) == 1 else []
    if node.type == "object":
        return [node]
    if node.type == "array":
        return [e for e in map(_ast.unwrap, node.named_children) if e is not None and e.type == "object"]
    return []


def column_list(ctx, literal) -> list[NameSite]:
    """Top-level names of a column list such as `.select('id, tenant_id')`
    (see _query.column_list_items), so spacing and the rest stay as written."""
    s = _ast.static_string(ctx, literal)
    return sites_in_string(s.value, s.start) if s is not None else []


def first_string_name(ctx, node) -> NameSite | None:
    """The column named by a filter's first argument, `.eq('tenant_id', x)`."""
    s = _ast.static_string(ctx, _ast.unwrap(node))
    if s is None or not PLAIN_NAME.match(s.value):
        return None
    return NameSite(s.value, s.start, s.end)


def or_filter_sites(ctx, node) -> list[NameSite]:
    """Columns named in an `.or('…')` filter string, also when it is a template
    literal or a `+` concatenation (only the literal parts are read)."""
    out: list[NameSite] = []
    parts = []  # (string node, opens the filter?)
    node = _ast.unwrap(node)
    first = True
    stack = [node]
    while stack:
        n = _ast.unwrap(stack.pop())
        if n is None:
            continue
        if n.type == "binary_expression" and n.child_by_field_name("operator") is not None \
                and _ast.text(ctx, n.child_by_field_name("operator")) == "+":
            stack.extend([n.child_by_field_name("right"), n.child_by_field_name("left")])
        elif n.type in ("string", "template_string"):
            parts.append((n, first))
            first = False
        else:
            first = False
    for literal, opens in parts:
        frags = [c for c in literal.children if c.type == "string_fragment"]
        for k, frag in enumerate(frags):
            raw = _ast.text(ctx, frag)
            starts_literal = frag.start_byte == literal.start_byte + 1
            for name, index in or_filter_items(raw, at_start=opens and starts_literal and k == 0):
                s = frag.start_byte + len(raw[:index].encode("utf-8"))
                out.append(NameSite(name, s, s + len(name.encode("utf-8"))))
    return out
