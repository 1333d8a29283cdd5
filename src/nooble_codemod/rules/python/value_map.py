"""py-value-map: a boolean column replaced by an enum (conversations.is_active → status)."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.model import Edit
from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.query import NameSite, ValueMapRule, value_map_filter, value_map_tables
from nooble_codemod.rules.python import _cst
from nooble_codemod.rules.python._chains import ChainIndex
from nooble_codemod.rules.python._names import column_strings, payload_dicts

_BOOLS = {"True": True, "False": False}


def _bool(node) -> bool | None:
    return _BOOLS.get(node.value) if isinstance(node, cst.Name) else None


class ValueMap(ValueMapRule, Rule):
    chains = ChainIndex
    id = "py-value-map"
    local = True
    language = "python"
    reads = ("value_maps",)
    summary = "Replace filters and payloads of a boolean column the spec maps to an enum (`[[value_maps]]`)"
    fix_safety = "safe"
    doc = """
Applies a spec `[[value_maps]]` entry (conversations.is_active → status) in
supabase-py chains on the tables it covers:

- filters: `.eq('is_active', True)` → `.eq('status', 'active')`,
  `.eq('is_active', False)` → `.neq('status', 'active')` (the spec's `filters`;
  `neq` and `is_` are handled as their equality meaning);
- payload dicts: `'is_active': True` → `'status': 'active'`, `False` → `'closed'`
  (the spec's `values`).

Reported without a fix: any other value (a variable, None), other filter
methods, and the old column in select lists or `order`.

Why: the migration replaced the boolean by an enum
('active' | 'closed' | 'archived'); `is_active` on agents and widget tables
stays, so only chains resolved to the mapped tables change.

Example: `.table('conversations').select('*').eq('is_active', True)` →
`.eq('status', 'active')`.
"""

    def filter_column(self, ctx, call):
        return _cst.static_string(ctx, call.arg(0, "column"))

    def payloads(self, ctx, call):
        return payload_dicts(call.arg(0, "json"), ctx)

    def select_sites(self, ctx, call):
        return column_strings(ctx, call.positional())

    def filter(self, ctx, syntax, vm, call, column):
        value_node = call.arg(1, "value")
        value = _bool(value_node)
        mapped = value_map_filter(syntax, vm, call.name, value) if value is not None else None
        if mapped is None:
            return self.report(ctx, vm, column.start, column.end,
                               f".{call.name}('{vm.old}', …) on {', '.join(vm.tables)}: only "
                               f"= True/False map onto '{vm.new}' by themselves")
        method, new_value = mapped
        q = column.quote
        edits = [Edit(column.start, column.end, vm.new), Edit(*_cst.span(ctx, value_node), f"{q}{new_value}{q}")]
        if method != call.name:
            edits.append(Edit(*_cst.span(ctx, call.node.func.attr), method))
        return self.finding(ctx, column.start, column.end, vm.checklist,
                            f"'{vm.old}' = {value} is {method}('{vm.new}', '{new_value}') in {ctx.spec.after}", edits)

    def payload(self, ctx, target, olds, payload):
        if not isinstance(payload, cst.Dict):
            return
        for el in payload.elements:
            if not isinstance(el, cst.DictElement):
                continue
            key = _cst.static_string(ctx, el.key)
            if key is None or key.value not in olds:
                continue
            vm = value_map_tables(ctx.spec, target, key.value)
            if vm is None:
                continue
            value = _bool(el.value)
            if value is None:
                yield self.report(ctx, vm, key.start, key.end,
                                  f"'{vm.old}' is written with a value that is not True/False; "
                                  f"write '{vm.new}' ({' | '.join(vm.enum)}) instead")
                continue
            new_value = vm.values["true" if value else "false"]
            q = key.quote
            yield self.finding(ctx, key.start, key.end, vm.checklist,
                               f"'{vm.old}': {value} is '{vm.new}': '{new_value}' in {ctx.spec.after}",
                               [NameSite(key.value, key.start, key.end).rename(vm.new),
                                Edit(*_cst.span(ctx, el.value), f"{q}{new_value}{q}")])
