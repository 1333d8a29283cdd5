"""Places in Python code where a column or parameter name is written.

Dict keys keep their quotes (the edit is between them); `dict(tenant_id=x)`
keyword names are renamed as they are.
"""

from __future__ import annotations

import libcst as cst

from nooble_codemod.rules.shared.query import PLAIN_NAME, NameSite, sites_in_string
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
