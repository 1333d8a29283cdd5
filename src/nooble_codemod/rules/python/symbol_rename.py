"""py-symbol-rename: fields and parameters renamed as symbols, from the project model."""

from __future__ import annotations

from nooble_codemod.model import Edit
from nooble_codemod.rules import Rule
from nooble_codemod.rules.python import _cst
from nooble_codemod.rules.python._models import permission_checks


class SymbolRename(Rule):
    id = "py-symbol-rename"
    local = True
    language = "python"
    # column_renames: a model mirroring a table renames its column as a field (DB-3 on DocumentChunk).
    reads = ("field_renames", "permission_checks", "column_renames")
    summary = "Rename fields and parameters as symbols: declaration and every use across files, or none"
    fix_safety = "safe"
    doc = """
Renames a field (`[[field_renames]]`, under a strategy that renames them)
or a parameter (`[[identifier_renames]]` of scope "local") as one symbol:
the class's declaration and every use of *that* field — attribute reads and
writes on objects whose type the annotations, constructors or `self` give,
`Model(tenant_id=…)`, `Model.model_construct(tenant_id=…)`,
`model_copy(update={"tenant_id": …})`,
`f(**{"tenant_id": …})`, `f(**opts)` after `opts = {"tenant_id": …}` (or
`dict(tenant_id=…)`, `opts["tenant_id"] = …`), `partial(f, tenant_id=…)`,
`background_tasks.add_task(f, tenant_id=…)` (`[client.python] forwarding_calls`),
`dataclasses.replace(d, tenant_id=…)`, `n._replace(tenant_id=…)`,
`Model.model_validate({"tenant_id": …})`, a key of the dict made of the object
(`m.model_dump()["tenant_id"]`, `asdict(d).get("tenant_id")`,
`"tenant_id" in m.model_dump()`, `model_dump(exclude={"tenant_id"})`;
pydantic's fields by name, `M.model_fields["tenant_id"]`), the keys of that dict passed on by
keyword (`Out(**row.model_dump())` ties Row's field to Out's: one group) —
or the function's parameter with every call
passing it by keyword, in any file of the run. The project model (built
before the rules run, from every Python file that names a migrated name)
ties each use to its declaration; all the edits of one symbol form an edit
group, applied whole or not at all. py-local-rename renames the parameter
itself and its references in the body, in the same group. A column a
table renames (`[[column_renames]]` other than a field rename: profile_id
on documents_rag) is renamed the same way in the models that mirror that
table (`[type_tables]`, or a run of the class name's words naming one of
them, `DocumentChunk`; with two of its `[row_columns]`), under every
strategy.

Why: a rename is a decision about a symbol. Renaming a parameter but not a
caller's `tenant_id=` is a TypeError at run time; renaming `env.tenant_id`
on a class that also carries `user_id` silently reads another field.

Not renamed, reported once with every site and the reason: a class
carrying both names (guide §3.3, the decision is the human's), or a row
model carrying a field its table removes as a duplicate beside its twin
(documents_rag's tenant_id beside profile_id or user_id: one goes, by
hand); a use whose
receiver's type is unknown while several classes declare the name; a class
deriving from a base outside the run, or a TypedDict (keys read as strings);
a method whose override family disagrees on the parameter or may override
a method outside the run; a parameter beside `**kwargs` (a caller's
`user_id=` goes there today); a keyword passed on through `**kwargs` to a
function taking `user_id` itself; `getattr(x, "tenant_id")`,
`attrgetter("tenant_id")`; a dict made
of the object by alias (`model_dump(by_alias=True)`); a dict of the object
passed on by keyword to what takes no field or parameter renamed with it
(`template.format(**vars(row))`), beside a keyword of the new name, or from
an object of unknown type; a dict of keywords used otherwise too (logged,
passed on twice) or a module's (`fetch(**DEFAULTS)`).

Example: `class AgentConfig(BaseModel): tenant_id: UUID` in models.py and
`AgentConfig(tenant_id=uid)` in service.py → `user_id: UUID` and
`AgentConfig(user_id=uid)`, as one group.
"""

    def words(self, spec, settings):
        from nooble_codemod.project.decisions import renames_of

        # The old names only: a file holding none has no site (the model reads the new ones too).
        renames = renames_of(spec, settings)
        return set(renames.all_fields) | set(renames.params)

    def run(self, ctx):
        decided = ctx.project
        if decided is None or not decided.sites:
            return
        fields = ctx.spec.field_renames_for(self.language)
        checks = []
        if ctx.spec.permission_checklist and ctx.tree is not None:
            checks = sorted(_cst.span(ctx, op) for _, _, ops in permission_checks(ctx, fields) for op in ops)
        data = ctx.source.data
        for site in decided.sites:
            if site.role == "alias" or site.table:
                continue  # py-model-fields declares the kept field an alias; py-value-field changes a value map's
            span = ctx.moved(site.start, site.end)
            if span is None or data[span[0]:span[1]] != site.old.encode():
                continue  # renamed already (an earlier round), or not what the model saw
            start, end = span
            if site.blocked:
                yield self.finding(ctx, start, end, site.checklist, site.blocked, group=site.group)
                continue
            cid, what = site.checklist, ("the keyword is the field's alias" if decided.aliased(site.group)
                                         else "renamed with its declaration and every use")
            if any(s <= start and end <= e for s, e in checks):
                cid, what = ctx.spec.permission_checklist, "the permission check compares it"
            yield self.finding(ctx, start, end, cid,
                               f"'{site.old}' is '{site.new}' in {ctx.spec.after} ({site.label}: {what})",
                               [Edit(start, end, site.new)], group=site.group)
