"""Where a TS file names a member of a type: the type's own member
declaration and reads through parameters and variables declared with the
type. Shared by ts-contract and the project model's contracts (which count
them, so a group is applied at every site or dropped)."""

from __future__ import annotations

from nooble_codemod.rules.typescript import _ast
from nooble_codemod.rules.typescript._types import annotated_names, object_types


def member_sites(ctx, wanted: dict[str, set[str]]) -> list[tuple[str, str, int, int, str]]:
    """(type, member, start, end, read expression or "" for the declaration) for `wanted` type -> members."""
    out = []
    for otype in object_types(ctx):
        for member in otype.members if otype.name in wanted else ():
            key = member.child_by_field_name("name")
            named = _ast.property_name(ctx, key)
            if named and named[0] in wanted[otype.name]:
                out.append((otype.name, named[0], key.start_byte + len(named[1]), key.end_byte - len(named[1]), ""))
    known = annotated_names(ctx, lambda t: t in wanted)
    for expr in _ast.nodes(ctx, "member_expression") if known else ():
        prop, obj = expr.child_by_field_name("property"), expr.child_by_field_name("object")
        if prop is None or obj is None or obj.type != "identifier":
            continue
        types = {t for name, scope, t in known
                 if name == _ast.text(ctx, obj) and _ast.contains(scope, expr) and _ast.text(ctx, prop) in wanted[t]}
        if len(types) == 1:
            out.append((types.pop(), _ast.text(ctx, prop), prop.start_byte, prop.end_byte, _ast.text(ctx, expr)))
    return out
