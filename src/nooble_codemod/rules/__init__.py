"""Rules, and how they are found.

A rule is a class in a module under `nooble_codemod.rules.<language>`; adding
one means adding a module (and a fixture folder), nothing else. A rule gets
one parsed file (`RuleContext`) and returns findings, each optionally with a
fix (byte-range edits). It never reads other files, writes, prints or knows
about the command line.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from nooble_codemod.languages import LANGUAGES
from nooble_codemod.model import Edit, Finding, Fix, RuleInfo, Safety, Severity
from nooble_codemod.settings import Settings
from nooble_codemod.fs.source import SourceText
from nooble_codemod.spec.loader import Spec


@dataclass
class RuleContext:
    path: str  # relative, posix: what findings carry
    language: str
    source: SourceText
    tree: Any  # tree_sitter.Tree for TypeScript, libcst.Module for Python
    spec: Spec
    settings: Settings
    # The project model's decisions for this file (project/decisions.py), or None.
    project: Any = None
    # The edits of the fix rounds before this analysis: the first text's
    # spans, where the project model's positions point, move with them.
    history: tuple = ()
    _cache: dict = field(default_factory=dict, repr=False)

    def moved(self, start: int, end: int) -> tuple[int, int] | None:
        """Where the first text's [start, end) is in this one; None once an edit touched it."""
        for edits in self.history:
            shift = 0
            for e in edits:
                if e.end <= start:
                    shift += len(e.text.encode()) - (e.end - e.start)
                elif e.start < end:
                    return None
                else:
                    break
            start, end = start + shift, end + shift
        return start, end

    def original(self, start: int) -> int | None:
        """Where this text's offset `start` was in the first text; None inside an edit."""
        for edits in reversed(self.history):
            shift = 0
            for e in edits:
                new_start = e.start + shift
                if start < new_start:
                    break
                size = len(e.text.encode())
                if start < new_start + size:
                    return None
                shift += size - (e.end - e.start)
            start -= shift
        return start

    def cached(self, key: str, make):
        """Per-file memo shared by the rules (e.g. LibCST metadata, chain index)."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def release(self) -> None:
        """Drop the memos once the rules are done: they refer back to the
        context, a cycle that kept the file's whole tree alive until the cycle
        collector found it (docs/performance.md)."""
        self._cache.clear()


class Rule:
    """Base class. Subclasses set the class attributes and implement run()."""

    id: str = ""
    language: str = ""  # "typescript" | "python" | "sql"
    # The spec sections this rule interprets (`("column_renames",)`); the
    # checklist items it covers are those their entries name (checklist_ids).
    reads: tuple[str, ...] = ()
    # Only the entries of `reads` whose keys have these values (`{"scope": "local"}`).
    where: dict = {}
    summary: str = ""
    # What it does / why / example: what `nooble-codemod explain` prints.
    doc: str = ""
    fix_safety: str = "safe"  # "safe" | "unsafe" | "none" (reports only)
    # A fallback rule reports what no other rule claimed (the engine drops its
    # findings where another rule's finding covers the same span).
    fallback: bool = False
    # A local rule's findings and fixes lie in, and depend only on, the
    # top-level statements holding its words, the definitions they name and
    # the module-level statements: its files may be narrowed before parsing
    # (languages/python_narrow.py, typescript_narrow.py). Off unless a rule
    # says so; a rule that says so joins the equivalence tests
    # (tests/test_narrowing.py, test_typescript_narrowing.py) through its fixtures.
    local: bool = False

    def words(self, spec: Spec, settings: Settings) -> set:
        """What a file must contain for this rule to find anything in it: any of
        the strings, or all the words of a tuple (`("profiles", "widgets")`).
        The engine's byte prefilter is their union (prefilter.py)."""
        raise NotImplementedError

    def statement_words(self, spec: Spec, settings: Settings) -> set[str] | None:
        """For a local rule: the words a statement it acts on holds, when fewer
        than all the words of words() (of a table and a column, the column:
        the table may be named in another statement, which the narrowing keeps
        when a kept one names it). None: every word."""
        return None

    def context_words(self, spec: Spec, settings: Settings) -> dict[str, set[str]]:
        """For a local rule: {name: words} — when a top-level statement of the
        file declares `name`, the statements holding `words` matter too (a
        module-level rename looks for its new name in the whole file)."""
        return {}

    def file_patterns(self, spec: Spec) -> tuple[str, ...]:
        """File-name globs this rule is limited to (`models.py`); () for all."""
        return ()

    def run(self, ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError

    def checklist_ids(self, spec: Spec) -> tuple[str, ...]:
        """The checklist items this rule covers under `spec`: those named by the
        entries of its `reads` sections that are for its language, in the
        spec's checklist order."""
        known = spec.__dict__.setdefault("_rule_checklists", {})  # asked per rule, per run
        if self.id not in known:
            known[self.id] = self._checklist_ids(spec)
        return known[self.id]

    def _checklist_ids(self, spec: Spec) -> tuple[str, ...]:
        found: set[str] = set()
        for section in self.reads:
            for entry in spec.entries(section):
                if not self._reads_entry(entry):
                    continue
                cid = entry.get("checklist")
                if isinstance(cid, dict):
                    cid = cid.get(self.language)
                if isinstance(cid, str):
                    found.add(cid)
        return tuple(c for c in spec.checklist if c in found)

    def _reads_entry(self, entry: dict) -> bool:
        languages = entry.get("languages", entry.get("language"))
        if isinstance(languages, str):
            languages = [languages]
        if languages is not None and self.language not in languages:
            return False
        if isinstance(entry.get("checklist"), dict) and self.language not in entry["checklist"]:
            return False
        return all(entry.get(k) == v for k, v in self.where.items())

    # -- helpers for subclasses ---------------------------------------------------
    def finding(
        self,
        ctx: RuleContext,
        start: int,
        end: int,
        checklist: str,
        message: str,
        edits: Iterable[Edit] = (),
        *,
        safety: Safety = Safety.SAFE,
        severity: Severity = Severity.ERROR,
        group: str = "",
    ) -> Finding:
        line, col = ctx.source.position(start)
        end_line, end_col = ctx.source.position(end)
        edits = tuple(sorted(edits))
        return Finding(
            rule=self.id, checklist=checklist, path=ctx.path, line=line, column=col,
            end_line=end_line, end_column=end_col, severity=severity, message=message,
            start=start, end=end, fix=Fix(edits, safety, group) if edits else None,
            context=ctx.source.excerpt(start, end) if ctx.source.data else "", group=group,
        )


class FileScaffoldRule(Rule):
    """A rule that creates a file the project lacks (a spec `[[scaffolds]]`
    entry of kind "file"). The engine finds the directories holding files
    like the entry's `beside` pattern and without the file, parses those
    files, and hands them to `scaffold`; the rule only builds the finding
    whose fix is the new file's text (one insertion into an empty file), or
    a finding without a fix when it cannot write the file on its own."""

    def words(self, spec: Spec, settings: Settings) -> set[str]:
        return set()  # never run per file

    def run(self, ctx: RuleContext) -> Iterable[Finding]:
        return ()

    def entries(self, spec: Spec) -> list[dict]:
        return [s for s in spec.scaffolds if s.get("kind") == "file" and s.get("language") == self.language]

    def scaffold(self, entry: dict, new_file: RuleContext, siblings: list[RuleContext]) -> Finding:
        raise NotImplementedError


class PlacingRule(Rule):
    """A rule with spec entries placed once per run (`[[scaffolds]]` with
    `place`): where they go depends on other files (the package holding the
    supabase client), so the scaffold stage asks the rule after every file
    was analysed. The stage reads and parses; the rule decides and builds the
    findings, each with its fix (edits of the text `open_file` gave for its path,
    an insertion into an empty text for a file to create) or without one,
    saying why nothing was placed and where it looked."""

    def placed_entries(self, spec: Spec) -> list[dict]:
        return []

    def holder_words(self, spec: Spec) -> tuple[bytes, ...]:
        """A file that may hold what decides the place holds one of these."""
        return ()

    def holders(self, ctx: RuleContext) -> list:
        """What of one parsed file decides the place (e.g. classes holding the client)."""
        return []

    def place(self, spec: Spec, entry: dict, holders: list, paths: frozenset[str], looked: list[str],
              open_file: Any) -> Iterable[Finding]:
        """`paths`: the report paths of the run's files of the rule's language;
        `looked`: those that held a holder word; `open_file(path)`: a RuleContext of
        the file's current text (its fixes applied), of an empty text for a
        path the run lacks, or None when it cannot be parsed."""
        return ()


@lru_cache(maxsize=None)
def language_rules(language: str) -> tuple[Rule, ...]:
    """The rules of one language, importing only its package (a run over
    TypeScript files never imports the Python rules, nor LibCST)."""
    found: dict[str, Rule] = {}
    pkg = importlib.import_module(f"{__name__}.{language}")
    for info in pkgutil.iter_modules(pkg.__path__):
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        for obj in vars(module).values():
            if (isinstance(obj, type) and issubclass(obj, Rule) and obj.__module__ == module.__name__
                    and obj.id):
                if obj.id in found:
                    raise RuntimeError(f"two rules share the id {obj.id!r}")
                found[obj.id] = obj()
    return tuple(sorted(found.values(), key=lambda r: r.id))


@lru_cache(maxsize=None)
def all_rules() -> tuple[Rule, ...]:
    found: dict[str, Rule] = {}
    for language in LANGUAGES:
        for rule in language_rules(language):
            if rule.id in found:
                raise RuntimeError(f"two rules share the id {rule.id!r}")
            found[rule.id] = rule
    return tuple(sorted(found.values(), key=lambda r: r.id))


def matches_ids(rule_id: str, checklist_ids: Iterable[str], ids: Iterable[str]) -> bool:
    """True when one of `ids` names the rule or one of the checklist items: a
    rule id (or its language prefix, e.g. `ts`), a checklist id (`DB-1`) or a
    checklist area prefix (`DB`, `FE`, `BE`). Case does not matter."""
    rule_id = rule_id.lower()
    checklist_ids = tuple(c.lower() for c in checklist_ids)
    for wanted in ids:
        w = wanted.strip().lower()
        if not w:
            continue
        if rule_id == w or rule_id.startswith(w + "-"):
            return True
        if any(cid == w or cid.split("-")[0] == w for cid in checklist_ids):
            return True
    return False


def matches(rule: Rule, spec: Spec, ids: Iterable[str]) -> bool:
    return matches_ids(rule.id, rule.checklist_ids(spec), ids)


def select_rules(settings: Settings, spec: Spec, language: str | None = None) -> tuple[Rule, ...]:
    """The rules a run uses: those `settings` select for `spec`, of one
    language or all."""
    rules = language_rules(language) if language else all_rules()
    if settings.select:
        rules = tuple(r for r in rules if matches(r, spec, settings.select))
    if settings.ignore:
        # A rule goes only when all it covers is ignored; single checklist ids
        # are filtered from its findings by the pipeline.
        rules = tuple(
            r for r in rules
            if not (matches_ids(r.id, (), settings.ignore)
                    or ((covered := r.checklist_ids(spec))
                        and all(matches_ids("", (c,), settings.ignore) for c in covered)))
        )
    if language:
        rules = tuple(r for r in rules if r.language == language)
    return rules


def rule_infos(settings: Settings, spec: Spec) -> tuple[RuleInfo, ...]:
    """What the reports need of the rules a run uses."""
    return tuple(RuleInfo.of(r, spec) for r in select_rules(settings, spec))
