"""py-leftover: every old word of the spec still in the code once the other rules are done."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.query import SQL_TEXT, LeftoverReport, word_pattern
from nooble_codemod.rules.python import _cst


class Leftover(LeftoverReport, Rule):
    id = "py-leftover"
    local = True
    language = "python"
    reads = ("leftovers",)
    summary = "Report the spec's old names left in Python code or strings after the fixes"
    fix_safety = "none"
    fallback = True
    doc = """
Reports every remaining occurrence of a spec `[[leftovers]]` word in Python
code — as a name, an attribute, a keyword argument, a parameter, a function
name — or as a whole word inside a string or the text of an f-string, with
the word's checklist id and the guide's advice, as an error. In a comment, a
docstring, a log message (a string passed to `logger.*`, `logging.*` — the
spec's `log_receivers`) or a string that reads as SQL it is a warning: the
code runs, but the text misleads or hides a query.

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
        docs = _docstrings(ctx)
        receivers = ctx.spec.client(self.language).log_receivers
        for node in _cst.nodes(ctx, cst.SimpleString, cst.FormattedStringText, cst.Comment):
            raw = node.value
            if not pattern.search(raw):
                continue
            if isinstance(node, cst.Comment):
                where = "a comment"
            elif id(node) in docs:
                where = "a docstring"
            else:
                where = _text_kind(ctx, node, raw, receivers)
            start, _ = _cst.span(ctx, node)
            for m in pattern.finditer(raw):
                if m.group(0) in kept and where in ("a docstring", "a comment"):
                    continue  # under alias, these document the kept name
                s = start + len(raw[:m.start()].encode("utf-8"))
                yield self._report(ctx, m.group(0), words[m.group(0)], s, s + len(m.group(0).encode("utf-8")), where)


def _text_kind(ctx, node, raw: str, receivers) -> str | None:
    """'a log message' / 'an SQL string' for text that only informs; None for
    a string the program acts on (a column name, a dict key)."""
    if SQL_TEXT.search(raw):
        return "an SQL string"
    p = _cst.parent(ctx, node)
    while p is not None and not isinstance(p, (cst.Call, cst.BaseSuite, cst.Module)):
        p = _cst.parent(ctx, p)
    if isinstance(p, cst.Call) and isinstance(p.func, cst.Attribute):
        obj = p.func.value
        name = obj.attr.value if isinstance(obj, cst.Attribute) else obj.value if isinstance(obj, cst.Name) else None
        if name in receivers:
            return "a log message"
    return None


def _docstrings(ctx) -> set[int]:
    """ids of the docstrings of the module, its classes and functions."""
    owners = [ctx.tree, *_cst.nodes(ctx, cst.ClassDef, cst.FunctionDef)]
    return {id(d) for d in map(_cst.docstring, owners) if d is not None}
