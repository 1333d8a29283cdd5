"""py-string-rename: string values renamed by the spec (the cache key "tenant_info" → "user_info")."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.model import Edit
from nooble_codemod.rules import Rule
from nooble_codemod.rules.python import _cst


class StringRename(Rule):
    id = "py-string-rename"
    local = True
    language = "python"
    reads = ("string_renames",)
    summary = "Rename string keys the spec renames (cache keys) under the strategy that renames them"
    fix_safety = "safe"
    doc = """
Renames a string literal whose whole value is a spec `[[string_renames]]`
entry (e.g. the cache key "tenant_info"), keeping its quotes and prefix.
Strings that merely contain the word (log messages) are left to py-leftover.

Why: guide §3.4 Option 1 — the renamed cache method stores its entry under
the new key, so readers and writers of the key must change together. Under
`--backend-strategy alias` the key stays.

Example: `self.key_manager.get_key("tenant_info", user_id)` →
`self.key_manager.get_key("user_info", user_id)`.
"""

    def _renames(self, spec, settings):
        return {r.old: r for r in spec.string_renames
                if self.language in r.languages and r.strategy in (None, settings.backend_strategy)}

    def words(self, spec, settings):
        return set(self._renames(spec, settings))

    def run(self, ctx):
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
