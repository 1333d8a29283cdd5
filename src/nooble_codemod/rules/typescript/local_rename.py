"""ts-local-rename: parameters and local variables renamed by the spec (tenantId → userId)."""

from __future__ import annotations

from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.query import IdentifierRenameRule
from nooble_codemod.rules.typescript import _scopes

# Bindings this rule renames; function names and imports are left to ts-leftover.
_RENAMED_KINDS = ("parameter", "variable")


class LocalRename(IdentifierRenameRule, Rule):
    rename_scope = "local"
    id = "ts-local-rename"
    local = True
    language = "typescript"
    reads = ("identifier_renames",)
    where = {"scope": "local"}
    summary = "Rename parameters and local variables the spec renames, with their references, scope-aware"
    fix_safety = "safe"
    doc = """
Renames a parameter (of a function, arrow function, method, constructor, or
a signature) or a local `const`/`let`/`var` named like a spec
`[[identifier_renames]]` entry with `scope = "local"`, together with every
reference to it in its scope. Destructured names keep their key:
`({ tenantId }: Props)` becomes `({ tenantId: userId }: Props)`, and a
shorthand `{ tenantId }` in an object becomes `{ tenantId: userId }`.
Property accesses (`obj.tenantId`) are not references and stay.

Why: the guide renames `tenantId` to `userId` throughout (§2.2). A rename is
only safe when it cannot change what a name refers to, so it is reported, not
done, when the new name is already declared or used anywhere in the scope
(including an outer variable the function captures), when a nested scope
declares the old name again, or when the name is visible outside the file or
the class (an export, a constructor parameter property).

Example: `async createConversation(tenantId: string) { … tenant_id: tenantId … }`
→ `async createConversation(userId: string) { … tenant_id: userId … }`.
"""

    def context_words(self, spec, settings):
        # A module-level binding's collisions are looked for in the whole file.
        return {old: {r.new} for old, r in self._renames(spec, settings).items()}

    def run(self, ctx):
        for old, rename in self._renames(ctx.spec, ctx.settings).items():
            for binding in _scopes.bindings(ctx, old):
                if binding.kind not in _RENAMED_KINDS:
                    continue
                plan = _scopes.rename_plan(ctx, binding, old, rename.new)
                node = binding.node
                what = binding.kind
                if plan.problem:
                    advice = ctx.spec.checklist[rename.checklist].advice
                    yield self.finding(ctx, node.start_byte, node.end_byte, rename.checklist,
                                       f"{what} '{old}' is not renamed to '{rename.new}': {plan.problem}. "
                                       f"Rename it by hand. {advice}")
                else:
                    refs = f" and {plan.references} reference{'s' if plan.references != 1 else ''}" \
                        if plan.references else ""
                    yield self.finding(ctx, node.start_byte, node.end_byte, rename.checklist,
                                       f"{what} '{old}' is '{rename.new}' in {ctx.spec.after} (renamed{refs})", plan.edits)
