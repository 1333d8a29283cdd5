"""py-model-fields: renamed fields (tenant_id → user_id) of pydantic models."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.model import Edit
from nooble_codemod.rules import Rule
from nooble_codemod.rules.python import _cst
from nooble_codemod.rules.python._models import models


class ModelFields(Rule):
    id = "py-model-fields"
    language = "python"
    checklist = ("BE-1",)
    summary = "Rename V5 fields (tenant_id → user_id) of pydantic models, per backend strategy"
    fix_safety = "safe"
    doc = """
Renames a field named like a spec `[[field_renames]]` entry (`tenant_id`) in
a pydantic model (a subclass of a spec `client.python.model_bases` class, or
of such a model in the same file). The annotation, default, `Field(...)` and
comment stay as they are. Under the rename strategy attribute uses follow
everywhere (`message.tenant_id` → `message.user_id`, also `self.tenant_id`):
the model is usually defined in another file than its uses.

Why: guide §3.1 — V6 names the owner `user_id` everywhere. The guide leaves
the back end a choice (§3.3): with `--backend-strategy rename` (the default)
the field is renamed; with `alias` it is kept and reported, to be declared as
an alias of `user_id`.

Reported without a fix: a model that already has both fields (merge them by
hand), and every such field under the alias strategy. Keyword arguments
(`Model(tenant_id=…)`) are left to py-leftover: the callee is not certain.

Example: `class AgentConfig(BaseModel): tenant_id: uuid.UUID` →
`class AgentConfig(BaseModel): user_id: uuid.UUID`.
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
                if ctx.settings.backend_strategy != "rename":
                    yield self.finding(
                        ctx, start, end, cid,
                        f"{model.name}.{old} stays under the '{ctx.settings.backend_strategy}' strategy: "
                        f"declare it as an alias of '{field.new}' and document that {old} equals {field.new}. "
                        f"{advice}")
                elif field.new in model.fields:
                    yield self.finding(ctx, start, end, cid,
                                       f"{model.name} has both '{old}' and '{field.new}': merge them by hand. {advice}")
                else:
                    yield self.finding(ctx, start, end, cid,
                                       f"{model.name}: field '{old}' is '{field.new}' in V6",
                                       [Edit(start, end, field.new)])

    def attribute_uses(self, ctx, fields):
        """Under the rename strategy the back end says user_id everywhere (guide
        §3.3 Option 1), so `message.tenant_id` follows its model's field: the
        model usually lives in another file, and any object carrying the owner
        id is renamed the same way."""
        if ctx.settings.backend_strategy != "rename":
            return
        for attr in _cst.nodes(ctx, cst.Attribute):
            field = fields.get(attr.attr.value)
            if field is not None:
                start, end = _cst.span(ctx, attr.attr)
                yield self.finding(ctx, start, end, field.checklist_for(self.language),
                                   f"attribute '{attr.attr.value}' is '{field.new}' in V6 (the field is renamed)",
                                   [Edit(start, end, field.new)])
