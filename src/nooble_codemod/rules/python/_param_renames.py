"""The common case of a local rename, decided without ScopeProvider.

ScopeProvider (with the ExpressionContextProvider it needs) is two visitor
passes in pure Python: most of the cost of a Python file. Most renames are
of the plainest kind — a function parameter used in that function's own
body — and for those the answer is known from the tree alone. This module
proves a file is entirely of that kind for one name and gives the renames;
anything else (a module or lambda or comprehension use, a nested function
using the name, `global`/`nonlocal`, `del`, `+=`, an import or `except … as`
binding, a string annotation, the new name already in the function, a call
passing it by keyword to a module-level function) returns None and
ScopeProvider decides, as before. tests/test_param_renames.py checks the two
agree on every file of a large corpus.

No Rule lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from nooble_codemod.rules.python import _cst

_NESTED_SCOPES = (cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_TYPE_HINT_CALLS = {"cast", "TypeVar", "NewType"}


@dataclass
class ParamRename:
    function: cst.FunctionDef
    param: cst.Name  # the parameter's own name: where the finding points
    names: list[cst.Name] = field(default_factory=list)  # every Name of the variable, the parameter's included
    references: int = 0  # the reads among them


def _variable_name(parent, name) -> bool:
    """False for the names that are not variables: `x.name`, `f(name=…)`."""
    if isinstance(parent, cst.Attribute) and parent.attr is name:
        return False
    if isinstance(parent, cst.Arg) and parent.keyword is name:
        return False
    return True


def _role(ctx, parent, name) -> str | None:
    """"param", "store" or "load" for a plain use; None for any other binding
    form (they need the real analysis)."""
    if isinstance(parent, cst.Param):
        return "param" if parent.name is name else "load"
    if type(parent).__name__.startswith("Match") or isinstance(
            parent, (cst.AugAssign, cst.Del, cst.AsName, cst.ImportAlias, cst.NameItem, cst.FunctionDef,
                     cst.ClassDef, cst.CompFor)):
        return None
    if isinstance(parent, (cst.AssignTarget, cst.For, cst.NamedExpr)) and parent.target is name:
        return "store"
    if isinstance(parent, cst.AnnAssign) and parent.target is name:
        return "store"
    if isinstance(parent, (cst.Element, cst.StarredElement)):
        # Inside a tuple/list target (`a, tenant_id = …`): a store, or a del.
        node = parent
        while isinstance(node, (cst.Element, cst.StarredElement, cst.Tuple, cst.List)):
            up = _cst.parent(ctx, node)
            if isinstance(up, (cst.AssignTarget, cst.For)) and up.target is node:
                return "store"
            if isinstance(up, (cst.Del, cst.AugAssign, cst.CompFor)):
                return None
            node = up
    return "load"


def _owner(ctx, name, role: str):
    """The FunctionDef whose own scope holds this use; a ClassDef for a class
    attribute (never a local); None when anything else holds it."""
    node = name
    while True:
        p = _cst.parent(ctx, node)
        if p is None or isinstance(p, (cst.Module, cst.Annotation) + _NESTED_SCOPES):
            return None
        if isinstance(p, cst.FunctionDef):
            if node is p.body or (node is p.params and role == "param"):
                return p
            return None  # a decorator, a default, an annotation: the enclosing scope's
        if isinstance(p, cst.ClassDef):
            return p if node is p.body and role == "store" else None
        node = p


def _inside(ctx, node, targets: dict[int, object]) -> bool:
    p = _cst.parent(ctx, node)
    while p is not None:
        if id(p) in targets:
            return True
        p = _cst.parent(ctx, p)
    return False


def param_renames(ctx, old: str, new: str) -> list[ParamRename] | None:
    """The renames of `old` in this file when every use is the plain kind, else None."""
    for stmt in _cst.nodes(ctx, cst.Global, cst.Nonlocal):
        if any(n.name.value == old for n in stmt.names):
            return None
    found: dict[int, ParamRename] = {}
    pending: list[tuple[cst.FunctionDef, cst.Name, str]] = []
    for name in _cst.nodes(ctx, cst.Name):
        if name.value != old:
            continue
        parent = _cst.parent(ctx, name)
        if not _variable_name(parent, name):
            continue
        role = _role(ctx, parent, name)
        if role is None:
            return None
        owner = _owner(ctx, name, role)
        if owner is None:
            return None
        if isinstance(owner, cst.ClassDef):
            continue  # a class attribute or model field: not a local
        if role == "param":
            found[id(owner)] = ParamRename(owner, name)
        pending.append((owner, name, role))
    for fn, name, role in pending:
        plan = found.get(id(fn))
        if plan is None:
            return None  # a function using the name without the parameter: a variable or a global
        plan.names.append(name)
        plan.references += role == "load"
    if not found:
        return [] if not pending else None
    # What would make the rename unsafe or change what it touches: the real analysis says it.
    for name in _cst.nodes(ctx, cst.Name):
        if name.value == new and _variable_name(_cst.parent(ctx, name), name) and _inside(ctx, name, found):
            return None
    for s in _cst.nodes(ctx, cst.SimpleString, cst.ConcatenatedString):
        if old in _cst.written(ctx, s) and _inside(ctx, s, found) and _maybe_type_hint(ctx, s):
            return None
    for call in _cst.nodes(ctx, cst.Call):
        if isinstance(call.func, cst.Name) and any(
                a.keyword is not None and a.keyword.value == old for a in call.args):
            for plan in found.values():
                if plan.function.name.value == call.func.value and not is_method(ctx, plan.function):
                    return None
    return sorted(found.values(), key=lambda p: _cst.span(ctx, p.param))


def _maybe_type_hint(ctx, node) -> bool:
    """Could ScopeProvider read this string as an annotation?"""
    p = _cst.parent(ctx, node)
    while p is not None and not isinstance(p, (cst.FunctionDef, cst.Module)):
        if isinstance(p, (cst.Annotation, cst.Subscript)):
            return True
        if isinstance(p, cst.Call):
            f = p.func
            callee = f.attr.value if isinstance(f, cst.Attribute) else f.value if isinstance(f, cst.Name) else None
            if callee in _TYPE_HINT_CALLS:
                return True
        p = _cst.parent(ctx, p)
    return False


def is_method(ctx, fn) -> bool:
    return isinstance(_cst.parent(ctx, _cst.parent(ctx, fn)), cst.ClassDef)
