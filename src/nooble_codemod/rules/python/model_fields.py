"""py-model-fields: renamed fields (tenant_id → user_id) of pydantic models."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.rules import Rule
from nooble_codemod.rules.python import _alias, _cst, _imports
from nooble_codemod.rules.python._models import models
from nooble_codemod.rules.python._reach import mirrored_table


class ModelFields(Rule):
    id = "py-model-fields"
    local = True
    language = "python"
    reads = ("field_renames",)
    summary = "Declare the fields of pydantic models the spec renames as aliases of the new name (alias strategy)"
    fix_safety = "safe"
    doc = """
Under the alias strategy (guide §3.3 Option 2), a field named like a spec
`[[field_renames]]` entry (`tenant_id`) in a pydantic model (a subclass of
a spec `client.python.model_bases` class, or of such a model in the same
file) stays and is declared as an alias of its new name, as the spec's
`[backend_alias]` says: `Field(..., alias="user_id",
validation_alias="user_id", serialization_alias="user_id")` (a default stays
the first argument, an existing `Field(…)` keeps its arguments and gains
the keywords), `populate_by_name=True` merged into the model's
`model_config = ConfigDict(…)` (or dict) or added after the docstring, and
the note "tenant_id is equivalent to user_id in our system" in the
docstring. `Field`/`ConfigDict` imports are merged. Under the rename
strategy the field is a symbol that py-symbol-rename renames with its uses.

Reported without a fix: a field whose alias keywords already name something else, a pydantic v1 `class Config`,
or a config that is neither a call nor a dict.

Example: `class AgentConfig(BaseModel): tenant_id: uuid.UUID` →
`tenant_id: uuid.UUID = Field(..., alias="user_id", …)` with the config and
the note.
"""

    def words(self, spec, settings):
        return set(spec.field_renames_for(self.language))

    def run(self, ctx):
        if ctx.settings.backend_strategy != ctx.spec.backend_alias.strategy:
            return  # the fields are renamed as symbols (py-symbol-rename)
        fields = ctx.spec.field_renames_for(self.language)
        for model in models(ctx):
            for old, target in model.fields.items():
                field = fields.get(old)
                if field is None:
                    continue
                cid = field.checklist_for(self.language)
                # With both names (or two owner columns of one row), py-symbol-rename reports the class.
                if field.new not in model.fields and not _carries_both(ctx, target):
                    yield from self.alias(ctx, model, target, field, cid)

    def alias(self, ctx, model, target, field, cid):
        """Under the alias strategy (guide §3.3 Option 2) the field stays and
        is declared as an alias of its new name, per the spec's [backend_alias]."""
        alias = ctx.spec.backend_alias
        start, end = _cst.span(ctx, target)
        if ctx.settings.backend_strategy != alias.strategy or not isinstance(model.node.body, cst.IndentedBlock):
            yield self.finding(ctx, start, end, cid,
                               f"{model.name}.{field.old} stays under the '{ctx.settings.backend_strategy}' "
                               f"strategy: declare it as an alias of '{field.new}' by hand. "
                               f"{ctx.spec.checklist[cid].advice}")
            return
        plan = _alias.AliasPlan()
        _alias.field_edits(ctx, _cst.parent(ctx, target), alias, field.new, plan)
        _alias.model_edits(ctx, model.node, alias, alias.note_for(field.old, field.new), plan)
        imports = _imports.ensure(ctx, plan.names)
        problems = plan.problems + imports.conflicts
        if problems:
            yield self.finding(ctx, start, end, cid,
                               f"{model.name}.{field.old} stays (alias strategy) but is not declared as an alias "
                               f"of '{field.new}': {'; '.join(problems)}. {ctx.spec.checklist[cid].advice}")
        elif plan.edits:
            # Say when the model is a table's row: there the kept name must not reach the database.
            table = mirrored_table(ctx.spec, model.name, set(model.fields) - {field.old})
            mirror = f" ({model.name} mirrors {table})" if table else ""
            yield self.finding(ctx, start, end, cid,
                               f"{model.name}.{field.old} stays (alias strategy){mirror}: declared as an alias of "
                               f"'{field.new}', documented as equal to it", plan.edits + imports.edits,
                               group=_group_of(ctx, start))


def _group_of(ctx, start: int) -> str:
    """The project model's group of a field declaration kept as an alias: its
    constructions pass the alias (py-symbol-rename), in the same group."""
    if ctx.project is None:
        return ""
    at = ctx.original(start)
    return next((s.group for s in ctx.project.sites if s.role == "alias" and s.start == at), "")


def _carries_both(ctx, target) -> bool:
    """Does the project model report the field's class as carrying two owner
    columns (`tenant_id` beside a `profile_id` it duplicated)?"""
    if ctx.project is None:
        return False
    at = ctx.original(_cst.span(ctx, target)[0])
    return any(s.both and s.start == at for s in ctx.project.sites)
