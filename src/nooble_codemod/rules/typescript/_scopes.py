"""Bindings and their scopes, as much as a rename needs: a rename whose new
name is already bound in scope is reported, not done.

A Binding is a place that declares a name (a parameter, a variable, a
destructured name, a for-of variable, a catch parameter) with the scope it
is visible in. `rename_plan` collects what renaming a binding would touch,
or says why it must be left to a human (a collision, a nested
re-declaration, an export).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nooble_codemod.model import Edit
from nooble_codemod.rules.typescript import _ast

# Pattern nodes a binding name can sit in, with the field that holds the
# bound part (None: every named child).
_PATTERNS = {
    "object_pattern": None,
    "array_pattern": None,
    "pair_pattern": "value",
    "assignment_pattern": "left",
    "object_assignment_pattern": "left",
    "rest_pattern": None,
}
_PARAMETERS = ("required_parameter", "optional_parameter")
_BLOCK_SCOPES = {"statement_block", "program", "for_statement", "for_in_statement", "switch_body",
                 "class_static_block"}
# Nodes that can name a binding or a reference.
NAME_NODES = ("identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern")


@dataclass
class Binding:
    node: object  # identifier or shorthand_property_identifier_pattern
    kind: str  # "parameter" | "variable"
    scope: object
    problem: str | None = None  # why it cannot be renamed mechanically


def _in_field(parent, child, name: str | None) -> bool:
    if name is None:
        return True
    holder = parent.child_by_field_name(name)
    return holder is not None and holder.id == child.id


def binding_of(ctx, node) -> Binding | None:
    """The Binding `node` declares, or None when it is a reference."""
    if node.type not in ("identifier", "shorthand_property_identifier_pattern"):
        return None
    child, parent = node, node.parent
    while parent is not None and parent.type in _PATTERNS:
        if not _in_field(parent, child, _PATTERNS[parent.type]):
            return None  # e.g. the default value of `{ a = tenantId }`
        child, parent = parent, parent.parent
    if parent is None:
        return None
    if parent.type in _PARAMETERS and _in_field(parent, child, "pattern"):
        fn = parent.parent.parent if parent.parent is not None else None
        problem = None
        if any(c.type in ("accessibility_modifier", "readonly", "override_modifier") for c in parent.children):
            problem = "it is a constructor parameter property, so it also declares a class member"
        return Binding(node, "parameter", fn, problem)
    if parent.type == "arrow_function" and _in_field(parent, child, "parameter"):
        return Binding(node, "parameter", parent)
    if parent.type == "variable_declarator" and _in_field(parent, child, "name"):
        decl = parent.parent
        problem = "it is exported" if decl is not None and decl.parent is not None \
            and decl.parent.type == "export_statement" else None
        return Binding(node, "variable", _variable_scope(decl), problem)
    if parent.type == "for_in_statement" and _in_field(parent, child, "left"):
        return Binding(node, "variable", parent)
    if parent.type == "catch_clause" and _in_field(parent, child, "parameter"):
        return Binding(node, "variable", parent)
    if parent.type in ("function_declaration", "generator_function_declaration", "import_specifier",
                       "namespace_import", "import_clause") and node.type == "identifier":
        # Not a local the rule renames, but a declaration all the same: it
        # shadows an outer binding of the name.
        return Binding(node, "declaration", parent.parent, "it names a function or an import")
    return None


def _variable_scope(decl):
    is_var = decl is not None and decl.type == "variable_declaration"
    for anc in _ast.ancestors(decl):
        if is_var and (anc.type in _ast.FUNCTION_NODES or anc.type == "program"):
            return anc
        if not is_var and anc.type in _BLOCK_SCOPES:
            return anc
    return decl


def bindings(ctx, name: str) -> list[Binding]:
    out = []
    for node in _ast.leaves_named(ctx, (name,), ("identifier", "shorthand_property_identifier_pattern")):
        b = binding_of(ctx, node)
        if b is not None and b.scope is not None:
            out.append(b)
    return out


@dataclass
class RenamePlan:
    binding: Binding
    edits: list[Edit] = field(default_factory=list)
    references: int = 0
    problem: str | None = None


def rename_plan(ctx, binding: Binding, old: str, new: str) -> RenamePlan:
    """Edits renaming `binding` and every reference to it in its scope, or the
    reason it cannot be done: `new` already used in the scope (declared,
    referenced, or captured from outside), `old` re-declared in a nested
    scope, or a binding that is also visible outside (export, class member)."""
    plan = RenamePlan(binding, problem=binding.problem)
    if plan.problem:
        return plan
    # Only the leaves named `old` or `new` matter; in source order, as a walk would meet them.
    for node in _ast.leaves_named(ctx, (new, old), NAME_NODES, within=binding.scope):
        name = _ast.text(ctx, node)
        if name == new:
            line, _ = ctx.source.position(node.start_byte)
            plan.problem = f"'{new}' is already used in this scope (line {line})"
            return plan
        if name != old:
            continue
        if node.id != binding.node.id:
            other = binding_of(ctx, node)
            if other is not None:
                line, _ = ctx.source.position(node.start_byte)
                plan.problem = f"'{old}' is declared again in a nested scope (line {line})"
                return plan
            if node.parent is not None and node.parent.type == "export_specifier":
                plan.problem = "it is exported"
                return plan
            plan.references += 1
        if node.type == "identifier":
            plan.edits.append(Edit(node.start_byte, node.end_byte, new))
        else:  # `{ tenantId }` (object or pattern): keep the key, rename the variable
            plan.edits.append(Edit(node.start_byte, node.end_byte, f"{old}: {new}"))
    return plan
