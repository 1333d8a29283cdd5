"""py-scaffold: the models, enums and client methods a spec scaffolds, added where absent."""

from __future__ import annotations

import libcst as cst

from nooble_codemod.model import Edit
from nooble_codemod.rules import PlacingRule
from nooble_codemod.rules.python import _cst, _imports, _placement, _templates


# How many files a "where it looked" message names before "and N more".
_LISTED = 8


def _entries(spec, kind: str) -> list[dict]:
    """The Python entries of a kind ("classes", "methods")."""
    return [s for s in spec.scaffolds if s.get("language") == "python" and s.get("kind") == kind]


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


class Scaffold(PlacingRule):
    id = "py-scaffold"
    language = "python"
    reads = ("scaffolds",)
    summary = "Add the models, enums and supabase client methods the spec scaffolds where absent, with their imports"
    fix_safety = "safe"
    doc = """
Interprets the spec's Python `[[scaffolds]]` entries:

- kind "classes" with `place = "client_package"`: once per run, into the
  module `into` (models.py, types.py) of the package that holds the supabase
  client — the class assigning `self.client` from `create_client(…)`, or
  typing it (or the parameter it comes from) `Client`/`AsyncClient` from
  supabase ([client.python] client_*). The nearest such module wins: the
  client's folder, then the packages enclosing it. The listed classes it
  does not define are appended after its last class, whatever else it holds
  (guide §3.1 SubscriptionInfo, UsageMetrics, MessageWithTokens; §3.2
  SubscriptionStatus, ConversationStatus, MessageRole); without such a
  module, it is created beside the client's module. A models.py or types.py
  of another package (a library, a vendored copy, a second service) gets
  nothing. The scaffold stage asks this after every file was analysed, on
  the files' migrated text.
- kind "methods", placed the same way: the one class holding the supabase
  client (whatever its module's name; `class_assigning`, `self.client`, is
  what the template's methods call) gets the listed methods it lacks,
  appended to its body (guide §3.5 get_user_subscription, check_user_limit,
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
another way (e.g. `import datetime` where the template means the class); a
run whose supabase client is held by more than one class, or in more than
one package (at each holder: which module each would get); a package
without the module (spec `when_missing = "report"`: at the holder, with the
folders looked in); and a run where files name supabase but no class holds
its client (at each models.py, types.py or client.py of the run, else the
first file naming supabase, with the files it looked in). A run whose Python
files never name supabase is no supabase back end: nothing is said.

Example: `class Message(BaseModel): …` at the end of the models.py beside
client.py → the same, followed by `class SubscriptionInfo(BaseModel): …` and
the other two; the models.py of a vendored library is left as it is.
"""

    def words(self, spec, settings):
        return set()  # never run file by file: every entry is placed once per run (the scaffold stage)

    def run(self, ctx):
        return ()

    # -- kind "classes" --------------------------------------------------------------
    @staticmethod
    def _missing(ctx, entry, template) -> tuple[list, list[str]]:
        """The module's top-level classes, and the entry's names it neither defines nor imports."""
        classes = [s for s in ctx.tree.body if isinstance(s, cst.ClassDef)]
        defined = {c.name.value for c in classes} | set(_imports.bindings(ctx))
        return classes, [n for n in entry["names"] if n not in defined and n in template]

    def _appended(self, ctx, entry, template, classes, missing):
        """The finding appending `missing` after the module's last class (or
        at its end); in an empty module, its whole text: imports, then classes."""
        nl, unit = ctx.source.newline, ctx.tree.default_indent
        blocks = [_templates.fit(_templates.code(template[n]), "", unit, nl) for n in missing]
        nodes = [template[n] for n in missing]
        if not ctx.source.data:
            return self._created(ctx, entry, missing, nodes, (nl * 3).join(blocks) + nl)
        anchor = classes[-1] if classes else None
        at = _cst.line_after(ctx, anchor) if anchor is not None else len(ctx.source.data)
        text = nl + nl + (nl * 3).join(blocks) + nl
        where = _cst.span(ctx, anchor.name) if anchor is not None else (0, 0)
        return self._finding(ctx, entry, where, missing, _cst.insertion(ctx, at, text), nodes,
                             "appended from the guide")

    def _created(self, ctx, entry, missing, nodes, body: str):
        """A new module: one insertion into the empty text, its imports first
        (two edits at offset 0 would have no order)."""
        plan = _imports.ensure(ctx, set().union(*(_imports.names_in(n) for n in nodes)))
        head = "".join(e.text for e in sorted(plan.edits))
        nl = ctx.source.newline
        text = head + nl + nl + body if head else body
        imported = f"; imports {', '.join(plan.added)}" if plan.added else ""
        return self.finding(ctx, 0, 0, entry["checklist"],
                            f"{ctx.spec.after} adds {', '.join(missing)}: a new module in the package of the "
                            f"{ctx.spec.client(self.language).client_name}{imported}", [Edit(0, 0, text)])

    # -- placed once per run (`place`, the scaffold stage) ------------------------------
    def placed_entries(self, spec):
        return [e for kind in ("classes", "methods") for e in _entries(spec, kind)
                if e.get("place") == "client_package"]

    def holder_words(self, spec):
        return tuple(m.encode() for m in sorted(spec.client("python").client_modules))

    def holders(self, ctx):
        return _placement.holders(ctx, ctx.spec.client("python"))

    def place(self, spec, entry, holders, paths, looked, open_file):
        if entry["kind"] == "methods":
            yield from self._place_methods(spec, entry, holders, paths, looked, open_file)
            return
        siblings = tuple(e["into"] for e in self.placed_entries(spec) if e is not entry and e["kind"] == "classes")
        where = _placement.place(entry["into"], holders, paths, siblings, spec.client(self.language).client_name)
        if where.target is None:
            # Clients in several packages (at each, for a human), or none.
            yield from (self._several(spec, entry, where, holders, open_file) if where.why
                        else self._no_client(spec, entry, paths, looked, open_file))
        elif not where.exists and entry.get("when_missing", "report") == "report":
            yield from self._no_module(spec, entry, where, holders[0], open_file)
        elif (ctx := open_file(where.target)) is not None:  # None: it does not parse, its own result says so
            template = _templates.definitions(spec, entry["template"])
            classes, missing = self._missing(ctx, entry, template)
            if missing:
                yield self._appended(ctx, entry, template, classes, missing)

    def _place_methods(self, spec, entry, holders, paths, looked, open_file):
        """Into the one class holding the supabase client, wherever its module."""
        if len(holders) > 1:
            where = ", ".join(f"{h.name} ({h.path})" for h in holders)
            yield from self._several(spec, entry, _placement.Placement(
                None, why=f"the {spec.client(self.language).client_name} is held by more than one class ({where})"),
                holders, open_file)
        elif not holders:
            yield from self._no_client(spec, entry, paths, looked, open_file)
        elif (ctx := open_file(holders[0].path)) is not None:
            h = holders[0]
            cls = next(c for c in _cst.nodes(ctx, cst.ClassDef) if _cst.span(ctx, c.name) == (h.start, h.end))
            yield from self._methods(ctx, entry, cls)

    def _unplaced(self, spec, entry, ctx, start, end, why):
        cid = entry["checklist"]
        client = spec.client(self.language).client_name
        where = (f"the class holding the {client}" if entry["kind"] == "methods"
                 else f"the {entry['into']} of the package holding the {client}")
        return self.finding(ctx, start, end, cid, f"{spec.after} adds {', '.join(entry['names'])} to {where}; "
                                                  f"{why}. {spec.checklist[cid].advice}")

    def _no_module(self, spec, entry, where, holder, open_file):
        ctx = open_file(holder.path)
        if ctx is not None:
            folders = ", ".join(f or "." for f in where.looked_in)
            yield self._unplaced(spec, entry, ctx, holder.start, holder.end,
                                 f"there is none in the package of {holder.name} (looked in {folders}): add them "
                                 f"where the package keeps them, e.g. a new {where.target}")

    def _several(self, spec, entry, where, holders, open_file):
        for h in holders:
            if (ctx := open_file(h.path)) is not None:
                yield self._unplaced(spec, entry, ctx, h.start, h.end, f"placed once, so not placed: {where.why}")

    def _no_client(self, spec, entry, paths, looked, open_file):
        """Said at each module named `into`, else at the first file looked at;
        only in a run that names the client's module (`looked`): a run of
        Python files that never mention it is no supabase back end to speak of."""
        if not looked:
            return
        client = spec.client("python")
        modules = "/".join(sorted(client.client_modules))
        more = len(looked) - _LISTED
        shown = ", ".join(looked[:_LISTED]) + (f" and {more} more" if more > 0 else "")
        why = (f"not placed: no class of the run holds it ({client.client_attribute} from "
               f"{'/'.join(sorted(client.client_factories))}(…) or typed {'/'.join(sorted(client.client_types))}): "
               f"none of the {len(looked)} Python files naming {modules} does ({shown})")
        for path in sorted(p for p in paths if p.rsplit("/", 1)[-1] == entry["into"]) or looked[:1]:
            if (ctx := open_file(path)) is not None:
                yield self._unplaced(spec, entry, ctx, 0, 0, why)

    # -- kind "methods" --------------------------------------------------------------
    def _methods(self, ctx, entry, cls):
        obj, attr = _holder(entry)
        template = _templates.definitions(ctx.spec, entry["template"])
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

