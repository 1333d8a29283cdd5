"""ts-type-fields: renamed and duplicate columns in interfaces and type aliases that mirror a table."""

from __future__ import annotations

import fnmatch

from nooble_codemod.model import Edit, Severity
from nooble_codemod.rules import Rule
from nooble_codemod.rules.typescript import _ast
from nooble_codemod.rules.typescript._names import NameSite
from nooble_codemod.rules.typescript._types import annotated_names, mirrors, object_types, remove_member, tables_for_type


# Utility types whose second argument names members of the first.
_KEY_UTILITIES = {"Omit", "Pick"}


def _one(values):
    """The value every table agrees on, else None (a family that disagrees)."""
    values = list(values)
    return values[0] if values and values[0] is not None and all(v == values[0] for v in values) else None


class TypeFields(Rule):
    id = "ts-type-fields"
    local = True
    language = "typescript"
    reads = ("field_renames", "column_renames", "column_removals")
    summary = "Rename fields the spec renames, and drop duplicate columns, in types that mirror a table"
    fix_safety = "safe"
    doc = """
In an interface or a type alias's object type that mirrors a table, the
members named like that table's columns follow it:

- a member the table renames (`[[column_renames]]`: `profile_id` on
  documents_rag, `tenant_id` on conversations) gets the new name, with the
  rename's checklist id; a `[[type_edits]]` entry that renames it on a type
  it matches by name (the widget types) makes that change instead;
- a member the table removes as a duplicate (`[[column_removals]]` with
  `duplicate_of`: documents_rag.tenant_id, which held user_id) goes, with
  the comments above it, when the type has that column or a member renamed
  to it (`profile_id`); otherwise it becomes that column.

The table comes from the spec's `[type_tables]`, a `[[type_edits]]` entry
with a `table`, or the type's name (`ConversationRow` → conversations,
`WidgetLink` → widget_links); for a table with `[row_columns]` the type must
also have two of those members (`DocumentLink { url; tenant_id }` is not a
documents_rag row), and a type named like a row whose members are not that
table's columns (the spec's `[tables.columns]`) mirrors no table. Quoted keys keep their quotes; `?`, `readonly` and the
type stay as they are.

Reads of a changed member through a parameter or variable declared with
the type (`(doc: DocumentRow) => doc.profile_id`, `x: DocumentRow | null`)
follow it: to the new name, or to the twin for a dropped duplicate (the
same value), and so do the string keys of `Omit<T, 'k'>` / `Pick<T, 'k'>`
of the type. Reads through other receivers are left (ts-leftover reports
`tenant_id`; the compiler, the rest).

Reported without a fix: a type that already has the new name (a
collision), and a `tenant_id` (a `[[field_renames]]` name) in a type that
mirrors no table renaming it — as a warning, since it may belong to another API.

Why: guide §1 "Renamed Fields" and "Removed Fields", §2.7 — row types must
have the V6 columns, or the compiler hides the code still using the old ones.

Example: `interface Conversation { tenant_id: string; }` →
`interface Conversation { user_id: string; }`;
`interface DocumentRow { id: string; profile_id: string; tenant_id: string; collection_id: string }`
→ `{ id: string; user_id: string; collection_id: string }`.
"""

    def _reads_entry(self, entry: dict) -> bool:
        # Of the removals only the duplicates are this rule's; the query rules report the rest.
        if "column" in entry and not entry.get("duplicate_of"):
            return False
        return super()._reads_entry(entry)

    def words(self, spec, settings):
        out = set(spec.field_renames_for(self.language)) | {r.old for r in spec.column_renames}
        out |= {r.column for r in spec.column_removals if r.duplicate_of}
        return out

    def run(self, ctx):
        spec = ctx.spec
        fields = spec.field_renames_for(self.language)
        words = self.words(spec, ctx.settings)
        follow: dict[str, dict[str, tuple[str, str]]] = {}  # type -> member -> (what reads of it become, checklist)
        # A member of a route's JSON is decided with the back end (ts-contract).
        contract = {(c.type_name, c.old) for c in (ctx.project.contracts if ctx.project is not None else ())}
        for otype in object_types(ctx):
            sites = {}
            for member in otype.members:
                key = member.child_by_field_name("name")
                named = _ast.property_name(ctx, key)
                if named is not None and named[0] in words:
                    old, quote = named
                    sites.setdefault(old, (member, NameSite(old, key.start_byte + len(quote), key.end_byte - len(quote))))
            if not sites:
                continue
            names = otype.member_names(ctx)
            tables = tables_for_type(spec, otype.name) or ()
            shaped = all(spec.is_row_of(t, names) for t in tables) and mirrors(spec, names, tables) is not False
            for old, (member, site) in sites.items():
                if (otype.name, old) in contract:
                    continue
                finding, now = self.judge(ctx, otype, member, site, names, tables) if shaped else (None, None)
                if finding is None and old in fields:
                    finding = self.unmirrored(ctx, otype, site, fields[old], names, tables, shaped)
                if finding is not None:
                    yield finding
                if now is not None:
                    follow.setdefault(otype.name, {})[old] = (now, finding.checklist)
        yield from self._reads(ctx, follow)
        yield from self._utility_keys(ctx, follow)

    def _utility_keys(self, ctx, follow):
        """`Omit<DocumentRow, 'profile_id'>` / `Pick<…>` of a changed row type:
        the key follows the member (an Omit left naming the old key would keep
        the new member, a Pick would name a member the type no longer has)."""
        for generic in _ast.nodes(ctx, "generic_type") if follow else ():
            name = generic.child_by_field_name("name")
            args = generic.child_by_field_name("type_arguments")
            if name is None or args is None or _ast.text(ctx, name) not in _KEY_UTILITIES:
                continue
            targs = [a for a in args.named_children if a.type != "comment"]
            if len(targs) != 2 or targs[0].type != "type_identifier" or _ast.text(ctx, targs[0]) not in follow:
                continue
            target = _ast.text(ctx, targs[0])
            for lit in _ast.descendants(targs[1]):
                key = _ast.static_string(ctx, lit) if lit.type == "string" else None
                if key is not None and key.value in follow[target]:
                    new, cid = follow[target][key.value]
                    yield self.finding(ctx, key.start, key.end, cid,
                                       f"{_ast.text(ctx, name)}<{target}, …>: '{key.value}' is '{new}' in {ctx.spec.after}",
                                       [Edit(key.start, key.end, new)])

    def _reads(self, ctx, follow: dict[str, dict[str, tuple[str, str]]]):
        """`doc.profile_id` where `doc` is declared with a row type of this file
        whose member changed: the read follows (to the twin, for a dropped duplicate)."""
        if not follow:
            return
        known = annotated_names(ctx, lambda name: name in follow)
        for expr in _ast.nodes(ctx, "member_expression"):
            prop, obj = expr.child_by_field_name("property"), expr.child_by_field_name("object")
            if prop is None or obj is None or obj.type != "identifier":
                continue
            old = _ast.text(ctx, prop)
            hits = {follow[t][old] for name, scope, t in known
                    if old in follow[t] and name == _ast.text(ctx, obj) and _ast.contains(scope, expr)}
            if len(hits) == 1:
                (new, cid), = hits
                yield self.finding(ctx, prop.start_byte, prop.end_byte, cid,
                                   f"'{_ast.text(ctx, expr)}' reads '{old}', which is '{new}' in {ctx.spec.after}",
                                   [Edit(prop.start_byte, prop.end_byte, new)])

    def judge(self, ctx, otype, member, site: NameSite, names: set[str], tables):
        """The finding for a member of a row of `tables` and the name its reads
        take (None: they stay); (None, None) when no table renames or
        duplicates it (or a type edit renames it on this type)."""
        spec, old = ctx.spec, site.name
        where = tables[0] if len(tables) == 1 else ", ".join(tables)
        twin = _one(spec.duplicates_for(t).get(old) for t in tables)
        if twin is not None:
            removal = spec.column_removals_for(tables[0])[old]
            into = {o for t in tables for o, r in spec.column_renames_for(t).items() if r.new == twin} & names
            if twin in names or into:
                has = f"'{twin}'" if twin in names else f"'{sorted(into)[0]}' (which becomes '{twin}')"
                return self.finding(ctx, site.start, site.end, removal.checklist,
                                    f"{otype.name} mirrors {where}: '{old}' is gone in {spec.after}, a duplicate of "
                                    f"'{twin}', and the type already has {has}", [remove_member(ctx, member)]), twin
            return self.finding(ctx, site.start, site.end, removal.checklist,
                                f"{otype.name} mirrors {where}: '{old}' is gone in {spec.after}, "
                                f"'{twin}' holds the same value", [site.rename(twin)]), twin
        rename = _one(spec.column_renames_for(t).get(old) for t in tables)
        if rename is None or (old not in spec.field_renames_for(self.language) and _edited(spec, otype.name, old)):
            return None, None
        if rename.new in names:
            return self.finding(ctx, site.start, site.end, rename.checklist,
                                f"{otype.name} has both '{old}' and '{rename.new}': merge them by hand. "
                                f"{spec.checklist[rename.checklist].advice}"), None
        return self.finding(ctx, site.start, site.end, rename.checklist,
                            f"{otype.name} mirrors {where}: field '{old}' is '{rename.new}' in {spec.after}",
                            [site.rename(rename.new)]), rename.new

    def unmirrored(self, ctx, otype, site: NameSite, field, names: set[str], tables, shaped: bool):
        """A renamed field (`tenant_id`) in a type that mirrors no table renaming it: a warning."""
        spec, new = ctx.spec, field.new
        cid = field.checklist_for(self.language)
        advice = spec.checklist[cid].advice
        if new in names:
            return self.finding(ctx, site.start, site.end, cid,
                                f"{otype.name} has both '{site.name}' and '{new}': merge them by hand. {advice}")
        if tables and mirrors(spec, names, tables) is False:
            why = (f"{otype.name} is named like a row of {', '.join(tables)}, but its members are not "
                   f"that table's columns: check what '{site.name}' holds")
        elif tables and not shaped:
            why = (f"{otype.name} is named like a row of {', '.join(tables)} but has too few of its columns to be one: "
                   f"'{site.name}' may belong to another API")
        elif tables:
            why = (f"{otype.name} looks like a row of {', '.join(tables)}, which does not rename "
                   f"'{site.name}': check what the field holds")
        else:
            why = f"{otype.name} mirrors no table this migration knows: '{site.name}' may belong to another API"
        return self.finding(ctx, site.start, site.end, cid,
                            f"{why}; if it is the Nooble owner's id, rename it to '{new}' by hand. {advice}",
                            severity=Severity.WARNING)


def _edited(spec, type_name: str, member: str) -> bool:
    """Does a `[[type_edits]]` entry matching the type by name rename the member (ts-type-edits' change)?"""
    return any(member in edit.get("rename_members", {}) and
               any(fnmatch.fnmatchcase(type_name, pat) for pat in edit.get("match", []))
               for edit in spec.type_edits)
