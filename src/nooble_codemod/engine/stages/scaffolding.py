"""Stage 5, scaffold: new files a migration adds (spec `[[scaffolds]]` of kind
"file"), then the entries placed once per run (`place`: placement.py).

Per-file rules cannot create files, so this stage asks each FileScaffoldRule
which directories of the run lack the file, shows it the neighbouring files
(parsed), and packages what it writes like any other file's result. Then
every file of the run is known, and put in path order.
"""

from __future__ import annotations

import fnmatch
import os
import re
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from nooble_codemod.engine.gcpause import collector_paused
from nooble_codemod.languages import SyntaxProblem, language_of
from nooble_codemod.model import FileResult, FileStatus

if TYPE_CHECKING:
    from nooble_codemod.engine.pipeline import Pipeline
    from nooble_codemod.engine.stages.execution import Outcome
    from nooble_codemod.rules import RuleContext


def scaffold(outcome: Outcome) -> Outcome:
    from nooble_codemod.engine.stages.placement import place

    request, files = outcome.request, outcome.result.files
    files.extend(scaffold_files(outcome.paths, outcome.pipeline, request.mode.fixes, request.relative))
    # Then the entries placed once per run, which may go into any file, a new one too.
    files[:] = place(files, outcome.paths, outcome.pipeline, request.mode.fixes, request.relative)
    if request.part is not None:
        # Both looked at every file of the tree, as a full run does; a part reports its own files.
        files[:] = [r for r in files if request.part.takes(r.path)]
    with collector_paused():
        files.sort(key=attrgetter("path"))  # already nearly sorted: the key is the cost
    return outcome


def scaffold_files(paths: list[str], pipeline: Pipeline, fix: bool,
                   relative: Callable[[str], str]) -> list[FileResult]:
    """`paths`: the run's files (absolute); `relative` gives their report paths."""
    out: list[FileResult] = []
    patterns = [s["beside"] for s in pipeline.spec.scaffolds if s.get("kind") == "file"]
    if not patterns:
        return out
    # fnmatchcase of every pattern, as one regex over each file name: this
    # runs over every file of every run, most often to find nothing.
    beside_any = re.compile("|".join(fnmatch.translate(pat) for pat in patterns)).match
    if not any(beside_any(p[p.rfind(os.sep) + 1:]) for p in paths):
        return out  # nothing to scaffold beside: do not even import the rules
    from nooble_codemod.fs.source import SourceText
    from nooble_codemod.rules import FileScaffoldRule, RuleContext, select_rules

    files = [Path(p) for p in paths]
    rules = [r for r in select_rules(pipeline.settings, pipeline.spec) if isinstance(r, FileScaffoldRule)]
    for rule in rules:
        for entry in rule.entries(pipeline.spec):
            beside, name = entry["beside"], entry["name"]
            by_dir: dict[Path, list[Path]] = {}
            for p in files:
                if fnmatch.fnmatchcase(p.name, beside) and p.name != name:
                    by_dir.setdefault(p.parent, []).append(p)
            for folder in sorted(by_dir):
                target = folder / name
                if os.path.lexists(target):
                    continue
                siblings = [ctx for p in sorted(by_dir[folder]) if (ctx := _context(pipeline, p, relative(str(p))))]
                new_file = RuleContext(path=relative(str(target)), language=rule.language, source=SourceText(""),
                                       tree=None, spec=pipeline.spec, settings=pipeline.settings)
                finding = rule.scaffold(entry, new_file, siblings)
                if not pipeline.selected(finding):
                    continue
                if fix and finding.fix:
                    text = finding.fix.edits[0].text
                    try:
                        pipeline.parse(rule.language, SourceText(text), new_file.path)
                    except SyntaxProblem as exc:
                        out.append(FileResult(new_file.path, FileStatus.FAILED,
                                              f"the scaffolded file would not parse ({exc}); not created",
                                              findings=[finding]))
                        continue
                    out.append(FileResult(new_file.path, FileStatus.CHANGED, fixed=[finding], original=b"",
                                          new=text.encode("utf-8"), original_text="", new_text=text,
                                          created=True))
                else:
                    out.append(FileResult(new_file.path, FileStatus.UNCHANGED, findings=[finding]))
    return out


def _context(pipeline: Pipeline, path: Path, rel: str) -> RuleContext | None:
    """A neighbour, parsed; one that cannot be read or parsed is simply not
    consulted (its own processing reports the problem)."""
    from nooble_codemod.fs.source import DecodeError, SourceText
    from nooble_codemod.rules import RuleContext

    language = language_of(path)
    if language is None:
        return None
    try:
        source = SourceText.decode(path.read_bytes(), python=language == "python")
        tree = pipeline.parse(language, source, rel)
    except (OSError, DecodeError, SyntaxProblem, RecursionError):
        return None
    return RuleContext(path=rel, language=language, source=source, tree=tree,
                       spec=pipeline.spec, settings=pipeline.settings)
