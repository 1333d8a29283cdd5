"""A dict of keywords built in a scope and passed on (`opts = {"tenant_id": t}`
… `fetch(**opts)`): its literal keys are the call's keywords, written where
the call does not show them. Renamed with the parameter they reach, every
literal use of the key in the scope follows; when the dict is used in any
other way (logged, returned, passed on twice), or is a module's (which any
module may import and change), its keys reach more than the call and the
parameter is a human's."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from nooble_codemod.project.pyast import DICT_KEY_METHODS, dotted, scope_nodes

_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


@dataclass
class KeywordDict:
    # Where each key is named: an ast.Constant (a display's key, `d["k"]`,
    # `d.get("k")`) or an ast.keyword (`dict(k=…)`).
    keys: list = field(default_factory=list)
    splats: int = 0  # the calls passing it on (`f(**d)`)
    escapes: bool = False  # used otherwise too: its keys reach what the run does not follow


def literal(node) -> list | None:
    """The key nodes of a dict written with literal keys: a display
    (`{"k": v}`, beside `**spread`s, whose keys are the spread dicts' own)
    or `dict(k=v)`; None for anything else (a computed key)."""
    if isinstance(node, ast.Dict):
        keys = [k for k in node.keys if k is not None]
        return keys if all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in keys) else None
    if (isinstance(node, ast.Call) and dotted(node.func) == "dict" and not node.args
            and all(k.arg is not None for k in node.keywords)):
        return list(node.keywords)
    return None


def bindings(body, params=()) -> dict[str, list]:
    """The variables of a scope bound once, to a dict with literal keys: the key nodes of that dict."""
    binding: dict[str, list | None] = {}  # None: bound otherwise too
    targets = set()
    for node in scope_nodes(body):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            for n in node.names:
                binding[n] = None
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
              or isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            keys = literal(node.value)
            binding[target.id] = (keys if target.id not in binding and target.id not in params and keys is not None
                                  else None)
            targets.add(id(target))
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load) and id(node) not in targets:
            binding[node.id] = None  # bound again (a loop, `with … as`, `del`, `|=`)
    return {name: keys for name, keys in binding.items() if keys is not None}


def keyword_dicts(body, params=()) -> dict[str, KeywordDict]:
    """The variables of a scope bound once, to a dict with literal keys, and
    passed on by `**` (at least once), with every use of their keys."""
    found = {name: KeywordDict(list(keys)) for name, keys in bindings(body, params).items()}
    if not found:
        return {}
    handled: set[int] = set()
    for node in scope_nodes(body):
        if isinstance(node, _NESTED):
            for n in ast.walk(node):  # a closure may change it
                if isinstance(n, ast.Name) and n.id in found:
                    found[n.id].escapes = True
        elif isinstance(node, ast.Call):
            for k in node.keywords:
                if k.arg is None and isinstance(k.value, ast.Name) and k.value.id in found:
                    found[k.value.id].splats += 1
                    handled.add(id(k.value))
            f = node.func
            if not (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in found):
                continue
            if f.attr in DICT_KEY_METHODS and node.args and isinstance(node.args[0], ast.Constant):
                found[f.value.id].keys.append(node.args[0])
                handled.add(id(f.value))
            elif f.attr == "update" and len(node.args) <= 1:  # `d.update(k=…)`, `d.update({"k": …})`
                given = literal(node.args[0]) if node.args else []
                if given is not None and all(k.arg is not None for k in node.keywords):
                    found[f.value.id].keys += given + list(node.keywords)
                    handled.add(id(f.value))
        elif (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in found
              and isinstance(node.slice, ast.Constant)):
            found[node.value.id].keys.append(node.slice)
            handled.add(id(node.value))
    for node in scope_nodes(body):
        if (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in found
                and id(node) not in handled):
            found[node.id].escapes = True  # passed, returned, iterated, read by a computed key, …
    return {name: d for name, d in found.items() if d.splats}
