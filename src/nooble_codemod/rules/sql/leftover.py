"""sql-leftover: the spec's old column names in .sql files, read as text."""

from __future__ import annotations

from nooble_codemod.model import Severity
from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.query import word_pattern


class SqlLeftover(Rule):
    id = "sql-leftover"
    language = "sql"
    reads = ("leftovers",)
    summary = "Report the spec's old column and parameter names in .sql files, as warnings"
    fix_safety = "none"
    doc = """
Reads `.sql` files (migrations, seeds, database functions) as text and
reports each whole-word occurrence of a spec `[[leftovers]]` word that has an
`sql` checklist id, as a warning: SQL is not rewritten (a migration that
renames `tenant_id` must keep naming it), but a view, function or seed still
written against the old columns breaks after the migration.

Why: the application code can be fully migrated while a database function
still reads `conversations.tenant_id`.

Example: `CREATE VIEW v AS SELECT tenant_id FROM conversations;` → a warning at
`tenant_id` (DB-1), with the guide's advice.
"""

    def words(self, spec, settings):
        return set(spec.leftovers_for(self.language))

    def run(self, ctx):
        words = ctx.spec.leftovers_for(self.language)
        if not words:
            return
        text = ctx.source.text
        for m in word_pattern(words).finditer(text):
            start = len(text[:m.start()].encode("utf-8"))
            end = start + len(m.group(0).encode("utf-8"))
            cid = words[m.group(0)]
            yield self.finding(ctx, start, end, cid,
                               f"'{m.group(0)}' in SQL is a {ctx.spec.before} name: check the statement against {ctx.spec.after}. "
                               f"{ctx.spec.checklist[cid].advice}", severity=Severity.WARNING)
