"""py-leftover: every old word of the spec still in the code once the other rules are done."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.query import SQL_TEXT, LeftoverReport, word_pattern
from nooble_codemod.rules.python import _cst
from nooble_codemod.rules.python._reach import reaches


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
the database sees (unless the strategy is also in the word's
`reaches_only_under`, below).

Under a strategy in a word's `reaches_only_under` (tenant_id under alias)
the word is the chosen design inside the back end, so it is reported only
where it reaches beyond it (spec `[reaches]`), and the finding says which:
a V6 table or RPC (a query's filter, select list or payload keys on a table
the spec knows or one it cannot resolve, an rpc() call's parameters, a key
read from a row a query returned),
a class mirroring a table (its field, unless declared as an alias of the
new name), or the front end's JSON contract (a dict a route handler
returns). A vector store's payload, log `extra={…}`, internal dicts,
parameters and locals keep it silently; an SQL string is still a warning.

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
        reaching = ctx.spec.reaching_only(self.language, ctx.settings.backend_strategy) & set(words)
        for node in _cst.nodes(ctx, cst.Name):
            if node.value not in words:
                continue
            span = _cst.span(ctx, node)
            if node.value in reaching:
                reach = reaches(ctx, reaching).names.get(span[0])
                if reach is not None:
                    yield self._reaching(ctx, node.value, words[node.value], *span, reach)
            elif node.value not in kept:
                yield self._report(ctx, node.value, words[node.value], *span)
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
                word = m.group(0)
                if word in kept and where in ("a docstring", "a comment"):
                    continue  # under alias, these document the kept name
                s = start + len(raw[:m.start()].encode("utf-8"))
                e = s + len(word.encode("utf-8"))
                if word in reaching and where != "an SQL string":
                    # Kept by design: a leftover only where it leaves the back end.
                    reach = reaches(ctx, reaching).at(s, e) if where is None else None
                    if reach is not None:
                        yield self._reaching(ctx, word, words[word], s, e, reach)
                    continue
                yield self._report(ctx, word, words[word], s, e, where)

    def _reaching(self, ctx, word, cid, start, end, reach):
        return self.finding(ctx, start, end, cid,
                            f"'{word}' is a {ctx.spec.before} name left over where it reaches {reach.describe(ctx.spec)}: "
                            f"kept inside the back end, it must not leave it. {ctx.spec.checklist[cid].advice}")


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
