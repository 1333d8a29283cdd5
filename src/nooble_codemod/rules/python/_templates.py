"""Python code from the spec's templates (specs/v6/templates/*.py.tmpl), shaped
to fit the file it goes into: its indentation, its newline, its async style.

No Rule lives here.
"""

from __future__ import annotations

import re
from functools import lru_cache

import libcst as cst


@lru_cache(maxsize=None)
def _parse(text: str) -> cst.Module:
    return cst.parse_module(text)


def definitions(spec, relative: str) -> dict[str, cst.CSTNode]:
    """Name -> top-level class or function of a template, in template order."""
    module = _parse(spec.template(relative))
    return {s.name.value: s for s in module.body if isinstance(s, (cst.ClassDef, cst.FunctionDef))}


def code(node: cst.CSTNode) -> str:
    """A definition's text without the blank lines and comments above it."""
    if hasattr(node, "leading_lines"):
        node = node.with_changes(leading_lines=())
    return cst.Module(body=()).code_for_node(node).rstrip("\n")


class _Synchronous(cst.CSTTransformer):
    def leave_FunctionDef(self, original, updated):
        return updated.with_changes(asynchronous=None)

    def leave_Await(self, original, updated):
        return updated.expression.with_changes(lpar=updated.lpar, rpar=updated.rpar) \
            if updated.lpar else updated.expression


def synchronous(node: cst.CSTNode) -> cst.CSTNode:
    """The same definition with `async def` and `await` taken out (for a class
    whose queries run on the sync supabase client)."""
    return node.visit(_Synchronous())


def fit(text: str, indent: str, unit: str, newline: str) -> str:
    """Template text (indented by 4 spaces a level, from column 0) at `indent`,
    in the file's indentation unit and newline; blank lines stay empty."""
    lines = []
    for line in text.split("\n"):
        if not line.strip():
            lines.append("")
            continue
        m = re.match(r"(?:    )*", line)
        lines.append(indent + unit * (len(m.group(0)) // 4) + line[len(m.group(0)):])
    return newline.join(lines)
