"""py-leftover: every V5 word still in the code once the other rules are done."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.rules import Rule
from nooble_codemod.rules._query import word_pattern
from nooble_codemod.rules.python import _cst


class Leftover(Rule):
    id = "py-leftover"
    language = "python"
    checklist = ("BE-1", "BE-3", "BE-5")
    summary = "Report V5 names (tenant_id, get_tenant_info, …) left in Python code or strings after the fixes"
    fix_safety = "none"
    fallback = True
    doc = """
Reports every remaining occurrence of a spec `[[leftovers]]` word in Python
code — as a name, an attribute, a keyword argument, a parameter, a function
name — or as a whole word inside a string or the text of an f-string, with
the word's checklist id and the guide's advice. Comments are not reported.

Under `--backend-strategy alias` the words the spec keeps as names
(`names_kept_under`, e.g. tenant_id: a documented alias of user_id) are not
reported as names, nor in docstrings (they document the alias); other
strings naming them still are: a string may be a column name or a dict key
the database sees.

Strings are never rewritten: the text of an f-string or a log message
(`logger.info(f"tenant_id={tenant_id}")`) is reported, while the names in its
`{…}` follow the renames. A log label is prose a human, a log search or an
alert may depend on, so a person decides.

Why: this is what `check` shows as "left over". It is a fallback: where
another rule already reports or fixes the same place, its finding wins.

Example: `message.tenant_id` once the model's field is renamed, or
`Conversation(tenant_id=…)` in a file that does not define Conversation.
"""

    def words(self, spec, settings):
        return set(spec.leftovers_for(self.language, settings.backend_strategy))

    def run(self, ctx):
        words = ctx.spec.leftovers_for(self.language, ctx.settings.backend_strategy)
        if not words:
            return
        kept = ctx.spec.names_kept(self.language, ctx.settings.backend_strategy)
        for node in _cst.nodes(ctx, cst.Name):
            if node.value in words and node.value not in kept:
                yield self._report(ctx, node.value, words[node.value], *_cst.span(ctx, node))
        pattern = word_pattern(words)
        docs = _docstrings(ctx) if kept else set()
        for node in _cst.nodes(ctx, cst.SimpleString, cst.FormattedStringText):
            raw = node.value
            if not pattern.search(raw):
                continue
            start, _ = _cst.span(ctx, node)
            for m in pattern.finditer(raw):
                if m.group(0) in kept and id(node) in docs:
                    continue
                s = start + len(raw[:m.start()].encode("utf-8"))
                yield self._report(ctx, m.group(0), words[m.group(0)], s, s + len(m.group(0).encode("utf-8")))

    def _report(self, ctx, word, cid, start, end):
        return self.finding(ctx, start, end, cid,
                            f"'{word}' is a V5 name left over: {ctx.spec.checklist[cid].advice}")


def _docstrings(ctx) -> set[int]:
    """ids of the docstrings of the module, its classes and functions."""
    owners = [ctx.tree, *_cst.nodes(ctx, cst.ClassDef, cst.FunctionDef)]
    return {id(d) for d in map(_cst.docstring, owners) if d is not None}
