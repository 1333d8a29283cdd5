"""Where a scaffold with `place = "client_package"` goes: the package of the
class that holds the supabase client (the spec's `[client.python]` client_*).

A class holds the client when it assigns the client attribute (`self.client`)
from a factory call (`create_client(…)`), or annotates it (or the parameter it
is assigned from) with a client type (`Client`, `Optional[AsyncClient]`), those
names imported from a client module. Names, not strings: an `httpx.AsyncClient`
or a `Client` of another library is not the supabase client.

No Rule lives here: the scaffold stage asks the rule, which asks this module.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

import libcst as cst

from nooble_codemod.rules.python import _cst, _imports


@dataclass(frozen=True)
class Holder:
    """A class holding the supabase client."""

    path: str  # report path of its module
    name: str
    start: int  # the class name's span in that module
    end: int

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.path)


@dataclass(frozen=True)
class Placement:
    """Where an entry goes: `target` (a report path; `exists` or to create),
    or nothing and `why` (the holders when there are several)."""

    target: str | None
    exists: bool = False
    why: str = ""
    looked_in: tuple[str, ...] = ()  # the folders searched for `into`, nearest first


def _client_names(ctx, client) -> tuple[set[str], set[str], set[str]]:
    """The module's names for the client's factories and types, and the names
    bound to a client module itself (`import supabase`)."""
    factories, types, modules = set(), set(), set()
    for bound, (src, _) in _imports.bindings(ctx).items():
        if src is None or src.level or src.module.split(".")[0] not in client.client_modules:
            continue
        if src.name is None:
            modules.add(bound)
        elif src.name in client.client_factories:
            factories.add(bound)
        elif src.name in client.client_types:
            types.add(bound)
    return factories, types, modules


def _names(node, own: set[str], modules: set[str], wanted) -> bool:
    """Does `node` (a callee or an annotation) name one of `own`, or
    `module.X` with X in `wanted`?"""
    for n in _cst.walk(node):
        if isinstance(n, cst.Name) and n.value in own:
            return True
        if (isinstance(n, cst.Attribute) and n.attr.value in wanted
                and _imports._dotted(n.value).split(".")[0] in modules):
            return True
        if isinstance(n, cst.SimpleString) and isinstance(text := n.evaluated_value, str):
            try:  # a quoted forward reference, "Optional[Client]": its names, not its letters
                quoted = cst.parse_expression(text)
            except cst.ParserSyntaxError:
                continue
            if _names(quoted, own, modules, wanted):
                return True
    return False


def holders(ctx, client) -> list[Holder]:
    """The classes of one parsed module that hold the supabase client."""
    obj, _, attr = client.client_attribute.partition(".")
    factories, types, modules = _client_names(ctx, client)
    if not (factories or types or modules):
        return []

    def is_factory(value) -> bool:
        if isinstance(value, cst.Await):
            value = value.expression
        return isinstance(value, cst.Call) and _names(value.func, factories, modules, client.client_factories)

    def is_typed(annotation) -> bool:
        return _names(annotation, types, modules, client.client_types)

    def typed_param(fn, value) -> bool:
        if fn is None or not isinstance(value, cst.Name):
            return False
        params = fn.params
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        return any(p.name.value == value.value and p.annotation is not None and is_typed(p.annotation.annotation)
                   for p in every)

    out: list[Holder] = []
    for cls in _cst.nodes(ctx, cst.ClassDef):
        if _holds(ctx, cls, obj, attr, is_factory, is_typed, typed_param):
            out.append(Holder(ctx.path, cls.name.value, *_cst.span(ctx, cls.name)))
    return out


def _holds(ctx, cls, obj, attr, is_factory, is_typed, typed_param) -> bool:
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    for stmt in body:  # `client: Client` in the class body
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if (isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name)
                        and small.target.value == attr and is_typed(small.annotation.annotation)):
                    return True
    for node in _cst.nodes(ctx, cst.AssignTarget, cst.AnnAssign):
        target = node.target
        if not (isinstance(target, cst.Attribute) and target.attr.value == attr
                and isinstance(target.value, cst.Name) and target.value.value == obj):
            continue
        fn = _cst.parent(ctx, node)
        while fn is not None and not isinstance(fn, (cst.FunctionDef, cst.ClassDef)):
            fn = _cst.parent(ctx, fn)
        method = fn if isinstance(fn, cst.FunctionDef) else None
        owner = fn
        while owner is not None and not isinstance(owner, cst.ClassDef):
            owner = _cst.parent(ctx, owner)
        if owner is not cls:
            continue
        value = _cst.parent(ctx, node).value if isinstance(node, cst.AssignTarget) else node.value
        if isinstance(node, cst.AnnAssign) and is_typed(node.annotation.annotation):
            return True
        if value is not None and (is_factory(value) or typed_param(method, value)):
            return True
    return False


def package(folder: str, paths: frozenset[str]) -> list[str]:
    """The client's folder, then each enclosing folder that is a package of
    the run (holds an `__init__.py`): where its modules may be, nearest first."""
    chain = [folder]
    while folder and posixpath.join(posixpath.dirname(folder), "__init__.py") in paths:
        folder = posixpath.dirname(folder)
        chain.append(folder)
    # A top folder of the run is "": its modules' paths have no folder part.
    return chain


def place(into: str, found: list[Holder], paths: frozenset[str], siblings: tuple[str, ...] = (),
          client: str = "client") -> Placement:
    """Where the module `into` of the client package is, once per run: the
    nearest the client that exists; else a new one in the nearest folder
    holding one of `siblings` (the guide's other modules: types.py goes
    beside models.py), else beside the client's module."""
    if not found:
        return Placement(None)
    targets: dict[str, list[Holder]] = {}
    chains: dict[str, list[str]] = {}
    for h in found:
        chain = package(h.folder, paths)
        near = next((posixpath.join(f, into) for f in chain if posixpath.join(f, into) in paths), None)
        if near is None:
            folder = next((f for f in chain if any(posixpath.join(f, s) in paths for s in siblings)), h.folder)
            near = posixpath.join(folder, into)
        targets.setdefault(near, []).append(h)
        chains.setdefault(near, chain)
    if len(targets) > 1:
        where = "; ".join(f"{', '.join(f'{h.name} ({h.path})' for h in hs)} -> {t}"
                          for t, hs in sorted(targets.items()))
        return Placement(None, why=f"the {client} is held in more than one package ({where})")
    (target, _), = targets.items()
    return Placement(target, exists=target in paths, looked_in=tuple(chains[target]))
