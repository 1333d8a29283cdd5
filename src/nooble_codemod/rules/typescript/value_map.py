"""ts-value-map: a boolean column replaced by an enum (conversations.is_active → status)."""

from __future__ import annotations

from nooble_codemod.model import Edit
from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.query import NameSite, ValueMapRule, value_map_filter, value_map_tables
from nooble_codemod.rules.typescript import _ast
from nooble_codemod.rules.typescript._chains import ChainIndex
from nooble_codemod.rules.typescript._names import column_list, payload_objects

_BOOLS = {"true": True, "false": False}


def _bool(node) -> bool | None:
    return _BOOLS.get(node.type) if node is not None else None


def preferred_quote(ctx) -> str:
    """The quote most string literals of the file use, for strings a rule writes."""
    def count():
        strings = _ast.nodes(ctx, "string")
        doubles = sum(1 for n in strings if ctx.source.data[n.start_byte:n.start_byte + 1] == b'"')
        return '"' if doubles > len(strings) - doubles else "'"
    return ctx.cached("ts.quote", count)


class ValueMap(ValueMapRule, Rule):
    chains = ChainIndex
    id = "ts-value-map"
    local = True
    language = "typescript"
    reads = ("value_maps",)
    summary = "Replace filters and payloads of a boolean column the spec maps to an enum (`[[value_maps]]`)"
    fix_safety = "safe"
    doc = """
Applies a spec `[[value_maps]]` entry (conversations.is_active → status) in
supabase-js chains on the tables it covers:

- filters: `.eq('is_active', true)` → `.eq('status', 'active')`,
  `.eq('is_active', false)` → `.neq('status', 'active')` (the spec's `filters`;
  `neq` and `is` are handled as their equality meaning);
- payload objects: `is_active: true` → `status: 'active'`, `false` → `'closed'`
  (the spec's `values`), quoted keys keep their quotes.

Reported without a fix: any other value (a variable, null), a shorthand
`{ is_active }`, other filter methods, and the old column in select lists.

Why: the migration replaced the boolean by an enum
('active' | 'closed' | 'archived'); `is_active` on agents and widget tables
stays, so only chains resolved to the mapped tables change.

Example: `.from('conversations').select('*').eq('is_active', true)` →
`.eq('status', 'active')`.
"""

    def filter_column(self, ctx, call):
        return _ast.static_string(ctx, _ast.unwrap(call.arg(0)))

    def payloads(self, ctx, call):
        return payload_objects(call.arg(0), ctx)

    def select_sites(self, ctx, call):
        return column_list(ctx, _ast.unwrap(call.arg(0)))

    def filter(self, ctx, syntax, vm, call, column):
        value_node = _ast.unwrap(call.arg(1))
        value = _bool(value_node)
        mapped = value_map_filter(syntax, vm, call.name, value) if value is not None else None
        if mapped is None:
            return self.report(ctx, vm, column.start, column.end,
                               f".{call.name}('{vm.old}', …) on {', '.join(vm.tables)}: only "
                               f"= true/false map onto '{vm.new}' by themselves")
        method, new_value = mapped
        q = column.quote
        edits = [Edit(column.start, column.end, vm.new),
                 Edit(value_node.start_byte, value_node.end_byte, f"{q}{new_value}{q}")]
        if method != call.name:
            edits.append(Edit(call.name_node.start_byte, call.name_node.end_byte, method))
        return self.finding(ctx, column.start, column.end, vm.checklist,
                            f"'{vm.old}' = {str(value).lower()} is {method}('{vm.new}', '{new_value}') in {ctx.spec.after}", edits)

    def payload(self, ctx, target, olds, obj):
        for child in obj.named_children:
            if child.type == "shorthand_property_identifier" and _ast.text(ctx, child) in olds:
                vm = value_map_tables(ctx.spec, target, _ast.text(ctx, child))
                if vm is not None:
                    yield self.report(ctx, vm, child.start_byte, child.end_byte,
                                      f"'{vm.old}' is written from a variable; write '{vm.new}' "
                                      f"({' | '.join(vm.enum)}) instead")
                continue
            if child.type != "pair":
                continue
            key = child.child_by_field_name("key")
            named = _ast.property_name(ctx, key)
            if named is None or named[0] not in olds:
                continue
            vm = value_map_tables(ctx.spec, target, named[0])
            if vm is None:
                continue
            qlen = len(named[1])
            site = NameSite(named[0], key.start_byte + qlen, key.end_byte - qlen)
            value_node = _ast.unwrap(child.child_by_field_name("value"))
            value = _bool(value_node)
            if value is None:
                yield self.report(ctx, vm, site.start, site.end,
                                  f"'{vm.old}' is written with a value that is not true/false; "
                                  f"write '{vm.new}' ({' | '.join(vm.enum)}) instead")
                continue
            new_value = vm.values["true" if value else "false"]
            q = named[1] or preferred_quote(ctx)
            yield self.finding(ctx, site.start, site.end, vm.checklist,
                               f"'{vm.old}': {str(value).lower()} is '{vm.new}': '{new_value}' in {ctx.spec.after}",
                               [site.rename(vm.new),
                                Edit(value_node.start_byte, value_node.end_byte, f"{q}{new_value}{q}")])
