"""py-model-columns: columns the spec adds, added to the pydantic models that mirror their table."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.rules import Rule
from nooble_codemod.rules.python import _cst, _imports
from nooble_codemod.rules.python._models import models


def _columns(spec, table: str) -> list[tuple[str, dict]]:
    """(checklist, column) of the additions to `table` the back end declares."""
    return [(a.checklist, c) for a in spec.column_additions_for(table) for c in a.columns if c.get("python") and not c.get("frontend_only")]


def _last_field(model) -> cst.SimpleStatementLine | None:
    last = None
    for stmt in model.node.body.body:
        if isinstance(stmt, cst.SimpleStatementLine) and any(
                isinstance(s, cst.AnnAssign) and isinstance(s.target, cst.Name) for s in stmt.body):
            last = stmt
    return last


class ModelColumns(Rule):
    id = "py-model-columns"
    local = True
    language = "python"
    reads = ("column_additions",)
    summary = "Add the columns the spec adds to the pydantic models that mirror their table"
    fix_safety = "safe"
    doc = """
Adds the columns of a spec `[[column_additions]]` entry that have a `python`
type (and are not `frontend_only`) to each pydantic model the spec's
`[type_tables]` says mirrors that table, after the model's last field, with
the entry's `python_default` as default. Imports the annotations need
(`Optional`) are added from `[python_imports]`. Fields the model already has
are left as they are.

Why: guide §1 "New Fields in messages" — a model that mirrors a table should
carry what a row holds; the new messages rows have tokens_input, tokens_output and
latency_ms (DB-12).

Reported without a fix: an annotation name the module binds another way.

Example: `class Message(BaseModel): … created_at: datetime` → the same,
followed by `tokens_input: int = 0`, `tokens_output: int = 0`,
`latency_ms: Optional[int] = None`.
"""

    def words(self, spec, settings):
        # The rule acts on class definitions only; the bare type name would let
        # every file that mentions a message through the prefilter.
        return {f"class {name}" for name, table in spec.type_tables.items() if _columns(spec, table)}

    def run(self, ctx):
        for model in models(ctx):
            table = ctx.spec.table_for_type(model.name)
            columns = _columns(ctx.spec, table) if table else []
            missing = [(cid, c) for cid, c in columns if c["name"] not in model.fields]
            last = _last_field(model) if isinstance(model.node.body, cst.IndentedBlock) else None
            if not missing or last is None:
                continue
            indent, nl = ctx.source.indent_at(_cst.span(ctx, last)[0]), ctx.source.newline
            lines = []
            for _, c in missing:
                default = f" = {c['python_default']}" if "python_default" in c else ""
                lines.append(f"{indent}{c['name']}: {c['python']}{default}{nl}")
            names = set().union(*(_imports.names_in(cst.parse_expression(c["python"])) for _, c in missing))
            plan = _imports.ensure(ctx, names)
            cid = missing[0][0]
            added = ", ".join(c["name"] for _, c in missing)
            where = _cst.span(ctx, model.node.name)
            if plan.conflicts:
                yield self.finding(ctx, *where, cid, f"{model.name} mirrors {table}: {ctx.spec.after} adds {added}, not added: "
                                   f"{'; '.join(plan.conflicts)}. {ctx.spec.checklist[cid].advice}")
                continue
            at = _cst.line_after(ctx, last)
            yield self.finding(ctx, *where, cid, f"{model.name} mirrors {table}: {ctx.spec.after} adds {added}",
                               [_cst.insertion(ctx, at, "".join(lines)), *plan.edits])
