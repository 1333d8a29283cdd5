"""ts-leftover: every V5 word still in the code once the other rules are done."""

from __future__ import annotations

from nooble_codemod.rules import Rule
from nooble_codemod.rules.typescript import _ast

# Where a word counts: names in code, and the text of strings, templates and
# JSX. Comments are deliberately absent (a later issue decides about them).
_CODE_NAMES = ("identifier", "property_identifier", "shorthand_property_identifier",
               "shorthand_property_identifier_pattern", "type_identifier", "private_property_identifier")
_TEXT = ("string_fragment", "jsx_text")


class Leftover(Rule):
    id = "ts-leftover"
    language = "typescript"
    checklist = ("FE-1",)
    summary = "Report V5 names (tenant_id, tenantId, …) left in code or strings after the fixes"
    fix_safety = "none"
    fallback = True
    doc = """
Reports every remaining occurrence of a spec `[[leftovers]]` word — as an
identifier, a property name or key, a shorthand, a type name, or a whole
word inside a string, template literal or JSX text — with the word's
checklist id and the guide's advice. Comments are not reported.

Why: this is what `check` shows as "left over", and what keeps a code base
from drifting back to V5 names. It is a fallback: where another rule already
reports or fixes the same place, its finding wins and this one is dropped.

Example: `session.tenantId` (a property of another object) or
`'tenant_id'` in a query on a table the tool could not resolve.
"""

    def words(self, spec, settings):
        return set(spec.leftovers_for(self.language))

    def run(self, ctx):
        words = ctx.spec.leftovers_for(self.language)
        if not words:
            return
        for node in _ast.nodes(ctx, *_CODE_NAMES):
            word = _ast.text(ctx, node)
            if word in words:
                yield self._report(ctx, word, words[word], node.start_byte, node.end_byte)
        pattern = _ast.word_pattern(words)
        for node in _ast.nodes(ctx, *_TEXT):
            for word, start, end in _ast.fragment_matches(ctx, node, pattern):
                yield self._report(ctx, word, words[word], start, end)

    def _report(self, ctx, word, cid, start, end):
        return self.finding(ctx, start, end, cid,
                            f"'{word}' is a V5 name left over: {ctx.spec.checklist[cid].advice}")
