"""py-local-rename: parameters and local variables renamed by the spec (tenant_id → user_id)."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.model import Edit
from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.query import IdentifierRenameRule
from nooble_codemod.rules.python import _cst, _param_renames, _scopes


def keyword_sites(ctx, fn: cst.FunctionDef, keyword: str) -> list[cst.Name]:
    """`keyword=` arguments of the calls of `fn` this file resolves with
    certainty: calls of a function through the name it is bound to, and
    `self.method(…)` / `cls.method(…)` inside the method's own class."""
    out: list[cst.Name] = []
    holder = _cst.parent(ctx, _cst.parent(ctx, fn))  # IndentedBlock -> ClassDef?
    calls = []
    if isinstance(holder, cst.ClassDef):
        for call in _cst.nodes(ctx, cst.Call):
            f = call.func
            if (isinstance(f, cst.Attribute) and f.attr.value == fn.name.value and isinstance(f.value, cst.Name)
                    and f.value.value in ("self", "cls") and _cst.inside(ctx, call, holder)):
                calls.append(call)
    else:
        scope = _scopes.scopes(ctx).get(fn)
        for a in scope.assignments[fn.name.value] if scope is not None else ():
            if getattr(a, "node", None) is fn:
                for access in a.references:
                    call = _cst.parent(ctx, access.node)
                    if isinstance(call, cst.Call) and call.func is access.node:
                        calls.append(call)
    for call in calls:
        out.extend(arg.keyword for arg in call.args if arg.keyword is not None and arg.keyword.value == keyword)
    return out


class LocalRename(IdentifierRenameRule, Rule):
    rename_scope = "local"
    id = "py-local-rename"
    local = True
    language = "python"
    reads = ("identifier_renames",)
    where = {"scope": "local"}
    summary = "Rename parameters and local variables the spec renames, with their references, scope-aware"
    fix_safety = "safe"
    doc = """
Renames a function parameter or a local variable named like a spec
`[[identifier_renames]]` entry with `scope = "local"` (under the rename
backend strategy), with every reference to it in its scope (LibCST's
ScopeProvider), nested functions and f-strings included. Keyword arguments
at the calls of that function follow where the callee is certain: a call of
the function by its name in the same file, and `self.method(…)` inside its
own class. Attributes (`message.tenant_id`) and keyword arguments of other
calls are not references: what is left is reported by py-leftover.

Why: guide §3.3 Option 1 renames tenant_id to user_id everywhere in the back
end. A rename is only safe when it cannot change what a name refers to, so it
is reported, not done, when `user_id` is already declared or used in the
scope, when a `global`/`nonlocal` statement names the variable, when it is
bound by an import or a def, and for module-level names (other modules may
import them). A parameter of a function whose decorator may read or pass it
by name is reported too: a route's (`@router.get`: the API's query
parameter), a decorator the run does not declare (`@click.option`), or one
of the run's naming the old name; Python's own decorators and the spec's
`passing_decorators` (`@retry`) keep it renamed with its callers. So is a
test's parameter (`def test_owner(tenant_id)` in `test_*.py`, the spec's
`test_files` and `test_functions`): pytest passes it from the fixture of
that name; and a request's parameter (`tenant_id: str = Header(...)`,
`Annotated[str, Query()]`; the spec's `[contracts] parameter_markers`)
and any parameter of a function handed to the framework
(`Depends(get_owner)`, `router.add_api_route("/x", list_agents)`,
`[contracts] handing_calls`): clients send it by name.

Example: `async def get_conversations(self, tenant_id: str): … .eq('user_id', tenant_id)`
→ `async def get_conversations(self, user_id: str): … .eq('user_id', user_id)`.
"""

    def run(self, ctx):
        names = {n.value for n in _cst.nodes(ctx, cst.Name)}
        for old, rename in self._renames(ctx.spec, ctx.settings).items():
            if old not in names:
                continue  # only in strings: no scope analysis (the costly part) needed
            advice = ctx.spec.checklist[rename.checklist].advice
            simple = _param_renames.param_renames(ctx, old, rename.new)
            if simple is not None:
                yield from self._simple(ctx, old, rename, simple)
                continue
            for binding in _scopes.bindings(ctx, old):
                start, end = _cst.span(ctx, binding.node)
                if binding.kind not in ("parameter", "variable"):
                    if binding.kind == "module variable":
                        yield self.finding(ctx, start, end, rename.checklist,
                                           f"module-level '{old}' is not renamed to '{rename.new}': other modules "
                                           f"may import it. Rename it by hand. {advice}")
                    continue  # imports, defs: py-leftover reports them
                plan = _scopes.rename_plan(ctx, binding, old, rename.new)
                if plan.problem:
                    yield self.finding(ctx, start, end, rename.checklist,
                                       f"{binding.kind} '{old}' is not renamed to '{rename.new}': {plan.problem}. "
                                       f"Rename it by hand. {advice}")
                    continue
                edits = list(plan.edits)
                decided = self._decided(ctx, binding.node)
                if binding.function is not None and decided is None:
                    edits += [Edit(*_cst.span(ctx, k), rename.new) for k in keyword_sites(ctx, binding.function, old)]
                yield self._renamed(ctx, binding.node, binding.kind, old, rename, edits, plan.references, decided)

    def _simple(self, ctx, old, rename, plans):
        """What the scope analysis would give for plain parameter renames (_param_renames)."""
        for p in plans:
            edits = [Edit(*_cst.span(ctx, n), rename.new) for n in p.names]
            decided = self._decided(ctx, p.param)
            if _param_renames.is_method(ctx, p.function) and decided is None:
                edits += [Edit(*_cst.span(ctx, k), rename.new) for k in keyword_sites(ctx, p.function, old)]
            yield self._renamed(ctx, p.param, "parameter", old, rename, edits, p.references, decided)

    @staticmethod
    def _decided(ctx, node):
        """The project model's decision on a parameter of a function other
        files may call (py-symbol-rename renames its keyword callers), or None."""
        if ctx.project is None:
            return None
        at = ctx.original(_cst.span(ctx, node)[0])
        return ctx.project.params.get(at) if at is not None else None

    def _renamed(self, ctx, node, kind, old, rename, edits, references, decided=None):
        refs = f" and {references} reference{'s' if references != 1 else ''}" if references else ""
        start, end = _cst.span(ctx, node)
        if decided is not None and decided.blocked:
            return self.finding(ctx, start, end, rename.checklist, decided.blocked, group=decided.group)
        return self.finding(ctx, start, end, rename.checklist,
                            f"{kind} '{old}' is '{rename.new}' in {ctx.spec.after} (renamed{refs})", sorted(set(edits)),
                            group=decided.group if decided is not None else "")
