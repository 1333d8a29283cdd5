"""Part of stage 5, scaffold: the spec entries placed once per run (`place`).

Where they go depends on other files (the package holding the supabase
client), so no file's own analysis can decide it. After every file was
analysed, this reads the files that may decide it (their current text, fixes
applied), asks each PlacingRule where its entries go and applies what it
returns: edits to a file of the run (on top of that file's own fixes), a new
file, or a finding without a fix saying why nothing was placed.
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Callable, Mapping

from nooble_codemod.engine.edits import apply_edits
from nooble_codemod.languages import SyntaxProblem, language_of
from nooble_codemod.model import FileResult, FileStatus, Finding, Safety

if TYPE_CHECKING:
    from nooble_codemod.engine.pipeline import Pipeline
    from nooble_codemod.fs.source import SourceText
    from nooble_codemod.rules import RuleContext


def place(files: list[FileResult], paths: list[str], pipeline: Pipeline, fix: bool,
          relative: Callable[[str], str], dropped: Mapping[str, str] | None = None) -> list[FileResult]:
    """`files` with the placed entries' work in them; `paths`: the run's files
    (absolute). Work already in a file is not done twice (a rule finds
    nothing missing), so this runs again after files were executed again
    (engine/redo.py), without the `dropped` groups."""
    languages = {e.get("language") for e in pipeline.spec.scaffolds if e.get("place")}
    if not any(language_of(p) in languages for p in paths):
        return files  # nothing to place in: do not even import the rules
    if not _may_decide(files, paths, pipeline, languages, relative):
        return files  # no file names the client: nothing is said, and LibCST is not imported here
    from nooble_codemod.rules import PlacingRule, select_rules

    rules = [r for r in select_rules(pipeline.settings, pipeline.spec)
             if isinstance(r, PlacingRule) and r.placed_entries(pipeline.spec)]
    if not rules:
        return files
    run = _Run(files, {relative(p): p for p in paths}, pipeline, fix, dropped or {})
    for rule in rules:
        mine = frozenset(rel for rel in run.absolute if language_of(rel) == rule.language)
        words = rule.holder_words(pipeline.spec)
        looked, holders = [], []
        for rel in sorted(mine):
            raw = run.raw(rel)
            if raw is None or not any(w in raw for w in words):
                continue  # screened on bytes: most files of a run are never decoded here
            looked.append(rel)
            ctx = run.context(rel, rule.language)
            if ctx is not None:
                holders.extend(rule.holders(ctx))
        for entry in rule.placed_entries(pipeline.spec):
            opened = partial(run.context, language=rule.language)
            for finding in rule.place(pipeline.spec, entry, holders, mine, looked, opened):
                run.take(finding, rule.language)
    return run.files()


def _may_decide(files: list[FileResult], paths: list[str], pipeline: Pipeline, languages: set,
                relative: Callable[[str], str]) -> bool:
    """May a file of the run hold the client (name one of the spec's
    `client_modules`, the placing rules' holder_words)? Told by the evidence
    masks the workers made (engine/evidence.py) where those words are
    evidence words; else, and for a changed file, by its bytes."""
    results = {r.path: r for r in files}
    for lang in languages:
        words = sorted(pipeline.spec.client(lang).client_modules)
        vocabulary = pipeline.evidence[lang]
        mask = vocabulary.mask_of(words) if all(w in vocabulary.bit for w in words) else None
        for path in paths:
            if language_of(path) != lang:
                continue
            r = results.get(relative(path))
            if r is not None and mask is not None and r.status is not FileStatus.CHANGED:
                if r.evidence & mask:
                    return True
                continue
            raw = r.new if r is not None and r.new is not None else _bytes(path)
            if raw is not None and any(w.encode() in raw for w in words):
                return True
    return False


def _bytes(path: str) -> bytes | None:
    from nooble_codemod.engine.tasks import read

    try:
        return read(path, -1)
    except OSError:
        return None


class _Run:
    """The run's files as this stage sees and changes them."""

    def __init__(self, files: list[FileResult], absolute: dict[str, str], pipeline: Pipeline, fix: bool,
                 dropped: Mapping[str, str]) -> None:
        self.results = {r.path: r for r in files}
        self.order = [r.path for r in files]
        self.absolute, self.pipeline, self.fix, self.dropped = absolute, pipeline, fix, dropped
        self._texts: dict[str, SourceText | None] = {}
        self._disk: dict[str, bytes] = {}

    def files(self) -> list[FileResult]:
        return [self.results[p] for p in self.order]

    def raw(self, rel: str) -> bytes | None:
        """The file's current bytes (its fixes applied), None if failed or unreadable."""
        r = self.results.get(rel)
        if r is not None and r.status is FileStatus.FAILED:
            return None  # its own result says why
        if r is not None and r.status is FileStatus.CHANGED and r.new is not None:
            return r.new
        return self._read(rel)

    def _read(self, rel: str) -> bytes | None:
        if rel not in self._disk:
            from nooble_codemod.engine.tasks import read

            try:
                self._disk[rel] = read(self.absolute[rel], -1)
            except OSError:
                return None
        return self._disk[rel]

    def text(self, rel: str) -> SourceText | None:
        """The file's current text: its fixes applied; empty for a file to create."""
        if rel not in self._texts:
            from nooble_codemod.fs.source import DecodeError, SourceText

            r = self.results.get(rel)
            disk = self._read(rel) if rel in self.absolute else None
            if r is not None and r.status is FileStatus.FAILED:
                self._texts[rel] = None  # its own result says why
            elif r is not None and r.created and r.new_text is not None:
                self._texts[rel] = SourceText(r.new_text)
            elif rel not in self.absolute:
                self._texts[rel] = SourceText("")
            elif disk is None:
                self._texts[rel] = None
            else:
                try:
                    decoded = SourceText.decode(disk, python=language_of(rel) == "python")
                except DecodeError:
                    decoded = None
                if decoded is not None and r is not None and r.status is FileStatus.CHANGED \
                        and r.new_text is not None:
                    # The file's encoding and BOM; the text with its fixes applied.
                    decoded = SourceText(r.new_text, decoded.encoding, decoded.bom)
                self._texts[rel] = decoded
        return self._texts[rel]

    def context(self, rel: str, language: str) -> RuleContext | None:
        from nooble_codemod.rules import RuleContext

        source = self.text(rel)
        if source is None:
            return None
        try:
            tree = self.pipeline.parse(language, source, rel)
        except (SyntaxProblem, RecursionError):
            return None
        return RuleContext(path=rel, language=language, source=source, tree=tree,
                           spec=self.pipeline.spec, settings=self.pipeline.settings)

    def take(self, finding: Finding, language: str) -> None:
        """Apply the finding's fix to its file, or keep it as a finding."""
        if not self.pipeline.selected(finding):
            return
        rel = finding.path
        r = self.results.get(rel)
        if finding.fix is not None:
            # One group per entry and file: named alike in every round, so a drop holds.
            group = finding.fix.group or f"place:{finding.rule}:{finding.checklist}:{rel}"
            finding = replace(finding, group=group, fix=replace(finding.fix, group=group))
            if group in self.dropped:
                if r is None or not any(f.group == group for f in r.findings):  # redo said it already
                    self._report(rel, r, replace(finding, fix=None, message=f"{finding.message} — not changed: "
                                                                             f"{self.dropped[group]}"))
                return
        usable = finding.fix is not None and (finding.fix.safety is Safety.SAFE
                                              or self.pipeline.settings.unsafe_fixes)
        if not (self.fix and usable):
            self._report(rel, r, finding)
            return
        from nooble_codemod.fs.source import SourceText

        if (r is None or r.created) and self._on_disk(rel):
            # A file discovery skipped (git-ignored, excluded): never written over.
            self._report(rel, r, replace(finding, fix=None, message=f"{finding.message} (not created: {rel} "
                                                                    "exists but is not a file of this run)"))
            return
        source = self.text(rel)
        assert source is not None  # the rule was given its context
        new = SourceText(apply_edits(source.data, sorted(finding.fix.edits)).decode("utf-8"),
                         source.encoding, source.bom)
        try:
            self.pipeline.parse(language, new, rel)
            new_raw = source.encode(new.text)
        except (SyntaxProblem, RecursionError, UnicodeEncodeError) as exc:
            self._report(rel, r, replace(finding, fix=None,
                                         message=f"{finding.message} (not done: the result would not be "
                                                 f"valid: {exc})"))
            return
        self._texts[rel] = new
        if r is None or r.created:  # a file to create
            self._put(FileResult(rel, FileStatus.CHANGED, fixed=[*(r.fixed if r else ()), finding],
                                 original=b"", new=new_raw, original_text="", new_text=new.text, created=True))
        elif r.status is FileStatus.CHANGED:
            self._put(replace(r, fixed=[*r.fixed, finding], new=new_raw, new_text=new.text))
        else:
            original = self._disk[rel]
            self._put(replace(r, status=FileStatus.CHANGED, fixed=[*r.fixed, finding], original=original,
                              new=new_raw, original_text=SourceText.decode(original, python=language == "python").text,
                              new_text=new.text))

    def _on_disk(self, rel: str) -> bool:
        """Does a file the run does not hold exist at `rel`? Its folder is a
        folder of the run's files (a client's package)."""
        folder, _, name = rel.rpartition("/")
        for known, absolute in self.absolute.items():
            if known.rpartition("/")[0] == folder:
                return os.path.lexists(os.path.join(os.path.dirname(absolute), name))
        return False

    def _report(self, rel: str, r: FileResult | None, finding: Finding) -> None:
        if r is None:
            self._put(FileResult(rel, FileStatus.UNCHANGED, findings=[finding]))
        else:
            self._put(replace(r, findings=sorted([*r.findings, finding], key=Finding.sort_key)))

    def _put(self, r: FileResult) -> None:
        if r.path not in self.results:
            self.order.append(r.path)
        self.results[r.path] = r
