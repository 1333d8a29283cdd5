"""Data-model classes (pydantic models) and their fields.

A model is a class whose base is one of the spec's `client.python.model_bases`
(`BaseModel`, also written `pydantic.BaseModel`), or a class of the same file
derived from such a model. Its fields are the annotated names of its body.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from nooble_codemod.rules.python import _cst


def _base_name(node) -> str | None:
    if isinstance(node, cst.Subscript):  # Generic[T], BaseModel[...]
        node = node.value
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return None


@dataclass(frozen=True)
class Model:
    node: cst.ClassDef
    fields: dict  # name -> the cst.Name of the field's annotated target

    @property
    def name(self) -> str:
        return self.node.name.value


def _fields(cls: cst.ClassDef) -> dict:
    out = {}
    if not isinstance(cls.body, cst.IndentedBlock):
        return out
    for stmt in cls.body.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                    out.setdefault(small.target.value, small.target)
    return out


def models(ctx) -> list[Model]:
    def build():
        known = set(ctx.spec.client("python").model_bases)
        classes = _cst.nodes(ctx, cst.ClassDef)
        found: dict[int, Model] = {}
        grew = True
        while grew:  # a model's subclasses, in any order of definition
            grew = False
            for c in classes:
                if id(c) not in found and any(_base_name(a.value) in known for a in c.bases):
                    found[id(c)] = Model(c, _fields(c))
                    known.add(c.name.value)
                    grew = True
        return [m for c in classes for m in (found.get(id(c)),) if m is not None]

    return ctx.cached("py.models", build)


_EQUALITY = (cst.Equal, cst.NotEqual, cst.Is, cst.IsNot)


def _named(node) -> str | None:
    """The name an operand reads: `tenant_id` or `message.tenant_id`."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return None


def permission_checks(ctx, fields) -> list[tuple[cst.Comparison, str, list]]:
    """Comparisons of one of `fields` with itself (`message.tenant_id !=
    connection_info.tenant_id`): (comparison, field, its operands)."""
    out = []
    for cmp in _cst.nodes(ctx, cst.Comparison):
        left = cmp.left
        for target in cmp.comparisons:
            name = _named(left)
            if isinstance(target.operator, _EQUALITY) and name in fields and name == _named(target.comparator):
                out.append((cmp, name, [left, target.comparator]))
            left = target.comparator
    return out
