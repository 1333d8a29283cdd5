"""ts-leftover: every old word of the spec still in the code once the other rules are done."""

from __future__ import annotations

from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.query import SQL_TEXT, LeftoverReport
from nooble_codemod.rules.typescript import _ast

# Where a word counts: names in code, the text of strings, templates and JSX,
# and comments.
_CODE_NAMES = ("identifier", "property_identifier", "shorthand_property_identifier",
               "shorthand_property_identifier_pattern", "type_identifier", "private_property_identifier")
_TEXT = ("string_fragment", "jsx_text")


class Leftover(LeftoverReport, Rule):
    id = "ts-leftover"
    local = True
    language = "typescript"
    reads = ("leftovers",)
    summary = "Report the spec's old names left in code, strings or comments after the fixes"
    fix_safety = "none"
    fallback = True
    doc = """
Reports every remaining occurrence of a spec `[[leftovers]]` word — as an
identifier, a property name or key, a shorthand, a type name, or a whole
word inside a string, template literal or JSX text — with the word's
checklist id and the guide's advice, as an error.

As a warning (the code still works, but the words mislead the next reader or
hide a query): the word in a comment, in a log message (a string passed to
`console.*`, `logger.*`, `log.*` — the spec's `log_receivers`), and in a
string that reads as SQL.

Why: this is what `check` shows as "left over", and what keeps a code base
from drifting back to the old names. It is a fallback: where another rule already
reports or fixes the same place, its finding wins and this one is dropped.

Example: `session.tenantId` (a property of another object) or
`'tenant_id'` in a query on a table the tool could not resolve (errors);
`// filter by tenant_id` (a warning).
"""

    def words(self, spec, settings):
        return set(spec.leftovers_for(self.language))

    def run(self, ctx):
        words = ctx.spec.leftovers_for(self.language)
        if not words:
            return
        names, texts, comments = _holding_words(ctx, words)
        for node in names:
            word = _ast.text(ctx, node)
            if word in words:
                yield self._report(ctx, word, words[word], node.start_byte, node.end_byte)
        pattern = _ast.word_pattern(words)
        receivers = ctx.spec.client(self.language).log_receivers
        for node in texts:
            matches = list(_ast.fragment_matches(ctx, node, pattern))
            kind = _text_kind(ctx, node, receivers) if matches else None
            for word, start, end in matches:
                yield self._report(ctx, word, words[word], start, end, kind)
        for node in comments:
            for word, start, end in _ast.fragment_matches(ctx, node, pattern):
                yield self._report(ctx, word, words[word], start, end, "a comment")


def _holding_words(ctx, words) -> tuple[list, list, list]:
    """The name, text and comment leaves that hold one of `words`, each in source order."""
    leaves = _ast.leaves_holding(ctx, words)
    return ([n for n in leaves if n.type in _CODE_NAMES], [n for n in leaves if n.type in _TEXT],
            [n for n in leaves if n.type == "comment"])


def _text_kind(ctx, node, receivers) -> str | None:
    """'a log message' / 'an SQL string' for text that only informs; None for
    text the program acts on (a column name, a key)."""
    literal = node.parent
    if literal is not None and SQL_TEXT.search(_ast.text(ctx, literal)):
        return "an SQL string"
    for a in _ast.ancestors(node):
        if a.type == "call_expression":
            fn = _ast.unwrap(a.child_by_field_name("function"))
            obj = fn.child_by_field_name("object") if fn is not None and fn.type == "member_expression" else None
            while obj is not None and obj.type == "member_expression":  # this.logger.warn(…)
                obj = obj.child_by_field_name("property")
            if obj is not None and _ast.text(ctx, obj) in receivers:
                return "a log message"
            return None
        if a.type in ("statement_block", "program"):
            return None
    return None
