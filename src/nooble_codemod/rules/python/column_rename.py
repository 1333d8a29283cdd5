"""py-column-rename: columns renamed by the spec, inside supabase-py query chains."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.query import ColumnRenameRule
from nooble_codemod.rules.python._chains import ChainIndex, MethodCall
from nooble_codemod.rules.python._names import column_strings, dict_keys, first_string_name, payload_dicts


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
