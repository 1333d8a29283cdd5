"""ts-type-fields: renamed fields (tenant_id → user_id) in interfaces and type aliases."""

from __future__ import annotations

from nooble_codemod.model import Severity
from nooble_codemod.rules import Rule
from nooble_codemod.rules.typescript import _ast
from nooble_codemod.rules.typescript._names import NameSite
from nooble_codemod.rules.typescript._types import mirrors, object_types, tables_for_type


class TypeFields(Rule):
    id = "ts-type-fields"
    local = True
    language = "typescript"
    reads = ("field_renames", "column_renames")
    summary = "Rename fields the spec renames in interfaces and type aliases that mirror a table"
    fix_safety = "safe"
    doc = """
Renames a property signature named like a spec `[[field_renames]]` entry
(`tenant_id`) in an interface or a type alias's object type, when the type
mirrors a table that renames that column: the table comes from the spec's
`[type_tables]`, from a `[[type_edits]]` entry with a `table`, or from the
type's name (`ConversationRow` → conversations, `WidgetLink` → widget_links).
The finding carries the column rename's checklist id (DB-1 for
conversations). Quoted keys keep their quotes; `?`, `readonly` and the type
stay as they are.

Reported without a fix: a type that already has a member with the new name
(a collision), and a type that mirrors no table renaming the column; the
latter as a warning, since a `tenant_id` there may belong to another API. A
type named like a row whose members are not that table's columns (the
spec's `[tables.columns]`) mirrors no table.

Example: `interface Conversation { tenant_id: string; }` →
`interface Conversation { user_id: string; }`.
"""

    def words(self, spec, settings):
        return set(spec.field_renames_for(self.language))

    def run(self, ctx):
        spec = ctx.spec
        fields = spec.field_renames_for(self.language)
        for otype in object_types(ctx):
            names = None
            for member in otype.members:
                key = member.child_by_field_name("name")
                named = _ast.property_name(ctx, key)
                if named is None or named[0] not in fields:
                    continue
                old, quote = named
                field = fields[old]
                site = NameSite(old, key.start_byte + len(quote), key.end_byte - len(quote))
                names = names if names is not None else otype.member_names(ctx)
                yield self.judge(ctx, otype, site, field, names)

    def judge(self, ctx, otype, site: NameSite, field, names: set[str]):
        spec = ctx.spec
        tables = tables_for_type(spec, otype.name) or ()
        renames = [spec.column_renames_for(t).get(site.name) for t in tables]
        mirrored = bool(renames) and all(r is not None for r in renames) and len({r.new for r in renames}) == 1
        unlike = mirrors(spec, names, tables) is False  # named like the row, shaped otherwise
        mirrored = mirrored and not unlike
        new = renames[0].new if mirrored else field.new
        cid = renames[0].checklist if mirrored else field.checklist_for(self.language)
        advice = spec.checklist[cid].advice
        if new in names:
            return self.finding(ctx, site.start, site.end, cid,
                                f"{otype.name} has both '{site.name}' and '{new}': merge them by hand. {advice}")
        if mirrored:
            where = tables[0] if len(tables) == 1 else ", ".join(tables)
            return self.finding(ctx, site.start, site.end, cid,
                                f"{otype.name} mirrors {where}: field '{site.name}' is '{new}' in {ctx.spec.after}",
                                [site.rename(new)])
        if unlike:
            why = (f"{otype.name} is named like a row of {', '.join(tables)}, but its members are not "
                   f"that table's columns: check what '{site.name}' holds")
        elif tables:
            why = (f"{otype.name} looks like a row of {', '.join(tables)}, which does not rename "
                   f"'{site.name}': check what the field holds")
        else:
            why = f"{otype.name} mirrors no table this migration knows: '{site.name}' may belong to another API"
        return self.finding(ctx, site.start, site.end, cid,
                            f"{why}; if it is the Nooble owner's id, rename it to '{new}' by hand. {advice}",
                            severity=Severity.WARNING)
