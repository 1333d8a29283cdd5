"""ts-member-rename: methods and functions renamed by the spec, wherever they are named."""

from __future__ import annotations

from nooble_codemod.model import Edit
from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.query import IdentifierRenameRule
from nooble_codemod.rules.typescript import _ast

# Nodes that spell a name in code (not in strings).
_NAME_NODES = ("identifier", "property_identifier", "shorthand_property_identifier",
               "shorthand_property_identifier_pattern")
# Declarations whose `name` field defines a member or function.
_DEFINERS = {"method_definition", "method_signature", "abstract_method_signature", "function_declaration",
             "function_signature", "generator_function_declaration", "property_signature",
             "public_field_definition", "variable_declarator"}


def _is_definition(node) -> bool:
    p = node.parent
    if p is None:
        return False
    if p.type in _DEFINERS:
        holder = p.child_by_field_name("name")
    elif p.type == "pair":
        holder = p.child_by_field_name("key")
    else:
        return False
    return holder is not None and holder.id == node.id


class MemberRename(IdentifierRenameRule, Rule):
    rename_scope = "member"
    id = "ts-member-rename"
    language = "typescript"
    reads = ("identifier_renames",)
    where = {"scope": "member"}
    summary = "Rename methods/functions the spec renames everywhere they are named"
    fix_safety = "safe"
    doc = """
Renames a method or function named in a spec `[[identifier_renames]]` entry
with `scope = "member"` wherever it is named: its definition (class method,
object method, function, interface member), member calls
(`api.getConversationsByTenant(id)`), imports and other identifiers, and
whole-word mentions inside string and template literals (error labels such
as `'Error in getConversationsByTenant:'`). Comments are left alone.

Why: a member is named in many files; every file of a run is migrated the
same way, so definitions and call sites stay in step across files.

Reported without a fix: a file that already defines the new name too (both
methods side by side): renaming would make two definitions of one name.

Example: `async getConversationsByTenant(userId: string)` →
`async getConversationsByUser(userId: string)`, and
`conversationApi.getConversationsByTenant(id)` → `conversationApi.getConversationsByUser(id)`.
"""

    def run(self, ctx):
        renames = self._renames(ctx.spec, ctx.settings)
        if not renames:
            return
        named = _ast.nodes(ctx, *_NAME_NODES)
        pattern = _ast.word_pattern(renames)
        for old, rename in renames.items():
            sites = [n for n in named if _ast.text(ctx, n) == old]
            clash = next((n for n in named if _ast.text(ctx, n) == rename.new and _is_definition(n)), None)
            if clash is not None:
                line, _ = ctx.source.position(clash.start_byte)
                advice = ctx.spec.checklist[rename.checklist].advice
                for n in sites:
                    if _is_definition(n):
                        yield self.finding(ctx, n.start_byte, n.end_byte, rename.checklist,
                                           f"'{old}' is not renamed: this file already defines '{rename.new}' "
                                           f"(line {line}); merge the two by hand. {advice}")
                continue
            for n in sites:
                yield self.finding(ctx, n.start_byte, n.end_byte, rename.checklist,
                                   f"'{old}' is '{rename.new}' in {ctx.spec.after}", [Edit(n.start_byte, n.end_byte, rename.new)])
            for frag in _ast.nodes(ctx, "string_fragment"):
                for word, start, end in _ast.fragment_matches(ctx, frag, pattern):
                    if word == old:
                        yield self.finding(ctx, start, end, rename.checklist,
                                           f"'{old}' named in a string is '{rename.new}' in {ctx.spec.after}",
                                           [Edit(start, end, rename.new)])
