"""py-member-rename: methods and functions renamed by the spec, wherever they are named."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.model import Edit
from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.query import IdentifierRenameRule
from nooble_codemod.rules.python import _cst


def _defines(node: cst.Name, parents) -> bool:
    p = parents(node)
    return isinstance(p, (cst.FunctionDef, cst.ClassDef)) and p.name is node


class MemberRename(IdentifierRenameRule, Rule):
    rename_scope = "member"
    id = "py-member-rename"
    language = "python"
    reads = ("identifier_renames",)
    where = {"scope": "member"}
    summary = "Rename methods/functions the spec renames everywhere they are named"
    fix_safety = "safe"
    doc = """
Renames a method or function named in a spec `[[identifier_renames]]` entry
with `scope = "member"` (under the backend strategy the entry names) wherever
it is named: its definition, attribute calls (`self.cache.get_tenant_info(…)`),
imports and other names. Strings and comments are left alone.

Why: guide §3.4 Option 1 renames the cache methods; every file of a run is
migrated the same way, so a definition and its callers in other files stay in
step. Under `--backend-strategy alias` the old method stays (as an alias).

Reported without a fix: a file that already defines the new name too (two
definitions of one name would result).

Example: `async def get_tenant_info(self, user_id: str)` →
`async def get_user_info(self, user_id: str)`, and
`await self.cache.get_tenant_info(uid)` → `await self.cache.get_user_info(uid)`.
"""

    def run(self, ctx):
        renames = self._renames(ctx.spec, ctx.settings)
        if not renames:
            return
        names = _cst.nodes(ctx, cst.Name)
        parents = lambda n: _cst.parent(ctx, n)  # noqa: E731
        for old, rename in renames.items():
            sites = [n for n in names if n.value == old]
            if not sites:
                continue
            clash = next((n for n in names if n.value == rename.new and _defines(n, parents)), None)
            if clash is not None:
                line = _cst.line(ctx, clash)
                advice = ctx.spec.checklist[rename.checklist].advice
                for n in sites:
                    if _defines(n, parents):
                        yield self.finding(ctx, *_cst.span(ctx, n), rename.checklist,
                                           f"'{old}' is not renamed: this file already defines '{rename.new}' "
                                           f"(line {line}); merge the two by hand. {advice}")
                continue
            for n in sites:
                start, end = _cst.span(ctx, n)
                yield self.finding(ctx, start, end, rename.checklist, f"'{old}' is '{rename.new}' in {ctx.spec.after}",
                                   [Edit(start, end, rename.new)])
