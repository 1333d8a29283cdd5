"""The dict made of an object, keyed by its fields' names (`m.model_dump()`,
`asdict(d)`, `vars(x)`, `x.__dict__`, a model's `M.model_fields`), and
where a text may pass one on by keyword: its keys are uses of the fields
that the text does not write."""

from __future__ import annotations

import ast
import re

from nooble_codemod.project.pyast import bound, dotted, scope_nodes

# What turns a model or dataclass into a dict keyed by its fields' names:
# methods of the object, and functions taking it.
MODEL_DUMP_METHODS = frozenset({"model_dump", "dict"})  # a pydantic model's (v2, v1)
DUMP_METHODS = MODEL_DUMP_METHODS | {"_asdict"}  # and a named tuple's
DUMP_FUNCTIONS = frozenset({"asdict", "dataclasses.asdict", "vars"})
# Attributes that are such a dict: an object's own, and a pydantic model's
# fields by name (v2, v1), read on the class, an instance or `type(x)`.
DUMP_ATTRIBUTES = frozenset({"__dict__", "model_fields", "__fields__"})
# Pydantic's copy-with-changes methods: their `update` dict's keys are fields.
COPY_METHODS = frozenset({"model_copy", "copy"})
# Pydantic's class methods making an object of a dict keyed by field names
# (not v1's `validate`: other libraries' validators share the name).
VALIDATE_METHODS = frozenset({"model_validate", "parse_obj"})
# What a text holds where an object's dict may be passed on by keyword
# (`f(**x.model_dump())`, `M.model_validate(asdict(d))`,
# `m.model_copy(update=…)`): the keys travel by names the text does not
# write, so the model reads such a file and such a statement even when they
# name no old name. Both lists must match (may_splat).
DUMP_WORDS = (b"model_dump", b".dict(", b"asdict(", b"vars(", b"__dict__", b"model_fields", b"__fields__")
SPLAT_WORDS = (b"**", *(m.encode() for m in sorted(VALIDATE_METHODS | COPY_METHODS)))
_DUMP_SCREEN = re.compile(b"|".join(re.escape(w) for w in DUMP_WORDS))
_SPLAT_SCREEN = re.compile(b"|".join(re.escape(w) for w in SPLAT_WORDS))


def made(node) -> tuple | None:
    """(the object, the call) when `node` makes a dict of an object's fields:
    `x.model_dump(…)`, `x.dict(…)`, `x._asdict()`, `asdict(x)`, `vars(x)`, `x.__dict__`,
    `M.model_fields` (the object: the class), `type(x).model_fields` (x)."""
    if isinstance(node, ast.Attribute) and node.attr in DUMP_ATTRIBUTES:
        v = node.value
        if isinstance(v, ast.Call) and dotted(v.func) == "type" and len(v.args) == 1 and not v.keywords:
            return v.args[0], node
        return v, node
    if not isinstance(node, ast.Call):
        return None
    f = node.func
    if isinstance(f, ast.Attribute) and f.attr in DUMP_METHODS and not node.args:
        return f.value, node
    if dotted(f) in DUMP_FUNCTIONS and len(node.args) == 1:
        return node.args[0], node
    return None


def made_in(node) -> list[tuple]:
    """The dumps (made) `node` is, or that a dict display spreads (`{**x.model_dump(), "k": v}`)."""
    if isinstance(node, ast.Dict):
        return [m for k, v in zip(node.keys, node.values) if k is None for m in made_in(v)]
    one = made(node)
    return [one] if one is not None else []


def left_out(keywords, names) -> tuple:
    """The names of interest a dump's literal `include`/`exclude` leaves out of its dict."""
    out = set()
    for k in keywords:
        if k.arg in ("include", "exclude") and isinstance(k.value, (ast.Set, ast.List, ast.Tuple, ast.Dict)):
            listed = {e.value for e in (k.value.keys if isinstance(k.value, ast.Dict) else k.value.elts)
                      if isinstance(e, ast.Constant)}
            out |= (names & listed) if k.arg == "exclude" else (names - listed)
    return tuple(sorted(out))


def may_splat(data: bytes, start: int = 0, end: int | None = None) -> bool:
    """May the text (data[start:end]) pass on the dict made of an object by keyword (DUMP_WORDS, SPLAT_WORDS)?"""
    end = len(data) if end is None else end
    return _SPLAT_SCREEN.search(data, start, end) is not None and _DUMP_SCREEN.search(data, start, end) is not None


def variables(body) -> dict:
    """The variables of a scope bound once, to a dict made of an object or spreading one (made_in)."""
    out: dict = {}
    for node in scope_nodes(body):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr, ast.For, ast.AsyncFor)) else []
        for t in targets:
            for n in bound(t):
                value = getattr(node, "value", None)
                alone = t is n and isinstance(node, (ast.Assign, ast.AnnAssign)) and bool(made_in(value))
                out[n.id] = value if alone and n.id not in out else None
    return {k: v for k, v in out.items() if v is not None}
