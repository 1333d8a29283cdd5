"""py-column-rename: columns renamed by the spec, inside supabase-py query chains."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.query import ColumnRenameRule, Target, referenced_target
from nooble_codemod.rules.python._chains import ChainIndex, MethodCall
from nooble_codemod.rules.python import _cst
from nooble_codemod.rules.python._names import (column_strings, dict_keys, first_string_name, or_filter_sites,
                                               payload_dicts, select_literals)


class ColumnRename(ColumnRenameRule, Rule):
    chains = ChainIndex
    id = "py-column-rename"
    local = True
    language = "python"
    reads = ("column_renames",)
    summary = "Rename the columns the spec renames in supabase-py filters, select lists and insert/update/upsert payloads"
    fix_safety = "safe"
    doc = """
Renames the columns the spec renames (`[[column_renames]]`) where a
supabase-py query chain names them, on the table the chain is on
(`client.table('t')` or `.from_('t')`, also through `self.client`, split over
lines with backslashes or parentheses, and inside `lambda:` bodies):

- the first argument of filter methods: `.eq('tenant_id', x)`, `.order(…)`
  (or `column=`), and the keys of `.match({…})`;
- plain top-level names of `.select('id, tenant_id')` and `.select('id', 'tenant_id')`;
- the columns of embedded resources (`.select('*, documents_rag(id, profile_id)')`)
  on the resource's own table (a resource the spec does not know is reported);
- columns of `.or_('tenant_id.eq.1,and(…)')` filter strings, also in
  f-strings and concatenations (their literal parts: `f"tenant_id.eq.{x}"`);
  an item whose column is itself a substitution (`f"{col}.eq.{x}"`) on a
  table that renames columns is reported, since the column is not known;
- string keys of `.insert/.update/.upsert` dicts, also inside lists, and
  keyword names of a `dict(tenant_id=…)` payload.

Why: the same column name means different things on different tables
(`profile_id` becomes `user_id` on `widget_*` and `documents_rag` only), so the
table is resolved first; an f-string such as f"widget_{kind}" stands for the
whole widget family. When the table cannot be resolved and the column is one
some table renames, the site is reported, not guessed.

Example: `self.client.table('conversations').select('*').eq('tenant_id', tenant_id)`
→ `.eq('user_id', tenant_id)`; the same filter on `agents` is left alone.
"""

    def sites(self, ctx, chains: ChainIndex, call: MethodCall):
        syntax = chains.syntax
        if call.name in syntax.filter_methods:
            first = call.arg(0, "column")
            site = first_string_name(ctx, first)
            if site is not None:
                yield site
            elif isinstance(first, cst.Dict):  # .match({'col': value})
                yield from dict_keys(ctx, first)
        elif call.name in syntax.select_methods:
            yield from column_strings(ctx, call.positional())
        elif call.name in syntax.payload_methods:
            for payload in payload_dicts(call.arg(0, "json"), ctx):
                yield from dict_keys(ctx, payload)
        elif call.name in syntax.or_methods:
            yield from or_filter_sites(ctx, call.arg(0, "filters"))[0]

    def filtered_table(self, ctx, chains, call: MethodCall, target: Target) -> Target:
        # `.or_("…", reference_table="t")` filters the embedded resource t, not the chain's table.
        if call.name not in chains.syntax.or_methods:
            return target
        # The keyword as written names it in messages; a positional one, the call.
        ref, key = next(((a.value, a.keyword.value) for a in call.node.args if a.keyword is not None
                         and a.keyword.value in chains.syntax.reference_keywords), (call.arg(1), call.name))
        if ref is None or isinstance(ref, cst.Name) and ref.value == "None":
            return target
        return referenced_target(ctx.spec, _cst.string_value(ref), _cst.written(ctx, ref), call.node, key)

    def select_strings(self, ctx, call: MethodCall):
        return select_literals(ctx, call.positional())

    def unknown_columns(self, ctx, chains, call: MethodCall):
        if call.name not in chains.syntax.or_methods:
            return []
        return [(*_cst.span(ctx, expr), _cst.written(ctx, expr)) for expr in or_filter_sites(ctx, call.arg(0, "filters"))[1]]
