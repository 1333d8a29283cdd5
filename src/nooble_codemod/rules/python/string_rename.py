"""py-string-rename: cache key namespaces renamed at every key of the run, or at none."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.model import Edit, Severity
from nooble_codemod.rules import Rule
from nooble_codemod.rules.python import _cst


class StringRename(Rule):
    id = "py-string-rename"
    local = True
    language = "python"
    reads = ("string_renames",)
    summary = "Rename a cache key namespace at every key of the run, or report it whole"
    fix_safety = "safe"
    doc = """
Renames a cache key namespace (a spec `[[string_renames]]` entry with
`context = "cache_key"`, tenant_info → user_info) in every key of the run
that leads with it: "tenant_info", "tenant_info:*", f"tenant_info:{id}",
"tenant_info:" + id, get_key("tenant_info", id). The project model decides
the namespace once, for every file: what makes a string a key (a key
builder's or a cache call's argument, a name like `cache_key`, the
separator after the namespace) is the spec's `[cache_keys]`. Keys of
another namespace ("other:tenant_info", "tenant_infos", "tenant_info_v2:1")
are not touched; log messages are py-leftover's.

Why: guide §3.4 and checklist BE-5. A writer and a reader of one cache
entry must use the same key: renaming the key in get_tenant_info but not in
the `invalidate("tenant_info:*")` of another module leaves stale entries
that nothing clears.

Reported, not renamed: a string of the namespace whose context does not say
whether it is a key (`NAMESPACES = ["tenant_info"]`): then no key of the
namespace is renamed, and every one is listed. A string that is data and
not a key — a response's `{"tenant_info": count}`, `row["tenant_info"]` —
is left as is and reported as a warning. Other `[[string_renames]]`
contexts rename a literal whose whole value is the old string.

Example: `self.key_manager.get_key("tenant_info", user_id)` in cache.py and
`await redis.delete(f"tenant_info:{uid}")` in admin.py →
`get_key("user_info", user_id)` and `f"user_info:{uid}"`, as one group.
"""

    def _renames(self, spec, settings):
        """Whole-literal renames (contexts other than cache keys, which the model decides)."""
        return {r.old: r for r in spec.string_renames
                if self.language in r.languages and r.context != "cache_key"
                and r.strategy in (None, settings.backend_strategy)}

    def words(self, spec, settings):
        return set(self._renames(spec, settings)) | set(spec.cache_key_renames_for(self.language,
                                                                                 settings.backend_strategy))

    def run(self, ctx):
        yield from self._keys(ctx)
        renames = self._renames(ctx.spec, ctx.settings)
        if not renames:
            return
        for node in _cst.nodes(ctx, cst.SimpleString):
            s = _cst.static_string(ctx, node)
            rename = renames.get(s.value) if s is not None else None
            if rename is not None:
                yield self.finding(ctx, s.start, s.end, rename.checklist,
                                   f"the {rename.context.replace('_', ' ')} '{rename.old}' is '{rename.new}' in {ctx.spec.after}",
                                   [Edit(s.start, s.end, rename.new)])

    def _keys(self, ctx):
        decided = ctx.project
        if decided is None:
            return
        data = ctx.source.data
        for site in decided.keys:
            span = ctx.moved(site.start, site.end)
            if span is None:
                continue
            start, end = span
            if site.role == "data":
                if data[start:end] == site.old.encode():
                    yield self.finding(ctx, start, end, site.checklist,
                                       f"'{site.old}' here is {site.blocked}, not a cache key: left as is (the "
                                       f"namespace is '{site.new}' in {ctx.spec.after}; rename it by hand if "
                                       "it mirrors the cache)", severity=Severity.WARNING)
                continue
            if site.blocked:
                yield self.finding(ctx, start, end, site.checklist,
                                   f"{site.blocked}. {ctx.spec.checklist[site.checklist].advice}", group=site.group)
                continue
            if data[start:end] != site.old.encode():
                continue  # renamed in an earlier round
            yield self.finding(ctx, start, end, site.checklist,
                               f"the cache key namespace '{site.old}' is '{site.new}' in {ctx.spec.after} "
                               "(renamed at every key of the run)", [Edit(start, end, site.new)], group=site.group)
