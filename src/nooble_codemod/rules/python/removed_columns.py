"""py-removed-columns: columns the spec removes, in supabase-py query chains."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.model import Edit
from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.query import PLAIN_NAME, NameSite, column_list_items
from nooble_codemod.rules.python import _cst
from nooble_codemod.rules.python._chains import ChainIndex
from nooble_codemod.rules.python._names import first_string_name, payload_dicts


def _removals(spec, target):
    """column -> removal, when every table the chain can be on removes it the same way."""
    if not target.resolved:
        return {}  # an unknown table may still have the column
    per = [spec.column_removals_for(t) for t in target.tables]
    return {c: r for c, r in per[0].items() if all(p.get(c) == r for p in per[1:])}


def _renamed_to(spec, target, names: set[str]) -> set[str]:
    """The names that `names` become through the chain's column renames."""
    out = set()
    for table in target.tables or ():
        renames = spec.column_renames_for(table)
        out |= {renames[n].new for n in names if n in renames}
    return out


def _entries(ctx, node) -> list[tuple[NameSite, int, int]]:
    """(the written key, the entry's start, its end) of a dict display with
    literal keys, or of the keywords of a `dict(...)` call."""
    out = []
    if isinstance(node, cst.Dict):
        for el in node.elements:
            if isinstance(el, cst.DictElement):
                s = _cst.static_string(ctx, el.key)
                if s is not None and PLAIN_NAME.match(s.value):
                    out.append((NameSite(s.value, s.start, s.end), _cst.span(ctx, el.key)[0],
                                _cst.span(ctx, el.value)[1]))
    elif isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict":
        for a in node.args:
            if a.keyword is not None:
                start, end = _cst.span(ctx, a.keyword)
                out.append((NameSite(a.keyword.value, start, end), start, _cst.span(ctx, a.value)[1]))
    return out


def _remove_item(data: bytes, start: int, end: int) -> Edit:
    """Remove one item of a comma-separated sequence (a dict entry, an
    argument, a column-list name) with one comma: the one after it (its
    whole line when it has the line to itself), else the one before it."""
    after = end
    while data[after:after + 1] in (b" ", b"\t"):
        after += 1
    if data[after:after + 1] == b",":
        after += 1
        while data[after:after + 1] in (b" ", b"\t"):
            after += 1
        line_start = data.rfind(b"\n", 0, start) + 1
        if not data[line_start:start].strip() and data[after:after + 1] in (b"\n", b"\r"):
            nl = data.find(b"\n", after)
            return Edit(line_start, nl + 1 if nl >= 0 else len(data), "")
        return Edit(start, after, "")
    before = start
    while before > 0 and data[before - 1:before] in (b" ", b"\t", b"\n", b"\r"):
        before -= 1
    if data[before - 1:before] == b",":
        return Edit(before - 1, end, "")
    return Edit(start, end, "")


class RemovedColumns(Rule):
    chains = ChainIndex
    id = "py-removed-columns"
    local = True
    language = "python"
    reads = ("column_removals",)
    summary = "Columns the spec removes in supabase-py chains: a duplicate becomes its twin, others are reported"
    fix_safety = "safe"
    doc = """
For each supabase-py query chain resolved to a table, the columns the spec
removes (`[[column_removals]]`):

- `duplicate_of` (documents_rag.tenant_id, which always held the same id as
  user_id): a filter on it filters on that column (`.eq('tenant_id', x)` →
  `.eq('user_id', x)`); in a select list or an insert/update/upsert payload
  (a dict, a list of dicts, the dict a list comprehension builds per row, a
  `dict(…)` call, or a variable holding one of these) it becomes that column,
  or goes when the list or payload already names it or a column renamed to
  it (`profile_id`, which becomes user_id on documents_rag);
- any other removal (profiles.agents, profiles.widgets, profiles.version,
  documents_rag.agent_id) is reported where a filter, select or payload names
  it, with the guide's advice: the query must be rewritten by a human.

A chain whose table is not resolved is left alone: the column may still
exist on the table it is on.

Why: guide §1 "Removed Fields" — a removed column fails at run time, and
the duplicate held the same value, so using its twin keeps the query's meaning.

Example: `.table('documents_rag').select('collection_id').eq('tenant_id', x)`
→ `.eq('user_id', x)`; `.insert({'profile_id': u, 'tenant_id': u})` →
`.insert({'user_id': u})` (with py-column-rename).
"""

    def words(self, spec, settings):
        # A column matters only next to its table's name.
        return {(table.rstrip("*"), r.column) for r in spec.column_removals for table in r.tables}

    def statement_words(self, spec, settings):
        return {column for _, column in self.words(spec, settings)}

    def run(self, ctx):
        chains = ChainIndex.of(ctx)
        syntax = chains.syntax
        for call, target in chains.calls:
            removals = _removals(ctx.spec, target)
            if not removals:
                continue
            if call.name in syntax.filter_methods:
                first = call.arg(0, "column")
                site = first_string_name(ctx, first)
                if site is not None and site.name in removals:
                    yield self._filter(ctx, call, site, removals[site.name], target)
                elif isinstance(first, cst.Dict):  # .match({'col': value})
                    yield from self._entries(ctx, first, removals, target)
            elif call.name in syntax.select_methods:
                yield from self._select(ctx, call, removals, target)
            elif call.name in syntax.payload_methods:
                for payload in payload_dicts(call.arg(0, "json"), ctx):
                    yield from self._entries(ctx, payload, removals, target)

    def _report(self, ctx, start, end, removal, what):
        cid = ctx.spec.rewrite_checklist(ctx.path, removal.checklist)
        why = f" ({removal.reason})" if removal.reason else ""
        return self.finding(ctx, start, end, cid, f"{what}: '{removal.column}' is removed in {ctx.spec.after}{why}. "
                                                  f"{ctx.spec.checklist[cid].advice}")

    def _filter(self, ctx, call, site, removal, target):
        where = target.describe(ctx.spec)
        if removal.duplicate_of:
            return self.finding(ctx, site.start, site.end, removal.checklist,
                                f"{where}: '{site.name}' is gone, '{removal.duplicate_of}' holds the same value",
                                [site.rename(removal.duplicate_of)])
        return self._report(ctx, site.start, site.end, removal, f"{where}: .{call.name}('{site.name}', …)")

    def _select(self, ctx, call, removals, target):
        strings = [s for s in (_cst.static_string(ctx, a) for a in call.positional()) if s is not None]
        items = [(s, name, index) for s in strings for name, index in column_list_items(s.value)]
        names = {name for _, name, _ in items}
        present = names | _renamed_to(ctx.spec, target, names)
        data = ctx.source.data
        for s, name, index in items:
            removal = removals.get(name)
            if removal is None:
                continue
            start = s.start + len(s.value[:index].encode())
            end = start + len(name.encode())
            where = f"{target.describe(ctx.spec)}: select of '{name}'"
            if not removal.duplicate_of:
                yield self._report(ctx, start, end, removal, where)
            elif removal.duplicate_of not in present:
                yield self.finding(ctx, start, end, removal.checklist,
                                   f"{where}: gone in {ctx.spec.after}, '{removal.duplicate_of}' holds the same value",
                                   [Edit(start, end, removal.duplicate_of)])
            else:
                alone = s.value.strip() == name
                # A string naming only it is an argument of its own: the argument goes.
                cut = _remove_item(data, *_cst.span(ctx, s.node)) if alone else \
                    _remove_item(data, start, end)
                if not alone and cut.start < s.start:
                    cut = Edit(start, end, "")  # never past the opening quote
                yield self.finding(ctx, start, end, removal.checklist,
                                   f"{where}: gone in {ctx.spec.after}, and '{removal.duplicate_of}' is already selected",
                                   [cut])

    def _entries(self, ctx, node, removals, target):
        """The keys of a payload dict or `.match({…})`."""
        entries = _entries(ctx, node)
        names = {site.name for site, _, _ in entries}
        present = names | _renamed_to(ctx.spec, target, names)
        where = target.describe(ctx.spec)
        for site, start, end in entries:
            removal = removals.get(site.name)
            if removal is None:
                continue
            if not removal.duplicate_of:
                yield self._report(ctx, site.start, site.end, removal, f"{where}: writes '{site.name}'")
            elif removal.duplicate_of in present:
                yield self.finding(ctx, site.start, site.end, removal.checklist,
                                   f"{where}: '{site.name}' is gone in {ctx.spec.after} and duplicated "
                                   f"'{removal.duplicate_of}', which this payload already sets",
                                   [_remove_item(ctx.source.data, start, end)])
            else:
                yield self.finding(ctx, site.start, site.end, removal.checklist,
                                   f"{where}: '{site.name}' is gone, '{removal.duplicate_of}' holds the same value",
                                   [site.rename(removal.duplicate_of)])
