"""py-scaffold: the models, enums and client methods a spec scaffolds, added where absent."""

from __future__ import annotations

import builtins
import fnmatch

import libcst as cst

from nooble_codemod.rules import Rule
from nooble_codemod.rules.python import _cst, _imports, _templates


_BUILTINS = set(dir(builtins))


def _entries(spec, kind: str | None = None) -> list[dict]:
    return [s for s in spec.scaffolds if s.get("language") == "python" and s.get("kind") in ("classes", "methods")
            and (kind is None or s["kind"] == kind)]


def _into(ctx, entry) -> bool:
    patterns = entry["into"] if isinstance(entry["into"], list) else [entry["into"]]
    name = ctx.path.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def _bases(node: cst.ClassDef) -> set[str]:
    return {a.value.value for a in node.bases if isinstance(a.value, cst.Name)}


def _holder(entry) -> tuple[str, str]:
    obj, _, attr = entry["class_assigning"].partition(".")
    return obj, attr


def _is_holder_attr(node, obj: str, attr: str) -> bool:
    return (isinstance(node, cst.Attribute) and node.attr.value == attr
            and isinstance(node.value, cst.Name) and node.value.value == obj)


def _guarded(fn: cst.FunctionDef, guard: str, obj: str, attr: str) -> cst.FunctionDef:
    """`fn` starting with the spec's `optional_guard`: the type checker (and
    the reader) then know the client is there."""
    statement = cst.parse_statement(guard.format(client=f"{obj}.{attr}"))
    return fn.with_changes(body=fn.body.with_changes(body=[statement, *fn.body.body]))


class Scaffold(Rule):
    id = "py-scaffold"
    language = "python"
    reads = ("scaffolds",)
    summary = "Add the models, enums and supabase client methods the spec scaffolds where absent, with their imports"
    fix_safety = "safe"
    doc = """
Interprets the spec's Python `[[scaffolds]]` entries:

- kind "classes": in a file named like `into` (models.py, types.py) that
  already uses the bases of the template's classes (BaseModel, Enum) and
  declares a class of the Nooble domain (`anchor_class_words`), the
  listed classes it does not define are appended after its last class, from
  the template (guide §3.1 SubscriptionInfo, UsageMetrics, MessageWithTokens;
  §3.2 SubscriptionStatus, ConversationStatus, MessageRole).
- kind "methods": in a file named like `into` (client.py), the class that
  assigns `class_assigning` (`self.client`, the supabase client the
  template's methods call) gets the listed methods it lacks, appended to its
  body (guide §3.5 get_user_subscription, check_user_limit,
  record_message_usage). They are written like the class's own queries:
  `async def … await self.client…` when the class awaits its client, plain
  `def` without `await` when it calls it synchronously. When the class
  declares the client Optional (or sets it to None), each method starts
  with the entry's `optional_guard` (`if self.client is None: raise …`), so
  the added code type-checks.

The names the added code uses get their imports from `[python_imports]`,
merged into an existing `from typing import …` (sorted where it is sorted),
or as a new line after the imports of the same group.

Why: guide §3.1, §3.2, §3.5 — the new code reads subscriptions and usage through
these models, enums and methods (BE-2, BE-4, BE-6).

Reported without a fix: a name the added code needs that the file binds
another way (e.g. `import datetime` where the template means the class), and
a client.py with more than one class holding the client.

Example: `class Message(BaseModel): …` at the end of models.py →
the same, followed by `class SubscriptionInfo(BaseModel): …` and the other two.
"""

    def words(self, spec, settings):
        words = set()
        for entry in _entries(spec, "classes"):
            for node in _templates.definitions(spec, entry["template"]).values():
                if isinstance(node, cst.ClassDef):
                    words |= _bases(node) - _BUILTINS  # `str` of `(str, Enum)` is in every file
        words |= {e["class_assigning"] for e in _entries(spec, "methods")}
        return words

    def file_patterns(self, spec):
        out: list[str] = []
        for entry in _entries(spec):
            out.extend(entry["into"] if isinstance(entry["into"], list) else [entry["into"]])
        return tuple(out)

    def run(self, ctx):
        for entry in _entries(ctx.spec):
            if _into(ctx, entry):
                yield from (self._classes if entry["kind"] == "classes" else self._methods)(ctx, entry)

    # -- kind "classes" --------------------------------------------------------------
    def _classes(self, ctx, entry):
        template = _templates.definitions(ctx.spec, entry["template"])
        classes = [s for s in ctx.tree.body if isinstance(s, cst.ClassDef)]
        defined = {c.name.value for c in classes} | set(_imports.bindings(ctx))
        missing = [n for n in entry["names"] if n not in defined and n in template]
        wanted_bases = set().union(*(_bases(template[n]) for n in missing)) if missing else set()
        if not missing or not (wanted_bases & (set(_imports.bindings(ctx)) | {b for c in classes for b in _bases(c)})):
            return
        anchors = [w.lower() for w in entry.get("anchor_class_words", ())]
        ours = any(w in c.name.value.lower() for c in classes for w in anchors) or len(missing) < len(entry["names"])
        if anchors and not ours:
            return  # a models.py / types.py that is not the Nooble back end's
        nl, unit = ctx.source.newline, ctx.tree.default_indent
        blocks = [_templates.fit(_templates.code(template[n]), "", unit, nl) for n in missing]
        anchor = classes[-1] if classes else None
        at = _cst.line_after(ctx, anchor) if anchor is not None else len(ctx.source.data)
        text = nl + nl + (nl * 3).join(blocks) + nl
        where = _cst.span(ctx, anchor.name) if anchor is not None else (0, 0)
        yield self._finding(ctx, entry, where, missing, _cst.insertion(ctx, at, text),
                            [template[n] for n in missing], "appended from the guide")

    # -- kind "methods" --------------------------------------------------------------
    def _methods(self, ctx, entry):
        obj, attr = _holder(entry)
        holders = [c for c in _cst.nodes(ctx, cst.ClassDef)
                   if any(_is_holder_attr(t.target, obj, attr) for t in self._assign_targets(ctx, c))]
        if not holders:
            return
        template = _templates.definitions(ctx.spec, entry["template"])
        if len(holders) > 1:
            names = ", ".join(c.name.value for c in holders)
            yield self.finding(ctx, *_cst.span(ctx, holders[0].name), entry["checklist"],
                               f"more than one class assigns {entry['class_assigning']} ({names}): add "
                               f"{', '.join(entry['names'])} to the supabase client class by hand. "
                               f"{ctx.spec.checklist[entry['checklist']].advice}")
            return
        cls = holders[0]
        if not isinstance(cls.body, cst.IndentedBlock):
            return
        methods = [s for s in cls.body.body if isinstance(s, cst.FunctionDef)]
        have = {m.name.value for m in methods}
        missing = [n for n in entry["names"] if n not in have and n in template]
        if not missing:
            return
        nodes = [template[n] for n in missing]
        if self._synchronous(cls, obj, attr):
            nodes = [_templates.synchronous(n) for n in nodes]
        guard = entry.get("optional_guard")
        if guard and self._optional(ctx, cls, obj, attr):
            nodes = [_guarded(n, guard, obj, attr) for n in nodes]
        nl, unit = ctx.source.newline, ctx.tree.default_indent
        indent = ctx.source.indent_at(_cst.span(ctx, cls.body.body[0])[0])
        blocks = [_templates.fit(_templates.code(n), indent, unit, nl) for n in nodes]
        at = _cst.line_after(ctx, cls)
        text = nl + (nl + nl).join(blocks) + nl
        style = "async" if nodes[0].asynchronous else "sync"
        yield self._finding(ctx, entry, _cst.span(ctx, cls.name), missing, _cst.insertion(ctx, at, text), nodes,
                            f"added to {cls.name.value} ({style}, like its own queries)")

    @staticmethod
    def _assign_targets(ctx, cls):
        for node in _cst.nodes(ctx, cst.AssignTarget, cst.AnnAssign):
            p = _cst.parent(ctx, node)
            while p is not None and not isinstance(p, cst.ClassDef):
                p = _cst.parent(ctx, p)
            if p is cls:
                yield node

    def _optional(self, ctx, cls, obj, attr) -> bool:
        """Is the client declared Optional or set to None? Then the type
        checker wants each scaffolded method to guard it."""
        for node in self._assign_targets(ctx, cls):
            target = node.target
            if not _is_holder_attr(target, obj, attr):
                continue
            if isinstance(node, cst.AnnAssign):
                written = _cst.written(ctx, node.annotation.annotation)
                if "Optional" in written or "None" in written:
                    return True
            value = _cst.parent(ctx, node).value if isinstance(node, cst.AssignTarget) else node.value
            if isinstance(value, cst.Name) and value.value == "None":
                return True
        return False

    @staticmethod
    def _synchronous(cls, obj, attr) -> bool:
        """Does the class call its client without awaiting it? Unknown (no
        query yet) keeps the template's own style."""
        uses = awaited = False
        for fn in cls.body.body:
            if not isinstance(fn, cst.FunctionDef) or fn.name.value == "__init__":
                continue
            for n in _cst.walk(fn):
                if _is_holder_attr(n, obj, attr):
                    uses = True
                elif isinstance(n, cst.Await) and any(_is_holder_attr(m, obj, attr) for m in _cst.walk(n)):
                    awaited = True
        return uses and not awaited

    def _finding(self, ctx, entry, where, missing, insertion, nodes, how):
        plan = _imports.ensure(ctx, set().union(*(_imports.names_in(n) for n in nodes)))
        cid = entry["checklist"]
        if plan.conflicts:
            return self.finding(ctx, *where, cid,
                                f"{ctx.spec.after} adds {', '.join(missing)}, not added: {'; '.join(plan.conflicts)}. "
                                f"{ctx.spec.checklist[cid].advice}")
        imported = f"; imports {', '.join(plan.added)}" if plan.added else ""
        return self.finding(ctx, *where, cid, f"{ctx.spec.after} adds {', '.join(missing)}: {how}{imported}",
                            [insertion, *plan.edits])

