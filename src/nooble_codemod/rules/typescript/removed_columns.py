"""ts-removed-columns: columns the spec removes, and inserts missing a column it requires."""

from __future__ import annotations

from nooble_codemod.model import Edit, Safety
from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.query import column_list_items
from nooble_codemod.rules.typescript import _ast
from nooble_codemod.rules.typescript._chains import ChainIndex
from nooble_codemod.rules.typescript._names import first_string_name, payload_objects


def _removals(spec, target):
    """column -> removal, when every table the chain can be on removes it the same way."""
    if not target.resolved:
        return {}
    per = [spec.column_removals_for(t) for t in target.tables]
    return {c: r for c, r in per[0].items() if all(p.get(c) == r for p in per[1:])}


class RemovedColumns(Rule):
    id = "ts-removed-columns"
    local = True
    language = "typescript"
    reads = ("column_removals", "rewrites", "insert_requirements")
    summary = "Columns the spec removes: replaced where it names a duplicate or replacement, reported where a human must decide"
    fix_safety = "unsafe"
    doc = """
For each supabase-js query chain resolved to a table, the columns the spec
removes (`[[column_removals]]`):

- `duplicate_of` (documents_rag.tenant_id, which held the same id as
  user_id): filters and keys are renamed to that column; a payload or select
  list that already has it (or a column renamed to it) drops the duplicate;
- with a `jsonb-array` replacement (documents_rag.agent_id → agent_ids):
  `.eq('agent_id', x)` → `.contains('agent_ids', [x])` and `agent_id: x` →
  `agent_ids: [x]`, as unsafe fixes (`--unsafe-fixes`): the query's meaning
  must be checked;
- without one (profiles.agents, profiles.widgets, profiles.version): every
  select, filter and payload naming it is reported with the guide's advice,
  as are reads such as `profile.widgets` / `profile?.agents` on a value whose
  name says it is a row of that table (`[type_tables]`).

It also reports inserts that lack a column the spec requires (`[[insert_requirements]]`:
widget inserts without `position`, FE-4). In a file the guide rewrites as a
whole (`[[rewrites]]`: public-profile-api.tsx) the reports carry that item (FE-3).

Why: a removed column fails at run time, not at compile time (rows are
untyped), so each use must be found; only a true duplicate is safe to rewrite.

Example: `.from('profiles').select('id, agents, widgets')` → reported (DB-7,
DB-8); `.from('documents_rag').insert({ user_id: u, tenant_id: u })` →
`insert({ user_id: u })`.
"""

    def words(self, spec, settings):
        # A column matters only next to its table's name (or, for row reads, a
        # type of that table: `profile.widgets`).
        out = set()
        for r in spec.column_removals:
            for table in r.tables:
                out.add((table.rstrip("*"), r.column))
                if not (r.replacement or r.duplicate_of):
                    for type_name in spec.types_for_table(table):
                        out |= {(type_name, r.column), (type_name.lower(), r.column)}
        for req in spec.raw.get("insert_requirements", []):
            out |= {(table.rstrip("*"), "insert") for table in req["tables"]}
        return out

    def statement_words(self, spec, settings):
        # Each pair of words() is (what names the table or row, what the site names): the site's.
        return {site for _, site in self.words(spec, settings)}

    def run(self, ctx):
        spec = ctx.spec
        chains = ChainIndex.of(ctx)
        syntax = chains.syntax
        for call, target in chains.calls:
            removals = _removals(spec, target)
            if call.name in syntax.filter_methods and removals:
                site = first_string_name(ctx, _ast.unwrap(call.arg(0)))
                if site is not None and site.name in removals:
                    yield self._filter(ctx, call, site, removals[site.name], target)
            elif call.name in syntax.select_methods and removals:
                yield from self._select(ctx, call, removals, target)
            elif call.name in syntax.payload_methods:
                for obj in payload_objects(call.arg(0), ctx):
                    if removals:
                        yield from self._payload(ctx, obj, removals, target)
                    if call.name == "insert" and target.resolved:
                        yield from self._required(ctx, call, obj, target)
        yield from self._row_reads(ctx)

    # -- reports -------------------------------------------------------------------------
    def _report(self, ctx, start, end, removal, what):
        cid = ctx.spec.rewrite_checklist(ctx.path, removal.checklist)
        why = f" ({removal.reason})" if removal.reason else ""
        return self.finding(ctx, start, end, cid,
                            f"{what}: '{removal.column}' is removed in {ctx.spec.after}{why}. {ctx.spec.checklist[cid].advice}")

    # -- filters ---------------------------------------------------------------------------
    def _filter(self, ctx, call, site, removal, target):
        where = target.describe(ctx.spec)
        if removal.duplicate_of:
            return self.finding(ctx, site.start, site.end, removal.checklist,
                                f"{where}: '{site.name}' is gone, '{removal.duplicate_of}' holds the same value",
                                [site.rename(removal.duplicate_of)])
        value = _ast.unwrap(call.arg(1))
        if removal.replacement_kind == "jsonb-array" and call.name == "eq" and value is not None:
            return self.finding(
                ctx, site.start, site.end, removal.checklist,
                f"{where}: '{site.name}' is gone; .contains('{removal.replacement}', [value]) matches rows "
                f"that list the value — check the query still means what it did",
                [Edit(call.name_node.start_byte, call.name_node.end_byte, "contains"),
                 site.rename(removal.replacement),
                 Edit(value.start_byte, value.start_byte, "["), Edit(value.end_byte, value.end_byte, "]")],
                safety=Safety.UNSAFE)
        return self._report(ctx, site.start, site.end, removal, f"{where}: .{call.name}('{site.name}', …)")

    # -- select lists ---------------------------------------------------------------------
    def _select(self, ctx, call, removals, target):
        s = _ast.static_string(ctx, _ast.unwrap(call.arg(0)))
        if s is None:
            return
        items = column_list_items(s.value)
        present = {name for name, _ in items} | _renamed_to(ctx.spec, target, {name for name, _ in items})
        for i, (name, index) in enumerate(items):
            removal = removals.get(name)
            if removal is None:
                continue
            start = s.start + len(s.value[:index].encode())
            end = start + len(name.encode())
            where = f"{target.describe(ctx.spec)}: select of '{name}'"
            if removal.duplicate_of:
                if removal.duplicate_of in present:
                    # Drop the item with the separator after it (or before it, if last).
                    if i + 1 < len(items):
                        cut = (start, s.start + len(s.value[:items[i + 1][1]].encode()))
                    else:
                        prev_end = s.value.rfind(",", 0, index)
                        cut = (s.start + len(s.value[:prev_end].encode()), end) if prev_end >= 0 else (start, end)
                    yield self.finding(ctx, start, end, removal.checklist,
                                       f"{where}: gone in {ctx.spec.after}, and '{removal.duplicate_of}' is already selected",
                                       [Edit(cut[0], cut[1], "")])
                else:
                    yield self.finding(ctx, start, end, removal.checklist,
                                       f"{where}: gone in {ctx.spec.after}, '{removal.duplicate_of}' holds the same value",
                                       [Edit(start, end, removal.duplicate_of)])
            elif removal.replacement_kind == "jsonb-array":
                yield self.finding(ctx, start, end, removal.checklist,
                                   f"{where}: gone in {ctx.spec.after}; '{removal.replacement}' is an array — code reading "
                                   f"the value must read the array",
                                   [Edit(start, end, removal.replacement)], safety=Safety.UNSAFE)
            else:
                yield self._report(ctx, start, end, removal, where)

    # -- payloads ------------------------------------------------------------------------------
    def _payload(self, ctx, obj, removals, target):
        pairs = {}
        for child in obj.named_children:
            if child.type == "pair":
                named = _ast.property_name(ctx, child.child_by_field_name("key"))
                if named:
                    pairs[named[0]] = (child, named[1])
            elif child.type == "shorthand_property_identifier":
                pairs[_ast.text(ctx, child)] = (child, None)
        present = set(pairs) | _renamed_to(ctx.spec, target, set(pairs))
        where = target.describe(ctx.spec)
        for name, (node, quote) in pairs.items():
            removal = removals.get(name)
            if removal is None:
                continue
            if removal.duplicate_of and quote is not None:
                key = node.child_by_field_name("key")
                if removal.duplicate_of in present:
                    yield self.finding(ctx, key.start_byte, key.end_byte, removal.checklist,
                                       f"{where}: '{name}' is gone in {ctx.spec.after} and duplicated '{removal.duplicate_of}', "
                                       f"which this payload already sets", [_remove_property(ctx, node)])
                else:
                    q = len(quote)
                    yield self.finding(ctx, key.start_byte, key.end_byte, removal.checklist,
                                       f"{where}: '{name}' is gone, '{removal.duplicate_of}' holds the same value",
                                       [Edit(key.start_byte + q, key.end_byte - q, removal.duplicate_of)])
            elif removal.replacement_kind == "jsonb-array" and quote is not None:
                key, value = node.child_by_field_name("key"), node.child_by_field_name("value")
                q = len(quote)
                yield self.finding(ctx, key.start_byte, key.end_byte, removal.checklist,
                                   f"{where}: '{name}' is gone; '{removal.replacement}' is an array of them",
                                   [Edit(key.start_byte + q, key.end_byte - q, removal.replacement),
                                    Edit(value.start_byte, value.start_byte, "["),
                                    Edit(value.end_byte, value.end_byte, "]")], safety=Safety.UNSAFE)
            else:
                yield self._report(ctx, node.start_byte, node.end_byte, removal, f"{where}: writes '{name}'")

    def _required(self, ctx, call, obj, target):
        keys = {_ast.property_name(ctx, c.child_by_field_name("key")) for c in obj.named_children if c.type == "pair"}
        names = {k[0] for k in keys if k} | {_ast.text(ctx, c) for c in obj.named_children
                                            if c.type == "shorthand_property_identifier"}
        for table in target.tables[:1]:
            for req in ctx.spec.insert_requirements_for(table):
                missing = [c for c in req["columns"] if c not in names]
                if missing:
                    cid = req["checklist"]
                    yield self.finding(ctx, call.name_node.start_byte, call.name_node.end_byte, cid,
                                       f"{target.describe(ctx.spec)}: this insert does not set "
                                       f"{', '.join(missing)}, which {ctx.spec.after} orders rows by. {ctx.spec.checklist[cid].advice}")

    # -- reads of a row's removed field --------------------------------------------------------
    def _row_reads(self, ctx):
        spec = ctx.spec
        by_word = {}
        for removal in spec.column_removals:
            if removal.replacement or removal.duplicate_of:
                continue
            for table in removal.tables:
                for type_name in spec.types_for_table(table):
                    by_word.setdefault(type_name.lower(), {})[removal.column] = removal
        if not by_word:
            return
        for member in _ast.nodes(ctx, "member_expression"):
            prop = member.child_by_field_name("property")
            obj = _ast.unwrap(member.child_by_field_name("object"))
            if prop is None or obj is None or prop.type != "property_identifier":
                continue
            name = _ast.text(ctx, prop)
            holder = obj.child_by_field_name("property") if obj.type == "member_expression" else obj
            if holder is None or holder.type not in ("identifier", "property_identifier"):
                continue
            word = _ast.text(ctx, holder).lower()
            for type_word, columns in by_word.items():
                if type_word in word and name in columns:
                    yield self._report(ctx, prop.start_byte, prop.end_byte, columns[name],
                                       f"'{_ast.text(ctx, member)}' reads a {type_word}'s '{name}'")


def _renamed_to(spec, target, names: set[str]) -> set[str]:
    """The names that `names` become through the chain's column renames."""
    out = set()
    for table in target.tables or ():
        renames = spec.column_renames_for(table)
        out |= {renames[n].new for n in names if n in renames}
    return out


def _remove_property(ctx, node) -> Edit:
    """Remove an object property with one of its commas."""
    data = ctx.source.data
    after = node.next_sibling
    if after is not None and after.type == ",":
        end = after.end_byte
        while data[end:end + 1] in (b" ", b"\t"):
            end += 1
        start = node.start_byte
        line_start = data.rfind(b"\n", 0, start) + 1
        if not data[line_start:start].strip() and data[end:end + 1] in (b"\n", b"\r"):
            nl = data.find(b"\n", end)
            return Edit(line_start, nl + 1 if nl >= 0 else len(data), "")
        return Edit(start, end, "")
    before = node.prev_sibling
    if before is not None and before.type == ",":
        return Edit(before.start_byte, node.end_byte, "")
    return Edit(node.start_byte, node.end_byte, "")
