"""py-value-field: a bool field of a model mirroring a table whose column a value map turns into an enum."""

from __future__ import annotations

from nooble_codemod.model import Edit
from nooble_codemod.rules import Rule


class ValueField(Rule):
    id = "py-value-field"
    local = True
    language = "python"
    reads = ("value_maps",)
    summary = "Turn a model's bool field the spec maps to an enum (`[[value_maps]]`) into it, with its uses"
    fix_safety = "safe"
    doc = """
For a spec `[[value_maps]]` entry with a `python_type` (conversations:
is_active → status), the pydantic model that mirrors the table (most of its
fields are the table's `[tables.columns]`, whatever its name) gets the new
field, and every use of it the project model ties to that class (receivers
typed by annotations, constructors, assignments, returns, in any file of
the run) follows the entry's `values` and `filters`, as one edit group:

- `is_active: bool = Field(default=True)` → `status: str = Field(default="active")`
  (`Optional[bool]`, a plain default, `Field(True, …)` alike);
- `if conv.is_active:`, `and`/`or` operands, `while`, `assert`, a
  conditional's test → `conv.status == "active"`; `not conv.is_active` →
  `conv.status != "active"`;
- `conv.is_active = False` → `conv.status = "closed"`;
  `Conversation(is_active=True)` → `Conversation(status="active")`.

Not changed, reported once with every site and the guide's advice (the field
and its uses are one decision): a use of another kind (assigned from a
variable, passed, returned, compared), a receiver of unknown type, a string
naming the field in the class (a validator), a declaration of another shape,
a class with both names or a base outside the run. Classes that do not
mirror the table keep their field (widget rows have is_active in V6 too).
Under the alias strategy the same: the alias (guide §3.3 Option 2) keeps
tenant_id, while is_active is data the table no longer has.

Why: guide §1 "Renamed/Changed Enums", §2.7, §4 DB-9 — conversations rows
carry status ('active' | 'closed' | 'archived') instead of is_active; a model
still declaring is_active validates rows without it to the default.

Example: `class Conversation(BaseModel): … is_active: bool = True` and
`if not conv.is_active:` → `status: str = "active"` and
`if conv.status != "active":`.
"""

    def words(self, spec, settings):
        return {vm.old for vm in spec.value_maps if vm.python_type}

    def run(self, ctx):
        decided = ctx.project
        if decided is None or not decided.sites:
            return
        for site in decided.sites:
            if not site.table:
                continue  # a rename's (py-symbol-rename)
            span = ctx.moved(site.start, site.end)
            if span is None or ctx.source.data[span[0]:span[1]] != site.old.encode():
                continue  # changed already (an earlier round), or not what the model saw
            vm = ctx.spec.value_maps_for(site.table)[site.old]
            if site.blocked:
                advice = f". {ctx.spec.checklist[site.checklist].advice} {vm.python_advice}" \
                    if site.role == "declaration" else ""
                yield self.finding(ctx, *span, site.checklist, site.blocked + advice, group=site.group)
                continue
            planned = _edits(ctx, site, span, vm)
            if planned is None:  # the text is not what the model saw: no fix, so the group is dropped
                yield self.finding(ctx, *span, site.checklist,
                                   f"{site.label} is not turned into '{site.new}' here: the code changed under it. "
                                   f"{ctx.spec.checklist[site.checklist].advice}", group=site.group)
                continue
            edits, what = planned
            yield self.finding(ctx, *span, site.checklist,
                               f"'{site.old}' is '{site.new}' in {ctx.spec.after} ({site.label}, "
                               f"{site.table}.{site.new}: {' | '.join(vm.enum)}): {what}", edits, group=site.group)


def _edits(ctx, site, span, vm) -> tuple[list[Edit], str] | None:
    """The site's edits and what they write; None when a span moved or holds other text."""
    use = site.use
    kind = use[0] if use else ""
    if kind in ("test", "not"):
        f = vm.filters["true" if kind == "test" else "false"]
        op = _operator(ctx, f["method"])
        if op is None:
            return None
        text = f'{site.new} {op} "{f["value"]}"'
        edits = [Edit(*span, text)]
        if kind == "not":
            gone = ctx.moved(*use[1])
            if gone is None or not ctx.source.data[gone[0]:gone[1]].startswith(b"not"):
                return None
            edits.append(Edit(*gone, ""))
        return edits, f"read as `{text}`"
    if kind in ("set", "kw"):
        value = _mapped(ctx, vm, use[1], use[2])
        if value is None:
            return None
        sep = " = " if kind == "set" else "="
        return [Edit(*span, site.new), value], f"written as `{site.new}{sep}{value.text}`"
    if kind == "decl":
        ann = ctx.moved(*use[1])
        if ann is None or ctx.source.data[ann[0]:ann[1]] != b"bool":
            return None
        edits = [Edit(*span, site.new), Edit(*ann, vm.python_type)]
        if use[2] is not None:
            value = _mapped(ctx, vm, use[2], use[3])
            if value is None:
                return None
            edits.append(value)
        default = f", default {edits[2].text}" if len(edits) > 2 else ""
        return edits, f"declared as `{site.new}: {vm.python_type}`{default}. {vm.python_advice}"
    return None


def _mapped(ctx, vm, where, value: bool) -> Edit | None:
    """`True`/`False` at `where` written as the value map's value."""
    span = ctx.moved(*where)
    if span is None or ctx.source.data[span[0]:span[1]] != str(value).encode():
        return None
    return Edit(*span, f'"{vm.values["true" if value else "false"]}"')


def _operator(ctx, method: str) -> str | None:
    """The comparison a filter method means (`eq`: ==, `neq`: !=)."""
    client = ctx.spec.client("python")
    if method in client.equality_methods:
        return "=="
    if method in client.inequality_methods:
        return "!="
    return None
