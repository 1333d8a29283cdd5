"""Small readings of CPython `ast` nodes that the project model's readers share."""

from __future__ import annotations

import ast

# A dict's methods reading or writing the key given first.
DICT_KEY_METHODS = frozenset({"get", "pop", "setdefault"})


def dotted(node) -> str | None:
    """`a.b.c` of a name or an attribute chain of names; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = dotted(node.value)
        return f"{head}.{node.attr}" if head else None
    return None


def scope_nodes(body):
    """The nodes of a scope's statements, not entering the defs, classes and
    lambdas nested in them (their names are their own)."""
    todo = list(reversed(body))
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            todo.extend(reversed(list(ast.iter_child_nodes(node))))


def bound(target):
    """The names an assignment target binds (not `x` of `x.a = …` or `x[0] = …`)."""
    if isinstance(target, ast.Name):
        yield target
    elif isinstance(target, (ast.Tuple, ast.List)):
        for e in target.elts:
            yield from bound(e)
    elif isinstance(target, ast.Starred):
        yield from bound(target.value)
