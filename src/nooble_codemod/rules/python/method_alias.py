"""py-method-alias: under the alias strategy, an old method becomes its new self plus a delegating alias."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.model import Edit
from nooble_codemod.rules import Rule
from nooble_codemod.rules.python import _cst, _scopes

# Decorators that change how the alias itself is called, so it keeps them;
# the others (caching, retries) stay with the method that does the work.
_BINDING_DECORATORS = ("staticmethod", "classmethod")


def _decorator_name(d: cst.Decorator) -> str | None:
    return d.decorator.value if isinstance(d.decorator, cst.Name) else None


def _calls(fn, name: str) -> bool:
    for n in _cst.walk(fn.body):
        f = n.func if isinstance(n, cst.Call) else None
        if (isinstance(f, cst.Name) and f.value == name) or (isinstance(f, cst.Attribute) and f.attr.value == name):
            return True
    return False


def _forwarded(params: cst.Parameters, skip_first: bool) -> list[str]:
    """The alias's arguments: each parameter passed on as it was received."""
    positional = [*params.posonly_params, *params.params][1 if skip_first else 0:]
    out = [p.name.value for p in positional]
    if isinstance(params.star_arg, cst.Param):
        out.append("*" + params.star_arg.name.value)
    out += [f"{p.name.value}={p.name.value}" for p in params.kwonly_params]
    if params.star_kwarg is not None:
        out.append("**" + params.star_kwarg.name.value)
    return out


class MethodAlias(Rule):
    id = "py-method-alias"
    language = "python"
    reads = ("method_aliases",)
    summary = "Under the alias strategy, rename a method the spec renames and keep the old name as an alias"
    fix_safety = "safe"
    doc = """
For each spec `[[method_aliases]]` entry of the run's backend strategy
(`alias`): the method or function `old` (get_tenant_info) becomes `new`
(get_user_info), written with the names of the entry's `inside` strategy —
its parameters renamed like py-local-rename would (tenant_id → user_id);
its cache key follows the namespace's decision, py-string-rename's — and a
method `old` follows it that delegates to `new`, with the same parameters,
async when the method is, and a docstring ending with the entry's note.
Callers keep calling `old`; nothing else in the run has to change. Decorators
(a cache, tenacity's @retry) stay on the method doing the work; only
@staticmethod/@classmethod are repeated on the alias.

Why: guide §3.4 Option 2 — keep the tenant method as an alias of the user
one, so code written for either name works while the back end keeps
tenant_id internally (§3.3).

Reported without a fix: a class or module that already defines `new` while
`old` does not call it (merge by hand), and a parameter that cannot be
renamed safely (the reason is given).

A `[[method_aliases]]` entry naming a `family` stands for every method of
that `[[identifier_renames]]` family (get_tenant_info, set_tenant_info,
invalidate_tenant_info, …): the project model makes them one edit group
across the run, so they are all aliased, or — when one cannot be (a new
name beside an old one that does not delegate to it, a parameter that cannot
be renamed) — all reported, none changed.

Example: `async def get_tenant_info(self, tenant_id: str): …` →
`async def get_user_info(self, user_id: str): …` followed by
`async def get_tenant_info(self, tenant_id: str): return await self.get_user_info(tenant_id)`.
"""

    def words(self, spec, settings):
        return set(spec.method_aliases_for(self.language, settings.backend_strategy))

    def run(self, ctx):
        entries = ctx.spec.method_aliases_for(self.language, ctx.settings.backend_strategy)
        if not entries:
            return
        decided = {}  # the model's decision of each family method here, by the span of its name
        for site in (ctx.project.methods if ctx.project is not None else ()):
            if site.role == "alias" and (span := ctx.moved(site.start, site.end)) is not None:
                decided[span] = site
        together: dict[str, list] = {}  # family -> its findings in this file
        for fn in _cst.nodes(ctx, cst.FunctionDef):
            entry = entries.get(fn.name.value)
            if entry is None:
                continue
            if entry.family:
                site = decided.get(_cst.span(ctx, fn.name))
                if site is not None:
                    together.setdefault(site.group, []).append(self._member(ctx, fn, entry, site))
                continue  # no decision: an alias already, or renamed in an earlier round
            block = _cst.parent(ctx, fn)
            siblings = block.body if isinstance(block, (cst.Module, cst.IndentedBlock)) else ()
            if any(isinstance(s, cst.FunctionDef) and s.name.value == entry.new for s in siblings):
                if not _calls(fn, entry.new):
                    yield self.finding(ctx, *_cst.span(ctx, fn.name), entry.checklist,
                                       f"'{entry.new}' is defined beside '{entry.old}', which does not delegate to "
                                       f"it: make '{entry.old}' an alias of '{entry.new}' by hand. "
                                       f"{ctx.spec.checklist[entry.checklist].advice}")
                continue
            yield self._alias(ctx, fn, entry, isinstance(block, cst.IndentedBlock))
        for group, found in together.items():
            stuck = [f for f in found if f.fix is None]
            if not stuck:
                yield from found
                continue
            # A family is aliased whole or not at all: one method that cannot be holds back the others.
            why = f"line {stuck[0].line}: {stuck[0].message}"
            for f in found:
                yield f if f.fix is None else self.finding(
                    ctx, f.start, f.end, f.checklist, f"not made an alias, with the rest of its family "
                    f"(edit group {group}): {why}", group=group)

    def _member(self, ctx, fn, entry, site):
        """A family method's alias, with the model's group (or its reason not to)."""
        if site.blocked:
            return self.finding(ctx, *_cst.span(ctx, fn.name), entry.checklist,
                                f"{site.blocked}. {ctx.spec.checklist[entry.checklist].advice}", group=site.group)
        block = _cst.parent(ctx, fn)
        return self._alias(ctx, fn, entry, isinstance(block, cst.IndentedBlock), site.group)

    def _alias(self, ctx, fn, entry, in_class, group=""):
        where = _cst.span(ctx, fn.name)
        edits = [Edit(*where, entry.new)]
        for old, rename in ctx.spec.identifier_renames_for(self.language, "local", entry.inside).items():
            for binding in _scopes.bindings(ctx, old):
                if binding.function is not fn and not _cst.inside(ctx, binding.node, fn):
                    continue
                plan = _scopes.rename_plan(ctx, binding, old, rename.new)
                if plan.problem:
                    return self.finding(ctx, *where, entry.checklist,
                                        f"'{entry.old}' is not turned into '{entry.new}' and an alias: {binding.kind} "
                                        f"'{old}' cannot become '{rename.new}' ({plan.problem}). "
                                        f"{ctx.spec.checklist[entry.checklist].advice}", group=group)
                edits += plan.edits
        # Its cache key follows the namespace's own decision (py-string-rename), made for the whole run.
        at = _cst.line_after(ctx, fn)
        blank = ctx.source.newline * (1 if in_class else 2)  # PEP 8: one blank line between methods, two at top level
        edits.append(_cst.insertion(ctx, at, blank + self._alias_text(ctx, fn, entry, in_class)))
        return self.finding(ctx, *where, entry.checklist,
                            f"'{entry.old}' is '{entry.new}' in {ctx.spec.after} and stays as an alias delegating to it "
                            f"(alias strategy)", edits, group=group)

    def _alias_text(self, ctx, fn, entry, in_class) -> str:
        nl, unit = ctx.source.newline, ctx.tree.default_indent
        indent = ctx.source.indent_at(_cst.span(ctx, fn.name)[0])
        body = indent + unit
        decorators = [d for d in fn.decorators if _decorator_name(d) in _BINDING_DECORATORS]
        params = [*fn.params.posonly_params, *fn.params.params]
        receiver = None
        if in_class and params and params[0].name.value in ("self", "cls") and \
                not any(_decorator_name(d) == "staticmethod" for d in decorators):
            receiver = params[0].name.value
        call = f"{receiver + '.' if receiver else ''}{entry.new}({', '.join(_forwarded(fn.params, bool(receiver)))})"
        doc = _cst.docstring(fn)
        summary = (doc.evaluated_value or "").strip().splitlines()[0] if doc is not None and \
            (doc.evaluated_value or "").strip() else None
        returns = f" -> {_cst.written(ctx, fn.returns.annotation)}" if fn.returns is not None else ""
        lines = [f"{indent}@{_decorator_name(d)}" for d in decorators]
        lines.append(f"{indent}{'async ' if fn.asynchronous else ''}def {entry.old}"
                     f"({_cst.written(ctx, fn.params)}){returns}:")
        lines += [f'{body}"""', *([f"{body}{summary}"] if summary else []), f"{body}{entry.note}", f'{body}"""']
        lines.append(f"{body}return {'await ' if fn.asynchronous else ''}{call}")
        return nl.join(lines) + nl
