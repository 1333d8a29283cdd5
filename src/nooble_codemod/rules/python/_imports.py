"""The imports code added by a rule needs, as edits (no AddImportsVisitor:
every fix is byte edits, and those must leave the rest of the file as written).

A needed name the module does not bind yet is imported the way the spec's
`[python_imports]` says: merged into the module's existing `from M import …`
(in sorted position when the names there are sorted), else a new statement
after the imports of its group (standard library, or not). A name the module
already binds another way is a conflict, for the rule to report.

No Rule lives here.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import lru_cache

import libcst as cst

from nooble_codemod.model import Edit
from nooble_codemod.rules.python import _cst

_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ()))


@dataclass(frozen=True)
class Source:
    """Where a name comes from: `from module import name`, or `import module` (name None)."""

    module: str
    name: str | None = None
    level: int = 0  # relative imports: never the same as a spec source

    @property
    def statement(self) -> str:
        return f"from {self.module} import {self.name}" if self.name else f"import {self.module}"

    @property
    def stdlib(self) -> bool:
        return self.module.split(".")[0] in _STDLIB


@dataclass
class ImportPlan:
    edits: list[Edit] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def _dotted(node) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


@lru_cache(maxsize=None)
def _spec_source(statement: str) -> Source:
    stmt = cst.parse_statement(statement).body[0]
    if isinstance(stmt, cst.ImportFrom):
        return Source(_dotted(stmt.module), stmt.names[0].name.value)
    return Source(_dotted(stmt.names[0].name))


def _blocks(stmt):
    if isinstance(stmt, cst.If):
        yield stmt.body
        if isinstance(stmt.orelse, cst.If):
            yield from _blocks(stmt.orelse)
        elif stmt.orelse is not None:
            yield stmt.orelse.body
    elif isinstance(stmt, cst.Try):
        yield stmt.body
        for h in stmt.handlers:
            yield h.body
        for b in (stmt.orelse, stmt.finalbody):
            if b is not None:
                yield b.body
    elif isinstance(stmt, cst.With):
        yield stmt.body


def _module_statements(body):
    """Statements at module level, also inside `if`/`try`/`with` blocks (they bind module names)."""
    for stmt in body:
        yield stmt
        for block in _blocks(stmt):
            if isinstance(block, cst.IndentedBlock):
                yield from _module_statements(block.body)


def bindings(ctx) -> dict[str, tuple[Source | None, cst.CSTNode]]:
    """Module-level name -> (its import source, or None when bound otherwise; the binding statement)."""

    def build():
        out: dict[str, tuple[Source | None, cst.CSTNode]] = {}
        for stmt in _module_statements(ctx.tree.body):
            if isinstance(stmt, (cst.ClassDef, cst.FunctionDef)):
                out.setdefault(stmt.name.value, (None, stmt))
                continue
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if isinstance(small, cst.Import):
                    for a in small.names:
                        module = _dotted(a.name)
                        bound = a.asname.name.value if a.asname else module.split(".")[0]
                        src = Source(module) if a.asname is None or module == bound else None
                        out.setdefault(bound, (src, stmt))
                elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                    module = _dotted(small.module) if small.module else ""
                    for a in small.names:
                        bound = a.asname.name.value if a.asname else a.name.value
                        src = Source(module, a.name.value, len(small.relative))
                        out.setdefault(bound, (src, stmt))
                elif isinstance(small, (cst.Assign, cst.AnnAssign)):
                    targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                    for t in targets:
                        if isinstance(t, cst.Name):
                            out.setdefault(t.value, (None, stmt))
        return out

    return ctx.cached("py.module_bindings", build)


def names_in(node) -> set[str]:
    """Every name a piece of code mentions (to look up in `[python_imports]`)."""
    return {n.value for n in _cst.walk(node) if isinstance(n, cst.Name)}


def _import_lines(ctx):
    """Top-level import statements, in order: (statement, Source of its first name or None for relative)."""
    out = []
    for stmt in ctx.tree.body:
        if isinstance(stmt, cst.SimpleStatementLine) and all(isinstance(s, (cst.Import, cst.ImportFrom))
                                                            for s in stmt.body):
            small = stmt.body[0]
            if isinstance(small, cst.ImportFrom):
                src = None if small.relative else Source(_dotted(small.module), "*")
            else:
                src = Source(_dotted(small.names[0].name))
            out.append((stmt, src))
    return out


def _merge(ctx, imp: cst.ImportFrom, names: list[str]) -> list[Edit]:
    """Edits adding `names` to an existing `from M import …`."""
    aliases = list(imp.names)
    existing = [a.name.value for a in aliases]
    first_line = _cst.line(ctx, imp)
    multiline = _cst.line(ctx, aliases[0]) != first_line
    inserts: dict[int, list[str]] = {}
    ordered = existing == sorted(existing)
    for name in sorted(names):
        at = next((a for a in aliases if name < a.name.value), None) if ordered else None
        if at is not None:
            start, _ = _cst.span(ctx, at.name)
            inserts.setdefault(start, []).append(name)
        else:
            last = aliases[-1]
            node = last.asname if last.asname else last.name
            _, end = _cst.span(ctx, node)
            inserts.setdefault(-end, []).append(name)  # negative key: after the last name
    nl = ctx.source.newline
    edits = []
    for key, added in inserts.items():
        if key >= 0:
            sep = f",{nl}{ctx.source.indent_at(key)}" if multiline else ", "
            edits.append(Edit(key, key, "".join(n + sep for n in added)))
        else:
            sep = f",{nl}{ctx.source.indent_at(-key)}" if multiline else ", "
            edits.append(Edit(-key, -key, "".join(sep + n for n in added)))
    return edits


def _new_statements(ctx, sources: list[Source]) -> list[Edit]:
    lines = _import_lines(ctx)
    nl = ctx.source.newline
    groups: dict[int, list[str]] = {}
    for src in sources:
        same = [s for s, m in lines if m is not None and m.stdlib == src.stdlib and not _is_future(s)]
        absolute = [s for s, m in lines if m is not None and not _is_future(s)]
        if same:
            # In sorted position when the group is sorted, else after it.
            keys = [_order(s, m) for s, m in lines if s in same]
            after = next((s for s, k in zip(same, keys) if k > _order(None, src)), None) \
                if keys == sorted(keys) else None
            at = ctx.source.line_start(_cst.span(ctx, after)[0]) if after is not None \
                else _cst.line_after(ctx, same[-1])
            text = src.statement + nl
        elif absolute and src.stdlib:
            at, text = ctx.source.line_start(_cst.span(ctx, absolute[0])[0]), src.statement + nl + nl
        elif lines:
            anchor = absolute[-1] if absolute else lines[-1][0]
            if not absolute and lines[0][1] is None:  # only relative imports: go before them
                at, text = ctx.source.line_start(_cst.span(ctx, lines[0][0])[0]), src.statement + nl + nl
            else:
                at, text = _cst.line_after(ctx, anchor), nl + src.statement + nl
        else:
            at, text = _top(ctx), src.statement + nl
        groups.setdefault(at, []).append(text)
    return [Edit(at, at, "".join(sorted(texts, key=lambda t: (t.startswith("from "), t))))
            for at, texts in groups.items()]


def _order(stmt, src: Source) -> tuple[bool, str]:
    """isort's order within a group: `import x` lines first, then `from x import …`, by module."""
    is_from = isinstance(stmt.body[0], cst.ImportFrom) if stmt is not None else src.name is not None
    return is_from, src.module


def _is_future(stmt) -> bool:
    small = stmt.body[0]
    return isinstance(small, cst.ImportFrom) and small.module is not None and _dotted(small.module) == "__future__"


def _top(ctx) -> int:
    """Where the first import of a module without any goes: after its docstring."""
    body = ctx.tree.body
    if body and isinstance(body[0], cst.SimpleStatementLine) and isinstance(body[0].body[0], cst.Expr) \
            and isinstance(body[0].body[0].value, (cst.SimpleString, cst.ConcatenatedString)):
        return _cst.line_after(ctx, body[0])
    return 0


def ensure(ctx, names) -> ImportPlan:
    """The imports that make `names` (those the spec knows a source for) bound in this module."""
    table = ctx.spec.python_imports
    bound = bindings(ctx)
    plan = ImportPlan()
    merges: dict[str, list[str]] = {}
    new: list[Source] = []
    for name in sorted(set(names) & set(table)):
        want = _spec_source(table[name])
        have = bound.get(name)
        if have is not None:
            if have[0] != want:
                line = _cst.line(ctx, have[1])
                plan.conflicts.append(f"'{name}' is bound by line {line}, not by `{want.statement}`")
            continue
        plan.added.append(name)
        if want.name is None:
            new.append(want)
        else:
            merges.setdefault(want.module, []).append(want.name)
    existing = {}
    for stmt, src in _import_lines(ctx):
        small = stmt.body[0]
        if (src is not None and isinstance(small, cst.ImportFrom) and len(stmt.body) == 1
                and not isinstance(small.names, cst.ImportStar)):
            existing.setdefault(src.module, small)
    for module, added in merges.items():
        if module in existing:
            plan.edits += _merge(ctx, existing[module], added)
        else:
            new.append(Source(module, ", ".join(sorted(added))))
    plan.edits += _new_statements(ctx, new)
    return plan
