"""ts-scaffold-types: the types a spec scaffolds, beside the type it names."""

from __future__ import annotations

import re

from nooble_codemod.model import Edit
from nooble_codemod.rules import Rule
from nooble_codemod.rules.typescript import _ast

_DECLARATIONS = ("interface_declaration", "type_alias_declaration", "enum_declaration", "class_declaration")


def _entries(spec):
    return [s for s in spec.scaffolds if s.get("kind") == "declarations" and s.get("language") == "typescript"]


def _template_declarations(spec, entry) -> dict[str, str]:
    """Name -> source text of each top-level declaration of the entry's template."""
    from nooble_codemod.languages import typescript

    data = spec.template(entry["template"]).encode("utf-8")
    tree = typescript.parse(data, "template.ts")
    out = {}
    for node in tree.root_node.named_children:
        decl = node.named_children[0] if node.type == "export_statement" and node.named_children else node
        name = decl.child_by_field_name("name") if decl.type in _DECLARATIONS else None
        if name is not None:
            out[data[name.start_byte:name.end_byte].decode()] = data[decl.start_byte:decl.end_byte].decode()
    return out


def _reindent(text: str, unit: str) -> str:
    """Template text (indented by 4 spaces) in the file's indentation unit."""
    if unit == "    ":
        return text
    return re.sub(r"^((?:    )+)", lambda m: unit * (len(m.group(1)) // 4), text, flags=re.M)


class ScaffoldTypes(Rule):
    id = "ts-scaffold-types"
    language = "typescript"
    reads = ("scaffolds",)
    where = {"kind": "declarations"}
    summary = "Add the types the spec scaffolds beside the type it names, if absent"
    fix_safety = "safe"
    doc = """
Adds the declarations of a spec `[[scaffolds]]` entry of kind
`declarations` (the subscription types of guide §2.7: SubscriptionPlan,
PlanLimits, Subscription, UsageMetrics) to the file that declares the
entry's `with_type` (Profile) — where the profile types live — appending those
the file does not declare yet, from the template in the spec's `templates/` folder. They
are exported when that type is, and indented like it.

Why: the new subscription API returns these shapes, and code that reads
plans and usage needs them (FE-7).

A file that already declares some of them keeps its own and gets only the
missing ones. Declared in another file of the project? Then that file is
where they live; suppress this rule for the profile types file with
`// nooble-codemod: ignore[ts-scaffold-types]`.

Example: `export interface Profile { … }` → the same, followed by
`export interface SubscriptionPlan { … }`, `export interface PlanLimits { … }`, ….
"""

    def words(self, spec, settings):
        return {f"{kind} {e['with_type']}" for e in _entries(spec) for kind in ("interface", "type")}

    def run(self, ctx):
        declared = {}
        for node in _ast.nodes(ctx, *_DECLARATIONS):
            name = node.child_by_field_name("name")
            if name is not None:
                declared.setdefault(_ast.text(ctx, name), node)
        for entry in _entries(ctx.spec):
            anchor = declared.get(entry["with_type"])
            if anchor is None or anchor.type not in ("interface_declaration", "type_alias_declaration"):
                continue
            missing = [n for n in entry["names"] if n not in declared]
            if not missing:
                continue
            template = _template_declarations(ctx.spec, entry)
            exported = anchor.parent is not None and anchor.parent.type == "export_statement"
            unit = _indent_unit(ctx, anchor)
            nl = ctx.source.newline
            blocks = [("export " if exported else "") + _reindent(template[n], unit).replace("\n", nl)
                      for n in missing if n in template]
            data = ctx.source.data
            at = len(data)
            lead = nl if data.endswith(b"\n") else nl + nl
            text = lead + (nl + nl).join(blocks) + (nl if data.endswith(b"\n") else "")
            name = anchor.child_by_field_name("name")
            yield self.finding(ctx, name.start_byte, name.end_byte, entry["checklist"],
                               f"{ctx.spec.after} adds {', '.join(missing)} beside {entry['with_type']}: appended from the guide",
                               [Edit(at, at, text)])


def _indent_unit(ctx, decl) -> str:
    body = decl.child_by_field_name("body") or decl.child_by_field_name("value")
    members = [m for m in (body.named_children if body is not None else []) if m.type != "comment"]
    if members:
        indent = ctx.source.indent_at(members[0].start_byte)
        base = ctx.source.indent_at(decl.start_byte)
        if indent.startswith(base) and len(indent) > len(base):
            return indent[len(base):]
    return "    "
