"""py-permission-note: under the alias strategy, checks comparing tenant_id say that it equals user_id (BE-7)."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.rules import Rule
from nooble_codemod.rules.python import _cst

_EQUALITY = (cst.Equal, cst.NotEqual, cst.Is, cst.IsNot)


def _named(node) -> str | None:
    """The name an operand reads: `tenant_id` or `message.tenant_id`."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return None


def _statement(ctx, node):
    p = _cst.parent(ctx, node)
    while p is not None and not isinstance(p, cst.BaseStatement):
        p = _cst.parent(ctx, p)
    return p


class PermissionNote(Rule):
    id = "py-permission-note"
    language = "python"
    checklist = ("BE-7",)
    summary = "Under the alias strategy, note above each check comparing tenant_id that it equals user_id"
    fix_safety = "safe"
    doc = """
Under the backend strategy of the spec's `[backend_alias]` (`alias`), a
statement that compares a kept V5 name with itself — `message.tenant_id !=
connection_info.tenant_id`, the permission check of guide §3.3 — gets the
spec's note as a comment on the line above: `# Note: tenant_id is equivalent
to user_id in our system.` A statement that already carries the note is left
alone. Under the rename strategy there is nothing to do here: the fields and
their attribute uses are renamed (py-model-fields), so the check compares
user_id.

Why: guide §3.3 Option 2 — keeping tenant_id internally is fine as long as
the code says that it is the user's id; the permission checks are where a
reader needs to know it.

Example: `if message.tenant_id != connection_info.tenant_id:` → the same,
with `# Note: tenant_id is equivalent to user_id in our system.` above it.
"""

    def words(self, spec, settings):
        alias = spec.backend_alias
        if settings.backend_strategy != alias.strategy or not alias.comparison_checklist:
            return set()
        return set(spec.field_renames_for(self.language))

    def run(self, ctx):
        alias = ctx.spec.backend_alias
        fields = self.words(ctx.spec, ctx.settings)
        if not fields:
            return
        done: set[int] = set()
        nl = ctx.source.newline
        for cmp in _cst.nodes(ctx, cst.Comparison):
            left, name = cmp.left, None
            for target in cmp.comparisons:
                if isinstance(target.operator, _EQUALITY) and _named(left) in fields \
                        and _named(left) == _named(target.comparator):
                    name = _named(left)
                left = target.comparator
            stmt = _statement(ctx, cmp) if name else None
            if stmt is None or id(stmt) in done:
                continue
            done.add(id(stmt))
            rename = ctx.spec.field_renames_for(self.language)[name]
            note = alias.note_for(rename.old, rename.new)
            if any(line.comment is not None and note in line.comment.value for line in stmt.leading_lines):
                continue
            start = ctx.source.line_start(_cst.span(ctx, stmt)[0])
            yield self.finding(ctx, *_cst.span(ctx, cmp), alias.comparison_checklist,
                               f"'{name}' stays under the alias strategy: the check says that it equals "
                               f"'{rename.new}'",
                               [_cst.insertion(ctx, start, f"{ctx.source.indent_at(start)}# {note}{nl}")])
