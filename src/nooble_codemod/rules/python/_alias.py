"""A kept model field declared as an alias of its new name (`[backend_alias]`).

The three parts of the declaration, each an edit only when it is missing:
the field's `Field(…, alias=…)` keywords, the model config entry that lets
code still construct the model with the kept name, and the docstring note.
What cannot be merged safely (an alias keyword with another value, a config
that is neither a call nor a dict, a pydantic v1 `class Config`) is a
problem for the rule to report.

No Rule lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from nooble_codemod.model import Edit
from nooble_codemod.rules.python import _cst


@dataclass
class AliasPlan:
    edits: list[Edit] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # names the new code uses (imports)
    problems: list[str] = field(default_factory=list)


def _callee(node) -> str | None:
    f = node.func if isinstance(node, cst.Call) else None
    if isinstance(f, cst.Name):
        return f.value
    if isinstance(f, cst.Attribute):
        return f.attr.value
    return None


def _append_args(ctx, call: cst.Call, args: list[str]) -> Edit:
    """Arguments added at the end of a call's argument list."""
    if call.args:
        last = call.args[-1]
        _, end = _cst.span(ctx, last.value)
        if _cst.line(ctx, last.value) == _cst.line(ctx, call):
            return Edit(end, end, "".join(", " + a for a in args))
        # One argument a line: so are the new ones, after the trailing comma if there is one.
        nl, indent = ctx.source.newline, ctx.source.indent_at(end)
        if isinstance(last.comma, cst.Comma):
            _, end = _cst.span(ctx, last.comma)
            return Edit(end, end, "".join(f"{nl}{indent}{a}," for a in args))
        return Edit(end, end, "".join(f",{nl}{indent}{a}" for a in args))
    _, func_end = _cst.span(ctx, call.func)
    _, end = _cst.span(ctx, call)
    return Edit(func_end, end, "(" + ", ".join(args) + ")")


def _merge_keywords(ctx, call: cst.Call, wanted: dict[str, str], what: str, plan: AliasPlan) -> None:
    """`wanted` keyword -> its value as written; those the call lacks are appended."""
    have = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
    missing = []
    for kw, value in wanted.items():
        if kw not in have:
            missing.append(f"{kw}={value}")
        elif _cst.written(ctx, have[kw]).replace("'", '"') != value.replace("'", '"'):
            plan.problems.append(f"{what} already sets {kw}={_cst.written(ctx, have[kw])}")
    if missing and not plan.problems:
        plan.edits.append(_append_args(ctx, call, missing))


def field_edits(ctx, ann: cst.AnnAssign, alias, new: str, plan: AliasPlan) -> None:
    keywords = {kw: f'"{new}"' for kw in alias.field_keywords}
    value = ann.value
    if isinstance(value, cst.Call) and _callee(value) == alias.field_call:
        _merge_keywords(ctx, value, keywords, f"its {alias.field_call}()", plan)
        return
    args = ", ".join(f"{k}={v}" for k, v in keywords.items())
    plan.names.add(alias.field_call)
    if value is None:
        # No default: `...` keeps the field required.
        _, end = _cst.span(ctx, ann.annotation.annotation)
        plan.edits.append(Edit(end, end, f" = {alias.field_call}(..., {args})"))
    else:
        start, end = _cst.span(ctx, value)
        plan.edits.append(Edit(start, end, f"{alias.field_call}({_cst.written(ctx, value)}, {args})"))


def _config(body, attribute: str):
    for stmt in body.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else \
                    [small.target] if isinstance(small, cst.AnnAssign) else []
                if any(isinstance(t, cst.Name) and t.value == attribute for t in targets):
                    return small.value
    return None


def _python(value) -> str:
    return repr(value)


def model_edits(ctx, cls: cst.ClassDef, alias, note: str, plan: AliasPlan) -> None:
    """The config entry and the docstring note of a model with an aliased field."""
    body = cls.body
    nl, data = ctx.source.newline, ctx.source.data
    indent = ctx.source.indent_at(_cst.span(ctx, body.body[0])[0])
    config = _config(body, alias.config_attribute)
    new_config = None
    if isinstance(config, cst.Call):
        _merge_keywords(ctx, config, {k: _python(v) for k, v in alias.config.items()}, alias.config_attribute, plan)
    elif isinstance(config, cst.Dict):
        keys = {_cst.string_value(e.key) for e in config.elements if isinstance(e, cst.DictElement)}
        missing = [f'"{k}": {_python(v)}' for k, v in alias.config.items() if k not in keys]
        if missing and config.elements:
            _, end = _cst.span(ctx, config.elements[-1].value)
            plan.edits.append(Edit(end, end, "".join(", " + m for m in missing)))
        elif missing:
            plan.edits.append(Edit(*_cst.span(ctx, config), "{" + ", ".join(missing) + "}"))
    elif config is not None:
        plan.problems.append(f"its {alias.config_attribute} is neither a {alias.config_call}(…) call nor a dict")
    elif any(isinstance(s, cst.ClassDef) and s.name.value == "Config" for s in body.body):
        plan.problems.append(f"it is configured with a pydantic v1 `class Config`; "
                             f"set {', '.join(alias.config)} there or move to {alias.config_attribute}")
    else:
        args = ", ".join(f"{k}={_python(v)}" for k, v in alias.config.items())
        new_config = f"{indent}{alias.config_attribute} = {alias.config_call}({args}){nl}"
        plan.names.add(alias.config_call)
    doc = _cst.docstring(cls)
    if doc is None:
        # The note becomes the docstring: the first line of the body.
        first = body.body[0]
        at = ctx.source.offset(_cst.line(ctx, first) - len(first.leading_lines), 0)
        plan.edits.append(Edit(at, at, f'{indent}"""{note}"""{nl}' + (new_config + nl if new_config else "")))
        return
    if note not in (doc.evaluated_value or ""):
        start, end = _cst.span(ctx, doc)
        quote = len(doc.quote)
        content = data[start:end - quote].rstrip()
        at = start + len(content)
        if len(doc.quote) == 3:
            closing = "" if b"\n" in data[start:end] else nl + indent
            plan.edits.append(Edit(at, at, f"{nl}{nl}{indent}{note}{closing}"))
        else:
            plan.edits.append(Edit(at, at, f" {note}"))
    if new_config:
        at = _cst.line_after(ctx, body.body[0])
        blank = not data[at:data.find(b"\n", at) if b"\n" in data[at:] else len(data)].strip()
        plan.edits.append(Edit(at, at, new_config + ("" if blank else nl)))
