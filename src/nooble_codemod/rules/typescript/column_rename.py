"""ts-column-rename: columns renamed by the spec, inside supabase-js query chains."""

from __future__ import annotations

from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.query import ColumnRenameRule, Target, referenced_target
from nooble_codemod.rules.typescript import _ast
from nooble_codemod.rules.typescript._chains import ChainIndex, MethodCall
from nooble_codemod.rules.typescript._names import (column_list, first_string_name, object_keys, or_filter_sites,
                                                   payload_objects)


class ColumnRename(ColumnRenameRule, Rule):
    chains = ChainIndex
    id = "ts-column-rename"
    local = True
    language = "typescript"
    reads = ("column_renames",)
    summary = "Rename the columns the spec renames in supabase-js filters, select lists and insert/update/upsert payloads"
    fix_safety = "safe"
    doc = """
Renames the columns the spec renames (`[[column_renames]]`) where a
supabase-js query chain names them, on the table the chain is on:

- the first argument of filter methods: `.eq('tenant_id', id)`, `.order(…)`, and
  the keys of `.match({ … })`;
- plain top-level names of `.select('id, tenant_id')` (embedded resources,
  aliases and casts are left alone), and the columns of embedded resources
  (`.select('*, documents_rag(id, profile_id)')`) on the resource's own table;
- columns of `.or('tenant_id.eq.1,and(…)')` filter strings, also in template
  literals and `+` concatenations (their literal parts), on the embedded
  table an option names (`{ referencedTable: 'conversations' }`: the spec's
  `reference_keywords`) when one does;
- keys of `.insert/.update/.upsert` object literals, also inside arrays; quoted
  keys keep their quotes and a shorthand `{ tenant_id }` becomes
  `{ user_id: tenant_id }`.

Why: the same column name means different things on different tables
(`profile_id` becomes `user_id` on `widget_*` and `documents_rag` only), so the
table is resolved first. A template literal such as `` from(`widget_${type}`) ``
stands for the whole widget family: the rename is applied only if it holds
for every table of the family. When the table cannot be resolved (a variable,
a call) and the column is one some table renames, the site is reported, not
guessed.

Example: `supabase.from('conversations').select('*').eq('tenant_id', id)` →
`.eq('user_id', id)`; the same `.eq('tenant_id', …)` on `agents` or on an unknown
table is left alone.
"""

    def sites(self, ctx, chains: ChainIndex, call: MethodCall):
        syntax = chains.syntax
        first = _ast.unwrap(call.arg(0))
        if call.name in syntax.filter_methods:
            site = first_string_name(ctx, first)
            if site is not None:
                yield site
            elif first is not None and first.type == "object":  # .match({ col: value })
                yield from object_keys(ctx, first)
        elif call.name in syntax.select_methods:
            yield from column_list(ctx, first)
        elif call.name in syntax.payload_methods:
            for obj in payload_objects(first, ctx):
                yield from object_keys(ctx, obj)
        elif call.name in syntax.or_methods:
            yield from or_filter_sites(ctx, first)

    def filtered_table(self, ctx, chains, call: MethodCall, target: Target) -> Target:
        # `.or('…', { referencedTable: 't' })` filters the embedded resource t, not the chain's table.
        keywords = chains.syntax.reference_keywords
        if call.name not in chains.syntax.or_methods or not keywords:
            return target
        options = _ast.unwrap(call.arg(1))
        if options is None:
            return target
        if options.type != "object":  # options held elsewhere may name one: not guessed
            return Target(None, _ast.text(ctx, options), call.node, call.name)
        ref, key = None, ""
        for child in options.named_children:
            if child.type == "pair":
                named = _ast.property_name(ctx, child.child_by_field_name("key"))
                if named is not None and named[0] in keywords:
                    ref, key = _ast.unwrap(child.child_by_field_name("value")), named[0]
            elif child.type == "shorthand_property_identifier" and _ast.text(ctx, child) in keywords:
                ref, key = child, _ast.text(ctx, child)
            elif child.type == "spread_element":
                return Target(None, _ast.text(ctx, options), call.node, call.name)
        if ref is None or ref.type in ("undefined", "null"):
            return target
        literal = _ast.static_string(ctx, ref)
        return referenced_target(ctx.spec, literal.value if literal is not None else None, _ast.text(ctx, ref),
                                 call.node, key)

    def select_strings(self, ctx, call: MethodCall):
        s = _ast.static_string(ctx, _ast.unwrap(call.arg(0)))
        return [s] if s is not None else []
