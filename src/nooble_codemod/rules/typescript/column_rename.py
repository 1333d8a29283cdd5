"""ts-column-rename: columns renamed by the spec, inside supabase-js query chains."""

from __future__ import annotations

from nooble_codemod.rules import Rule
from nooble_codemod.rules.typescript import _ast
from nooble_codemod.rules.typescript._chains import ChainIndex, MethodCall, Target
from nooble_codemod.rules.typescript._names import (NameSite, column_list, first_string_name, object_keys,
                                                    payload_objects)


def ambiguous_checklist(spec, language: str, name: str, candidates: list[str]) -> str:
    """One checklist id for a name whose table is not known: the only candidate,
    else the language-wide item for the word (e.g. FE-1 for tenant_id), else
    the first candidate."""
    ids = list(dict.fromkeys(candidates))
    if len(ids) == 1:
        return ids[0]
    field = spec.field_renames_for(language).get(name)
    if field is not None:
        return field.checklist_for(language)
    return spec.leftovers_for(language).get(name, ids[0])


def tables_text(tables) -> str:
    return ", ".join(tables)


class ColumnRename(Rule):
    id = "ts-column-rename"
    language = "typescript"
    checklist = ("DB-1", "DB-2", "DB-3", "DB-6")
    summary = "Rename V5 columns in supabase-js filters, select lists and insert/update/upsert payloads"
    fix_safety = "safe"
    doc = """
Renames the columns the spec renames (`[[column_renames]]`) where a
supabase-js query chain names them, on the table the chain is on:

- the first argument of filter methods: `.eq('tenant_id', id)`, `.order(…)`, and
  the keys of `.match({ … })`;
- plain top-level names of `.select('id, tenant_id')` (embedded resources,
  aliases and casts are left alone);
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

    def words(self, spec, settings):
        return {r.old for r in spec.column_renames}

    def run(self, ctx):
        chains = ChainIndex.of(ctx)
        renamed = {r.old for r in ctx.spec.column_renames}
        for call, target in chains.calls:
            for site in self.sites(ctx, chains, call):
                if site.name in renamed:
                    finding = self.judge(ctx, site, target)
                    if finding is not None:
                        yield finding

    # Where a chain call names columns. Extended by later issues (`.or(...)`
    # filter strings, upsert onConflict lists, foreign-table filters).
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
            for obj in payload_objects(first):
                yield from object_keys(ctx, obj)

    def judge(self, ctx, site: NameSite, target: Target):
        spec = ctx.spec
        if not target.resolved:
            everywhere = [r for r in spec.column_renames if r.old == site.name]
            tables = [t for r in everywhere for t in r.tables]
            cid = ambiguous_checklist(spec, self.language, site.name, [r.checklist for r in everywhere])
            advice = spec.checklist[cid].advice
            return self.finding(
                ctx, site.start, site.end, cid,
                f"'{site.name}' is renamed on {tables_text(tables)}, but the table of this query "
                f"(from({target.written})) could not be resolved: check it by hand. {advice}")
        per_table = {t: spec.column_renames_for(t).get(site.name) for t in target.tables}
        hits = [r for r in per_table.values() if r is not None]
        if not hits:
            return None  # e.g. agents.tenant_id: not this rule's business
        if len(hits) == len(per_table) and len({r.new for r in hits}) == 1:
            rename = hits[0]
            return self.finding(ctx, site.start, site.end, rename.checklist,
                                f"{target.describe(spec)}: column '{site.name}' is '{rename.new}' in V6",
                                [site.rename(rename.new)])
        # A family some of whose tables rename the column and some do not.
        some = [t for t, r in per_table.items() if r is not None]
        rest = [t for t, r in per_table.items() if r is None]
        return self.finding(
            ctx, site.start, site.end, hits[0].checklist,
            f"from({target.written}) can be any of {tables_text(target.tables)}; '{site.name}' is renamed on "
            f"{tables_text(some)} but not on {tables_text(rest)}: split the query or check it by hand. "
            f"{spec.checklist[hits[0].checklist].advice}")
