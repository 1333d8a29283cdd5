"""py-member-rename: methods and method families renamed as symbols, across the run."""

from __future__ import annotations

from nooble_codemod.model import Edit
from nooble_codemod.rules import Rule


class MemberRename(Rule):
    id = "py-member-rename"
    language = "python"
    reads = ("identifier_renames",)
    summary = "Rename a method or a family of methods, declarations and every use, across files, or none"
    fix_safety = "safe"
    doc = """
Renames the methods and functions of a spec `[[identifier_renames]]` entry
with `scope = "member"` (one name) or `scope = "family"` (every
`<verb>_<old>` of its `verbs`: get_tenant_info, set_tenant_info,
invalidate_tenant_info, … → get_user_info, set_user_info, …), under the
backend strategy the entry names. The project model ties each use to its
declaration — `self.get_tenant_info(…)`, `self.cache.set_tenant_info(…)` on
an attribute whose type the annotations give, `from .cache import
get_tenant_info` and its calls in another module — and the whole family is
one edit group: applied whole, or not at all.

Why: guide §3.4 Option 1 and checklist BE-5. Renaming get_tenant_info while
set_tenant_info and invalidate_tenant_info beside it keep their names
leaves a class half V5, half V6; renaming a method but not one caller is an
AttributeError at run time.

Reported, not renamed (every site, once, with the reason): a call through
a receiver of unknown type (it may be this family's method or another's), a
string naming a method (`getattr(svc, "get_tenant_info")`), a method that
may override one of a base class outside the run, a class or module that
already has a new name, a def named for the family with a verb the spec
does not list (`warm_tenant_info`: add the verb, or rename by hand). Under a strategy that keeps the methods as aliases
(`[[method_aliases]]`, guide §3.4 Option 2) py-method-alias does the work.

Example: `async def get_tenant_info(self, user_id: str)` and `async def
invalidate_tenant_info(self, user_id: str)` in cache.py, and
`await self.cache.get_tenant_info(uid)` in auth.py → `get_user_info`,
`invalidate_user_info` and `self.cache.get_user_info(uid)`, as one group.
"""

    def _reads_entry(self, entry: dict) -> bool:
        return super()._reads_entry(entry) and entry.get("scope") in ("member", "family")

    def words(self, spec, settings):
        return {old for r in spec.method_renames_for(self.language, settings.backend_strategy)
                for old in r.members()}

    def run(self, ctx):
        decided = ctx.project
        if decided is None:
            return
        data = ctx.source.data
        for site in decided.methods:
            if site.role not in ("declaration", "use"):
                continue  # an alias: py-method-alias's
            span = ctx.moved(site.start, site.end)
            if span is None:
                continue
            start, end = span
            if site.blocked:
                yield self.finding(ctx, start, end, site.checklist,
                                   f"{site.blocked}. {ctx.spec.checklist[site.checklist].advice}", group=site.group)
                continue
            if data[start:end] != site.old.encode():
                continue  # renamed in an earlier round
            yield self.finding(ctx, start, end, site.checklist,
                               f"'{site.old}' is '{site.new}' in {ctx.spec.after} ({site.label}: renamed together, "
                               "each declaration and every use)", [Edit(start, end, site.new)], group=site.group)
