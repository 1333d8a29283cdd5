"""py-permission-note: under the alias strategy, checks comparing tenant_id say that it equals user_id."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.rules import Rule
from nooble_codemod.rules.python import _cst
from nooble_codemod.rules.python._models import permission_checks

def _statement(ctx, node):
    p = _cst.parent(ctx, node)
    while p is not None and not isinstance(p, cst.BaseStatement):
        p = _cst.parent(ctx, p)
    return p


class PermissionNote(Rule):
    id = "py-permission-note"
    local = True
    language = "python"
    reads = ("permission_checks",)
    summary = "Under the alias strategy, note above each check comparing a kept name that it equals the new one"
    fix_safety = "safe"
    doc = """
Under the backend strategy of the spec's `[backend_alias]` (`alias`), a
statement that compares a kept old name with itself (`[permission_checks]`) — `message.tenant_id !=
connection_info.tenant_id`, the permission check of guide §3.3 — gets the
spec's note as a comment on the line above: `# Note: tenant_id is equivalent
to user_id in our system.` A statement that already carries the note is left
alone. Under the rename strategy there is nothing to do here: the fields and
their attribute uses are renamed by py-model-fields, which counts the
operands of these checks under the same item, so the check compares user_id.

Why: guide §3.3 Option 2 — keeping tenant_id internally is fine as long as
the code says that it is the user's id; the permission checks are where a
reader needs to know it.

Example: `if message.tenant_id != connection_info.tenant_id:` → the same,
with `# Note: tenant_id is equivalent to user_id in our system.` above it.
"""

    def words(self, spec, settings):
        if settings.backend_strategy != spec.backend_alias.strategy or spec.permission_checklist is None:
            return set()
        return set(spec.field_renames_for(self.language))

    def run(self, ctx):
        fields = self.words(ctx.spec, ctx.settings)
        if not fields:
            return
        alias, nl = ctx.spec.backend_alias, ctx.source.newline
        done: set[int] = set()
        # Operands of a class carrying both names: tenant_id is not user_id there (py-symbol-rename says so).
        both = {ctx.moved(s.start, s.end) for s in ctx.project.sites if s.both} if ctx.project is not None else set()
        for cmp, name, operands in permission_checks(ctx, fields):
            stmt = _statement(ctx, cmp)
            if stmt is None or id(stmt) in done:
                continue
            if any(isinstance(op, cst.Attribute) and _cst.span(ctx, op.attr) in both for op in operands):
                continue
            done.add(id(stmt))
            rename = ctx.spec.field_renames_for(self.language)[name]
            note = alias.note_for(rename.old, rename.new)
            if any(line.comment is not None and note in line.comment.value for line in stmt.leading_lines):
                continue
            start = ctx.source.line_start(_cst.span(ctx, stmt)[0])
            yield self.finding(ctx, *_cst.span(ctx, cmp), ctx.spec.permission_checklist,
                               f"'{name}' stays under the alias strategy: the check says that it equals "
                               f"'{rename.new}'",
                               [_cst.insertion(ctx, start, f"{ctx.source.indent_at(start)}# {note}{nl}")])
