"""One file through the rules: prefilter, parse, find, fix, re-parse.

Pure: bytes in, a FileResult out. Reading, writing and parallelism belong to
the engine; this module is also what the fixture tests call directly.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Mapping

from nooble_codemod.engine.collapse import hold_back
from nooble_codemod.engine.edits import apply_edits, choose_fixes
from nooble_codemod.languages import LANGUAGES, SyntaxProblem, language_of
from nooble_codemod.model import FileResult, FileStatus, Finding, Safety, Severity, group_of, not_done
from nooble_codemod.engine.prefilter import Prefilter, WordSet, applies
from nooble_codemod.engine.todos import Markers
from nooble_codemod.rules import Rule, RuleContext, matches_ids, select_rules
from nooble_codemod.settings import Settings
from nooble_codemod.fs.source import DecodeError, SourceText
from nooble_codemod.spec.loader import Spec

MAX_ROUNDS = 8
# `project` of a file analysed by itself: its own project model.
ALONE = object()
HELD_BACK = "it would make two operands the same (like `a and a` or `f(a, a)`); decide by hand"
_NONE: Mapping[str, str] = {}
MIB = 1024 * 1024
_SUPPRESS = re.compile(r"nooble-codemod:\s*ignore(?:\[([^\]]*)\])?")
SUPPRESSION_MARK = b"nooble-codemod:"
UNUSED_SUPPRESSION = "unused-suppression"


@dataclass
class Pipeline:
    """Everything a worker needs, built once per process."""

    spec: Spec
    settings: Settings
    _warmed: set = field(default_factory=set, repr=False)
    _statement_words: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.settings.backend_strategy:  # the spec's default
            self.settings = replace(self.settings, backend_strategy=self.spec.default_strategy)

    @cached_property
    def rules(self) -> dict[str, tuple[Rule, ...]]:
        return _ByLanguage(lambda lang: select_rules(self.settings, self.spec, lang))

    @cached_property
    def prefilter(self) -> dict[str, Prefilter]:
        # A to-do marker is read wherever it stands: its site may be gone
        # (engine/todos.py); a suppression comment too, as relevant() says.
        return _ByLanguage(lambda lang: Prefilter(self.rules[lang], self.spec, self.settings,
                                                  also=(self.markers.tag, SUPPRESSION_MARK.decode())))

    @cached_property
    def rule_words(self) -> dict[str, list[tuple[Rule, WordSet, tuple[str, ...]]]]:
        return _ByLanguage(lambda lang: [(r, WordSet(r.words(self.spec, self.settings)), r.file_patterns(self.spec))
                                         for r in self.rules[lang]])

    @cached_property
    def vocabulary(self) -> dict[str, WordSet]:
        """Every word of a language's rules: one search of a file says which
        rules have something to look at (WordSet.holds), not one per rule."""
        return _ByLanguage(lambda lang: WordSet({w for _, ws, _ in self.rule_words[lang] for w in ws.words}))

    @cached_property
    def markers(self) -> Markers:
        return Markers(self.spec)

    @cached_property
    def evidence(self):
        """The checklist evidence words, per language (engine/evidence.py)."""
        from nooble_codemod.engine.evidence import Vocabularies

        return Vocabularies(self.spec)

    def warm(self, language: str | None) -> None:
        """Import what a language's files need (its rules, its parser) ahead of
        the per-file time limit, which is for the file and not for imports."""
        if language is None or language in self._warmed:
            return
        self._warmed.add(language)
        for rule, ws, _ in self.rule_words[language]:  # imports the language's rule modules
            self._statement_words_of(rule, ws)
        self.vocabulary[language]  # noqa: B018
        self.evidence[language]  # noqa: B018
        if language in LANGUAGES:
            self.prefilter[language]  # noqa: B018
        if language == "python":
            import libcst  # noqa: F401

            from nooble_codemod.languages import python, python_narrow  # noqa: F401
        elif language == "typescript":
            from nooble_codemod.languages import typescript, typescript_narrow  # noqa: F401

            typescript.warm()

    def relevant(self, language: str, raw: bytes, path: str = "") -> bool:
        # A suppression comment is read even where nothing else is: it may
        # suppress nothing (a language's prefilter looks for it with its words).
        if language in LANGUAGES:
            return self.prefilter[language].matches(path, raw)
        return SUPPRESSION_MARK in raw

    # -- analysis -------------------------------------------------------------------
    def parse(self, language: str, source: SourceText, path: str, rules=(), carry: "_Carry | None" = None,
              outline=None):
        """The file's tree; when every rule of `rules` (those that run on the
        file) is local, of the text narrowed to what they can see
        (languages/python_narrow.py, typescript_narrow.py). `carry`: what the
        previous fix round of the same file narrowed, and its edits;
        `outline`: a Python text's outline, when the project model parsed it."""
        if language == "sql":
            return None  # read as text
        words, context = self._narrowing_words(rules)
        active = frozenset(rule.id for rule, _ in rules)
        moved = self._moved_spans(carry, active) if words else None
        if language == "python":
            return self._parse_python(source, words, active, moved, carry, outline)
        from nooble_codemod.languages import typescript

        if not words:
            return typescript.parse(source.data, path)
        from nooble_codemod.languages.typescript_narrow import blank, narrow

        if moved:
            try:
                tree = typescript.parse(blank(source.data, moved).data, path)
                carry.spans = tuple(moved)
                return tree
            except SyntaxProblem:
                pass  # the whole text decides, below
        tree = typescript.parse(source.data, path)
        narrowed = narrow(tree, source.data, words, context)
        if carry is not None:
            carry.rules, carry.spans = active, narrowed.spans if narrowed is not None else ()
        if narrowed is not None:
            try:
                return typescript.reparse(tree, source.data, narrowed.data, narrowed.spans, path)
            except SyntaxProblem:
                return typescript.parse(source.data, path)  # not expected; the whole tree is always right
        return tree

    def _parse_python(self, source: SourceText, words, active: frozenset, moved, carry: "_Carry | None",
                      outline=None):
        from nooble_codemod.languages import python

        if not words:
            return python.parse(source.text)
        from nooble_codemod.languages.python_narrow import blank, narrow

        # Python spans count characters and edits bytes: they agree on ASCII text.
        ascii_text = len(source.data) == len(source.text)
        if moved and ascii_text:
            try:
                tree = python.parse(blank(source.text, moved).text)
                carry.spans = tuple(moved)
                return tree
            except SyntaxProblem:
                pass  # the whole text decides, below
        narrowed = narrow(source.text, words, self.spec.python_imports, outline)
        if carry is not None:
            carry.rules, carry.spans = active, narrowed.spans if narrowed is not None and ascii_text else ()
        return python.parse(narrowed.text if narrowed is not None else source.text)

    @staticmethod
    def _moved_spans(carry: "_Carry | None", active: frozenset):
        """In a fix round, the spans the first analysis blanked, moved by the
        edits since, when they can be blanked again without outlining the
        whole text anew (the same rules or fewer look at it)."""
        if carry is None or not carry.spans or carry.edits is None or not active <= carry.rules:
            return None
        from nooble_codemod.languages._narrowing import after_edits

        return after_edits(carry.spans, carry.edits)

    def _narrowing_words(self, rules) -> tuple[set[str], dict[str, set[str]]]:
        """The words whose statements the rules need and their context words
        (Rule.context_words), or no words when one of them needs the whole file."""
        if not rules or not all(rule.local for rule, _ in rules):
            return set(), {}
        words: set[str] = set()
        context: dict[str, set[str]] = {}
        for rule, ws in rules:
            own, more = self._statement_words_of(rule, ws)
            words |= own
            for name, extra in more.items():
                context.setdefault(name, set()).update(extra)
        return words, context

    def _statement_words_of(self, rule: Rule, ws: WordSet) -> tuple[frozenset[str], dict[str, set[str]]]:
        entry = self._statement_words.get(rule.id)
        if entry is None:
            own = rule.statement_words(self.spec, self.settings)
            entry = self._statement_words[rule.id] = (frozenset(ws.words if own is None else own),
                                                      rule.context_words(self.spec, self.settings))
        return entry

    def analyse(self, path: str, language: str, source: SourceText, migrated: bool = False,
                carry: "_Carry | None" = None, project=None) -> list[Finding]:
        """The file's findings. `migrated`: the text is this run's own output,
        which must parse; when no rule has anything left to look at, CPython's
        parser says so at a tenth of LibCST's cost."""
        name = path.rsplit("/", 1)[-1]
        # A rule whose words the text lacks has nothing to find: not running it is most of the speed.
        found = self.vocabulary[language].found(source.data)
        active = [(rule, words) for rule, words, patterns in self.rule_words[language]
                  if applies(patterns, name) and words.holds(found)]
        if migrated and not active and language == "python":
            from nooble_codemod.languages import python

            python.check(source.text)
            tree = None
        else:
            outline = project.outline_of(source.data) if project is not None and language == "python" else None
            tree = self.parse(language, source, path, active, carry, outline)
        ctx = RuleContext(path=path, language=language, source=source, tree=tree,
                          spec=self.spec, settings=self.settings, project=project,
                          history=tuple(carry.history) if carry is not None else ())
        primary: list[Finding] = []
        fallback: list[Finding] = []
        try:
            for rule, _ in active:
                (fallback if rule.fallback else primary).extend(rule.run(ctx))
        finally:
            ctx.release()
        if fallback:
            # A primary finding claims its own span and every span its fix edits
            # (a rename reported once at the declaration fixes all references).
            claimed = sorted({(f.start, f.end) for f in primary}
                             | {(e.start, e.end) for f in primary if f.fix for e in f.fix.edits})
            starts = [s for s, _ in claimed]
            for f in fallback:
                if not _covered(claimed, starts, f.start, f.end):
                    primary.append(f)
        out: list[Finding] = []
        used: set[int] = set()
        for f in primary:
            if not self.selected(f):
                continue
            line = _suppressed_by(source, f)
            if line:
                used.add(line)
            else:
                out.append(self._with_severity(f))
        out = self.markers.review(path, language, source, out, self._reported)
        if not (self.settings.select or self.settings.ignore):
            # With a narrowed rule set, a suppression for a rule not run is not "unused".
            out.extend(_unused_suppressions(path, source, used))
        return sorted(set(out), key=Finding.sort_key)

    def _with_severity(self, f: Finding) -> Finding:
        """The configured severity for the finding's rule or checklist id (later entries win)."""
        for ids, level in self.settings.severity:
            if matches_ids(f.rule, (f.checklist,), ids.split(",")):
                f = replace(f, severity=Severity(level))
        return f

    def _reported(self, f: Finding) -> Finding | None:
        """A finding the engine makes, as the settings report it (None: not selected)."""
        return self._with_severity(f) if self.selected(f) else None

    def selected(self, f: Finding) -> bool:
        s = self.settings
        if s.select and not matches_ids(f.rule, (f.checklist,), s.select):
            return False
        if s.ignore and matches_ids(f.rule, (f.checklist,), s.ignore):
            return False
        return True

    # -- one file ---------------------------------------------------------------------
    def process(self, path: str, raw: bytes, fix: bool, project=ALONE,
                dropped: Mapping[str, str] | None = None) -> FileResult:
        """`dropped`: edit groups (model.group_of) not to apply, with the reason
        each finding of theirs reports."""
        result = self.screen(path, raw) or self.examine(path, raw, fix, project, dropped)
        result.evidence = self.evidence.scan(path, raw)
        return result

    def screen(self, path: str, raw: bytes) -> FileResult | None:
        """The result of a file decided without parsing it (most files: the
        prefilter), or None when it must be examined."""
        language = language_of(path)
        if language is None:
            return FileResult(path, FileStatus.SKIPPED, "not a TypeScript, JavaScript, Python or SQL file")
        if raw.find(b"\0", 0, 8192) >= 0:  # no copy of the head
            return FileResult(path, FileStatus.SKIPPED, "binary file (contains NUL bytes)")
        if not self.relevant(language, raw, path):
            return FileResult(path, FileStatus.UNCHANGED)
        return None

    def examine(self, path: str, raw: bytes, fix: bool, project=ALONE,
                dropped: Mapping[str, str] | None = None) -> FileResult:
        """Parse, find and (with `fix`) fix a file the screen let through.
        `project`: the project model's decisions for the file (None: it has
        none); ALONE: the file is analysed by itself, its own model."""
        language = language_of(path)
        limit = self.settings.max_file_size
        if limit and len(raw) > limit * MIB:
            # An error, not a skip: a guard that passed a file it never read would lie.
            return FileResult(path, FileStatus.FAILED,
                              f"larger than the {limit:g} MiB limit ({len(raw)} bytes); not analysed "
                              "(see --max-file-size)")
        try:
            source = SourceText.decode(raw, python=language == "python")
        except DecodeError as exc:
            return FileResult(path, FileStatus.FAILED, str(exc))
        carry = _Carry()
        if project is ALONE:
            project = self.alone(path, language, source)
        try:
            findings = self.analyse(path, language, source, carry=carry, project=project)
        except SyntaxProblem as exc:
            return FileResult(path, FileStatus.FAILED, f"{exc}; {not_done(fix)}")
        except RecursionError:
            return FileResult(path, FileStatus.FAILED, f"nested too deeply to analyse; {not_done(fix)}")
        key = project.key if project is not None else ""
        if not fix:
            return FileResult(path, FileStatus.UNCHANGED, findings=findings, project_key=key)
        result = self._fix(path, language, raw, source, findings, carry, project, dropped or _NONE)
        result.project_key = key
        return result

    def alone(self, path: str, language: str, source: SourceText):
        """The project model of a file analysed by itself (the file is the run)."""
        if language != "python":
            return None
        from nooble_codemod.project import decisions

        renames = decisions.renames_of(self.spec, self.settings)
        if not any(n in source.text for n in renames.words):
            return None
        return decisions.of_sources({path: source}, renames).get(path)

    def _fix(self, path: str, language: str, raw: bytes, source: SourceText, findings: list[Finding],
             carry: "_Carry", project=None, dropped: Mapping[str, str] = _NONE) -> FileResult:
        """The fix rounds. `dropped`: edit groups not to apply (group -> why);
        a group one of whose fixes is held back joins them, and the file is
        fixed again from the start: a group is applied whole or not at all."""
        current, current_findings = source, findings
        fixed: list[Finding] = []
        held: set[tuple] = set()  # fixes held back (engine/collapse.py), by _fix_key
        for _ in range(MAX_ROUNDS):
            candidates = [f for f in current_findings
                          if f.fix and (f.fix.safety is Safety.SAFE or self.settings.unsafe_fixes)
                          and _fix_key(f) not in held and group_of(f) not in dropped]
            if not candidates:
                break
            chosen = choose_fixes(candidates)
            if language == "python":
                chosen, back = hold_back(current.data, chosen, frozenset(e.text for f in chosen for e in f.fix.edits))
                held.update(_fix_key(f) for f in back)
                if not chosen:
                    continue
            edits = sorted({e for f in chosen for e in f.fix.edits})
            new = SourceText(apply_edits(current.data, edits).decode("utf-8"), source.encoding, source.bom)
            carry.edits = edits
            carry.history.append(edits)
            try:
                new_findings = self.analyse(path, language, new, migrated=True, carry=carry, project=project)
            except SyntaxProblem as exc:
                return FileResult(path, FileStatus.FAILED,
                                  f"the migrated code would not parse ({exc}); file left unchanged",
                                  findings=findings)
            fixed.extend(chosen)
            current, current_findings = new, new_findings
        else:
            if any(f.fix and _fix_key(f) not in held and group_of(f) not in dropped for f in current_findings):
                return FileResult(path, FileStatus.FAILED,
                                  f"fixes did not settle after {MAX_ROUNDS} rounds; file left unchanged",
                                  findings=findings)
        split = {f.fix.group for f in current_findings if f.fix and f.fix.group and _fix_key(f) in held}
        if split:
            more = dict(dropped)
            more.update((g, HELD_BACK) for g in split)
            return self._fix(path, language, raw, source, findings, _Carry(), project, more)
        if held or dropped:
            current_findings = [_held_back(f) if f.fix and _fix_key(f) in held
                                else _not_done(f, dropped[g]) if f.fix and (g := group_of(f)) in dropped else f
                                for f in current_findings]
        if current.text == source.text:
            return FileResult(path, FileStatus.UNCHANGED, findings=current_findings)
        try:
            new_raw = source.encode(current.text)
        except UnicodeEncodeError:
            return FileResult(path, FileStatus.FAILED,
                              f"the migrated text cannot be written in the file's encoding ({source.encoding})",
                              findings=findings)
        return FileResult(path, FileStatus.CHANGED, findings=current_findings, fixed=fixed,
                          original=raw, new=new_raw, original_text=source.text, new_text=current.text)


def _fix_key(f: Finding) -> tuple:
    """A fix, recognised in the next round's findings (whose offsets moved)."""
    return (f.rule, f.checklist, f.message, f.context)


def _held_back(f: Finding) -> Finding:
    return _not_done(f, HELD_BACK)


def _not_done(f: Finding, why: str) -> Finding:
    """A finding whose fix is not applied, saying why."""
    group = f" (edit group {f.fix.group})" if f.fix and f.fix.group else ""
    return replace(f, fix=None, message=f"{f.message} — not changed{group}: {why}")


def _covered(claimed: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Does any claimed span overlap [start, end)? (claimed is sorted by start.)"""
    i = bisect.bisect_left(starts, end)
    for s, e in reversed(claimed[max(0, i - 64):i + 1]):
        if (s < end and start < e) or (s == start and e == end):
            return True
    return any(s < end and start < e for s, e in claimed[:max(0, i - 64)])


def _suppressed_by(source: SourceText, f: Finding) -> int:
    """The line of the `nooble-codemod: ignore` or `ignore[ID,…]` comment that
    suppresses the finding (on its line or the line above), or 0."""
    for line in (f.line, f.line - 1):
        if line < 1:
            continue
        m = _SUPPRESS.search(source.line_text(line))
        if m and (m.group(1) is None or matches_ids(f.rule, (f.checklist,), m.group(1).split(","))):
            return line
    return 0


def _unused_suppressions(path: str, source: SourceText, used: set[int]) -> list[Finding]:
    """A suppression that suppresses nothing hides nothing today and would hide
    a real finding tomorrow: it is reported (ruff's unused-noqa)."""
    out = []
    if SUPPRESSION_MARK not in source.data:
        return out
    for i, text in enumerate(source.text.splitlines(), start=1):
        m = _SUPPRESS.search(text)
        if m is None or i in used:
            continue
        start = source.offset(i, m.start())
        end = source.offset(i, m.end())
        what = f"ignore[{m.group(1)}]" if m.group(1) is not None else "ignore"
        out.append(Finding(
            rule=UNUSED_SUPPRESSION, checklist="", path=path, line=i, column=m.start() + 1, end_line=i,
            end_column=m.end() + 1, severity=Severity.WARNING, start=start, end=end,
            context=source.excerpt(start, end),
            message=f"this `nooble-codemod: {what}` suppresses nothing here: remove it"))
    return out


@dataclass
class _Carry:
    """What one analysis of a file tells the next fix round: the rules the
    narrowing was for, the spans it blanked (bytes; for Python, characters of
    an ASCII text, the same), and the edits made since."""

    rules: frozenset = frozenset()
    spans: tuple = ()
    edits: list | None = None
    # Every round's edits, in order: where a span of the first text is now (RuleContext.moved).
    history: list = field(default_factory=list)


class _ByLanguage(dict):
    """A value per language, built the first time the language is asked for."""

    def __init__(self, make) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, language: str):
        value = self[language] = self._make(language)
        return value
