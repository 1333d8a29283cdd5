"""py-model-fields: renamed fields (tenant_id → user_id) of pydantic models."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.model import Edit
from nooble_codemod.rules import Rule
from nooble_codemod.rules.python import _alias, _cst, _imports
from nooble_codemod.rules.python._models import models, permission_checks


class ModelFields(Rule):
    id = "py-model-fields"
    local = True
    language = "python"
    reads = ("field_renames", "permission_checks")
    summary = "Rename fields of pydantic models the spec renames, or declare them as aliases (alias strategy)"
    fix_safety = "safe"
    doc = """
Renames a field named like a spec `[[field_renames]]` entry (`tenant_id`) in
a pydantic model (a subclass of a spec `client.python.model_bases` class, or
of such a model in the same file). The annotation, default, `Field(...)` and
comment stay as they are. Under the rename strategy attribute uses follow
everywhere (`message.tenant_id` → `message.user_id`, also `self.tenant_id`):
the model is usually defined in another file than its uses.

Why: the new schema names the owner `user_id` everywhere (guide §3.1). The guide leaves
the back end a choice (§3.3): with `--backend-strategy rename` (the default)
the field is renamed; with `alias` it is kept and declared as an alias of
`user_id`, as the spec's `[backend_alias]` says: `Field(...,
alias="user_id", validation_alias="user_id", serialization_alias="user_id")`
(a default stays the first argument, an existing `Field(…)` keeps its
arguments and gains the keywords), `populate_by_name=True` merged into the
model's `model_config = ConfigDict(…)` (or dict) or added after the
docstring, and the note "tenant_id is equivalent to user_id in our system"
in the docstring. `Field`/`ConfigDict` imports are merged.

Reported without a fix: a model that already has both fields (merge them by
hand); under alias, a field whose alias keywords already name something
else, a pydantic v1 `class Config`, or a config that is neither a call nor a
dict. Keyword arguments (`Model(tenant_id=…)`) are left to py-leftover: the
callee is not certain.

Example: `class AgentConfig(BaseModel): tenant_id: uuid.UUID` →
`class AgentConfig(BaseModel): user_id: uuid.UUID` (rename), or
`tenant_id: uuid.UUID = Field(..., alias="user_id", …)` with the config and
the note (alias).
"""

    def words(self, spec, settings):
        return set(spec.field_renames_for(self.language))

    def run(self, ctx):
        fields = ctx.spec.field_renames_for(self.language)
        yield from self.attribute_uses(ctx, fields)
        for model in models(ctx):
            for old, target in model.fields.items():
                field = fields.get(old)
                if field is None:
                    continue
                cid = field.checklist_for(self.language)
                advice = ctx.spec.checklist[cid].advice
                start, end = _cst.span(ctx, target)
                if ctx.settings.backend_strategy == ctx.spec.backend_alias.strategy:
                    if field.new in model.fields:
                        yield self.finding(ctx, start, end, cid,
                                           f"{model.name} has both '{old}' and '{field.new}': keep one and "
                                           f"declare the other as its alias by hand. {advice}")
                    else:
                        yield from self.alias(ctx, model, target, field, cid)
                elif field.new in model.fields:
                    yield self.finding(ctx, start, end, cid,
                                       f"{model.name} has both '{old}' and '{field.new}': merge them by hand. {advice}")
                else:
                    yield self.finding(ctx, start, end, cid,
                                       f"{model.name}: field '{old}' is '{field.new}' in {ctx.spec.after}",
                                       [Edit(start, end, field.new)])

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
            yield self.finding(ctx, start, end, cid,
                               f"{model.name}.{field.old} stays (alias strategy): declared as an alias of "
                               f"'{field.new}', documented as equal to it", plan.edits + imports.edits)

    def attribute_uses(self, ctx, fields):
        """Under the rename strategy the back end says user_id everywhere (guide
        §3.3 Option 1), so `message.tenant_id` follows its model's field: the
        model usually lives in another file, and any object carrying the owner
        id is renamed the same way."""
        if ctx.settings.backend_strategy == ctx.spec.backend_alias.strategy:
            return
        # Operands of a permission check (guide §3.3) count under its own item.
        checks = {id(op) for _, _, ops in permission_checks(ctx, fields) for op in ops} \
            if ctx.spec.permission_checklist else set()
        for attr in _cst.nodes(ctx, cst.Attribute):
            field = fields.get(attr.attr.value)
            if field is not None:
                start, end = _cst.span(ctx, attr.attr)
                if id(attr) in checks:
                    cid, what = ctx.spec.permission_checklist, "the permission check compares"
                else:
                    cid, what = field.checklist_for(self.language), "the field is renamed"
                yield self.finding(ctx, start, end, cid,
                                   f"attribute '{attr.attr.value}' is '{field.new}' in {ctx.spec.after} ({what})",
                                   [Edit(start, end, field.new)])
