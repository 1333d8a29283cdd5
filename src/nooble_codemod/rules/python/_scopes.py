"""Bindings of a name per scope, and the plan to rename one (LibCST ScopeProvider).

A binding is every assignment of one name in one scope: a parameter and a
later `for tenant_id in …` of the same function are one variable and are
renamed together. The plan says which Name nodes change, or why nothing
may change (a collision, a binding other than a plain name, a module-level
name another module may import).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import ClassScope, GlobalScope, MetadataWrapper, ScopeProvider

from nooble_codemod.model import Edit
from nooble_codemod.rules.python import _cst


def scopes(ctx):
    """ScopeProvider's answer for the statements that can matter (see scope_module)."""
    def build():
        module = scope_module(ctx)
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)

    return ctx.cached("py.scopes", build)


def scope_module(ctx) -> cst.Module:
    """The module cut down to what a rename's scope analysis can see: the
    top-level statements naming a variable to rename (a call passing
    `tenant_id=` names it too) and `__future__` imports. A rename happens in
    a function's scope and the scopes nested in it, all inside one top-level
    statement; names bound in other statements are module globals, which a
    rename never touches and which only matter where they are used. So the
    bindings and collisions are those of the whole module at a fraction of
    the cost (scope analysis is the costliest part of a file). The statements are the tree's
    own nodes, so metadata keys stay valid."""
    module = ctx.tree
    names = {r.old for r in ctx.spec.identifier_renames if ctx.language in r.languages and r.scope == "local"}
    keep: dict[int, cst.CSTNode] = {}
    for name in _cst.nodes(ctx, cst.Name):
        if name.value in names:
            stmt = _top_level(ctx, name)
            if stmt is not None:
                keep[id(stmt)] = stmt
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine) and any(
                isinstance(s, cst.ImportFrom) and isinstance(s.module, cst.Name) and s.module.value == "__future__"
                for s in stmt.body):
            keep[id(stmt)] = stmt
    if len(keep) == len(module.body):
        return module
    return cst.Module(body=[stmt for stmt in module.body if id(stmt) in keep])


def _top_level(ctx, node):
    """The statement of the module's body that holds `node`."""
    while True:
        up = _cst.parent(ctx, node)
        if up is None:
            return None
        if up is ctx.tree:
            return node
        node = up


@dataclass
class Binding:
    scope: object
    assignments: list
    kind: str  # "parameter" | "variable" | "module variable" | "other"
    node: cst.CSTNode  # the first declaration, where findings point
    function: cst.FunctionDef | None = None  # for a parameter: its function


@dataclass
class RenamePlan:
    edits: list[Edit] = field(default_factory=list)
    references: int = 0
    problem: str | None = None


def _scopes_in_order(ctx) -> list:
    """Each scope once (the provider maps every node to its scope), built once per file."""
    def build():
        seen: dict[int, object] = {}
        for scope in scopes(ctx).values():
            if scope is not None and id(scope) not in seen:
                seen[id(scope)] = scope
        return list(seen.values())

    return ctx.cached("py.scope_list", build)


def bindings(ctx, name: str) -> list[Binding]:
    out = []
    for scope in _scopes_in_order(ctx):
        if isinstance(scope, ClassScope):
            continue  # class attributes and model fields are not locals
        mine = [a for a in scope.assignments[name] if a.scope is scope and hasattr(a, "node")]
        if not mine:
            continue
        mine.sort(key=lambda a: _cst.span(ctx, a.node))
        first = mine[0].node
        if isinstance(scope, GlobalScope):
            kind = "module variable"
        elif isinstance(first, cst.Param):
            kind = "parameter"
        elif isinstance(first, cst.Name):
            kind = "variable"
        else:
            kind = "other"
        fn = None
        if isinstance(first, cst.Param):
            fn = next((p for p in _ancestors(ctx, first) if isinstance(p, cst.FunctionDef)), None)
        out.append(Binding(scope, mine, kind, first.name if isinstance(first, cst.Param) else first, fn))
    return out


def _ancestors(ctx, node):
    p = _cst.parent(ctx, node)
    while p is not None:
        yield p
        p = _cst.parent(ctx, p)


def _within(scope, outer) -> bool:
    while scope is not None:
        if scope is outer:
            return True
        parent = getattr(scope, "parent", None)
        scope = None if parent is scope else parent
    return False


def rename_plan(ctx, binding: Binding, old: str, new: str) -> RenamePlan:
    plan = RenamePlan()
    scope = binding.scope
    for a in binding.assignments:
        if not isinstance(a.node, (cst.Param, cst.Name)):
            plan.problem = f"it is also bound by {type(a.node).__name__.lower()} (line {_line(ctx, a.node)})"
            return plan
    if any(a.scope is scope for a in scope.assignments[new]):
        plan.problem = f"'{new}' is already declared in this scope"
        return plan
    for other in _scopes_in_order(ctx):
        if _within(other, scope) and other.accesses[new]:
            node = next(iter(other.accesses[new])).node
            plan.problem = f"'{new}' is already used in this scope (line {_line(ctx, node)})"
            return plan
    for stmt in _cst.nodes(ctx, cst.Global, cst.Nonlocal):
        if any(n.name.value == old for n in stmt.names):
            plan.problem = f"a global/nonlocal statement names '{old}' (line {_line(ctx, stmt)})"
            return plan
    targets: dict[int, cst.Name] = {}
    for a in binding.assignments:
        name_node = a.node.name if isinstance(a.node, cst.Param) else a.node
        targets[id(name_node)] = name_node
        for access in a.references:
            if not isinstance(access.node, cst.Name) or access.node.value != old:
                plan.problem = f"it is referenced in a form that cannot be renamed (line {_line(ctx, access.node)})"
                return plan
            if id(access.node) not in targets:
                plan.references += 1
            targets[id(access.node)] = access.node
    plan.edits = sorted({Edit(*_cst.span(ctx, n), new) for n in targets.values()})
    return plan


def _line(ctx, node) -> int:
    return _cst.line(ctx, node)
