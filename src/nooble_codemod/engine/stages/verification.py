"""Stage 6, verify (`apply --verify`): the type checkers on a copy of the
tree before and after the edits; the edit groups that bring new errors are
dropped (engine/redo.py) and the check repeats, a few rounds at most, before
anything is written.

A dropped group's findings are reported for a human with the checker's
message and where it points; a new error where the report already asks a
human to look is expected, and said beside that checklist item.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from nooble_codemod.engine.redo import rerun
from nooble_codemod.model import FileStatus, Verification

if TYPE_CHECKING:
    from nooble_codemod.engine.stages.execution import Outcome
    from nooble_codemod.verify.checkers import Diagnostic
    from nooble_codemod.verify.compare import LineMap, Site

ROUNDS = 3
_PYTHON = (".py", ".pyi")
_TYPESCRIPT = (".ts", ".tsx", ".mts", ".cts")


def verify(outcome: Outcome) -> Outcome:
    if not outcome.request.verify or not outcome.request.mode.fixes:
        return outcome
    if not outcome.result.by_status(FileStatus.CHANGED):
        outcome.result.verification = Verification(notes=["nothing changed: nothing to verify"])
        return outcome
    with tempfile.TemporaryDirectory(prefix="nooble-verify-") as tmp:
        return _Verifier(outcome, Path(tmp)).run()


class _Verifier:
    def __init__(self, outcome: Outcome, tmp: Path) -> None:
        from nooble_codemod.verify import checkers
        from nooble_codemod.verify.tree import common_base

        self.outcome, self.tmp, self.checkers = outcome, tmp, checkers
        self.v = Verification()
        self.cwd = Path(outcome.request.cwd)
        roots = [(self.cwd / p).resolve() for p in outcome.request.paths]
        self.python = self._python()
        self.projects = self._typescript()  # tsconfig folder (original) -> tsc
        self.base = common_base(roots + list(self.projects))
        self.roots = roots + list(self.projects)

    # -- which checkers -----------------------------------------------------------
    def _python(self) -> bool:
        if not any(r.path.endswith(_PYTHON) for r in self.outcome.result.by_status(FileStatus.CHANGED)):
            return False
        try:
            self.v.checkers.append(self.checkers.python_version())
            return True
        except self.checkers.Unavailable as exc:
            self.v.notes.append(str(exc))
            return False

    def _typescript(self) -> dict[Path, Path]:
        projects: dict[Path, Path] = {}
        missing: set[str] = set()
        for r in self.outcome.result.by_status(FileStatus.CHANGED):
            if not r.path.endswith(_TYPESCRIPT):
                continue
            folder = (self.cwd / r.path).resolve().parent
            config = self.checkers.find_upward(folder, "tsconfig.json")
            tsc = self.checkers.find_upward(folder, "node_modules/.bin/tsc")
            if config is None or tsc is None:
                what = "tsconfig.json" if config is None else "node_modules/.bin/tsc"
                missing.add(f"no {what} above {Path(r.path).parent.as_posix()}: its TypeScript not type-checked")
            else:
                projects.setdefault(config.parent, tsc)
        self.v.notes.extend(sorted(missing))
        versions = sorted({self.checkers.tsc_version(t) for t in projects.values()})
        self.v.checkers.extend(versions)
        return projects

    # -- the copy -----------------------------------------------------------------
    def copy_of(self, report_path: str) -> Path:
        return self.tmp / (self.cwd / report_path).resolve().relative_to(self.base)

    def report_path(self, copy_path: str) -> str:
        return self.outcome.request.relative(str(self.base / copy_path))

    def _write(self, files) -> None:
        for r in files:
            target = self.copy_of(r.path)
            if r.status is FileStatus.CHANGED:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(r.new)
            elif (self.cwd / r.path).is_file():
                shutil.copy2(self.cwd / r.path, target)  # back to what it was
            elif target.exists():
                target.unlink()  # a scaffold no longer created

    def _check(self) -> list[Diagnostic]:
        """Every checker's errors; they run side by side (each is a process of its own)."""
        from concurrent.futures import ThreadPoolExecutor

        jobs = []
        if self.python:
            files = sorted(str(self.copy_of(r.path).relative_to(self.tmp)) for r in self.outcome.result.files
                           if r.path.endswith(_PYTHON) and r.status is not FileStatus.SKIPPED)
            jobs.append((self.checkers.run_python, (self.tmp, files)))
        for config, tsc in sorted(self.projects.items()):
            jobs.append((self.checkers.run_tsc, (tsc, self.tmp / config.relative_to(self.base), self.tmp)))
        out: list[Diagnostic] = []
        with ThreadPoolExecutor(max_workers=max(1, len(jobs))) as pool:
            for job in [pool.submit(fn, *args) for fn, args in jobs]:
                try:
                    out += job.result()
                except self.checkers.Unavailable as exc:
                    if str(exc) not in self.v.notes:
                        self.v.notes.append(str(exc))
        return sorted(set(out))

    # -- the rounds ---------------------------------------------------------------
    def run(self) -> Outcome:
        from nooble_codemod.verify.compare import groups_for, new_diagnostics
        from nooble_codemod.verify.tree import copy_tree

        if not self.python and not self.projects:
            self.outcome.result.verification = self.v
            return self.outcome
        copy_tree(self.base, self.roots, self.tmp)
        before = self._check()
        self._write(self.outcome.result.by_status(FileStatus.CHANGED))
        outcome, dropped, expected = self.outcome, {}, []
        while True:
            self.v.rounds += 1
            sites, maps = self._sites(outcome)
            fresh, expected = self._split(new_diagnostics(before, self._check(), maps), outcome)
            if not fresh:
                break
            more: dict[str, str] = {}
            for d in fresh:
                for g, site in groups_for(d, sites, maps, self._line(d)):
                    if g not in dropped and g not in more:
                        more[g] = self._reason(d, site, g)
            last = self.v.rounds >= ROUNDS or not more
            if last:
                # Rounds spent, or errors no edit explains: every group of their files goes.
                more.update({g: self._reason(d, sites[d.file], g) for d in fresh if d.file in sites
                             for g in sites[d.file].lines if g not in dropped and g not in more})
                if any(d.file in sites for d in fresh):
                    self.v.notes.append(f"new errors remained after {self.v.rounds} round(s): every edit of "
                                        f"{', '.join(sorted({self.report_path(d.file) for d in fresh if d.file in sites}))} "
                                        "dropped")
                self.v.notes.extend(f"{d.checker} reports a new error no edit explains: "
                                    f"{self.report_path(d.file)}:{d.line}:{d.col}: {d.code} {d.message}"
                                    for d in fresh if d.file not in sites)
            if more:
                dropped.update(more)
                previous = outcome.result.files
                outcome = rerun(outcome, dropped)
                self._write(r for r, old in zip(outcome.result.files, previous) if r is not old)
            if last:
                break
        self.v.dropped = len(dropped)
        self.v.reasons = sorted(dropped.values())
        self._agree(expected)
        outcome.result.verification = self.v
        return outcome

    def _sites(self, outcome: Outcome) -> tuple[dict[str, Site], dict[str, LineMap]]:
        """Each changed file's groups and line map, by its path in the copy."""
        from nooble_codemod.verify.compare import LineMap, Site

        sites, maps = {}, {}
        for r in outcome.result.by_status(FileStatus.CHANGED):
            name = self.copy_of(r.path).relative_to(self.tmp).as_posix()
            sites[name] = Site.of(r, name)
            maps[name] = LineMap(r.original_text or "", r.new_text or "")
        return sites, maps

    def _split(self, fresh: list[Diagnostic], outcome: Outcome) -> tuple[list[Diagnostic], list[tuple]]:
        """The new errors to act on, and those at a site the report already
        gives a human (with that site's checklist id): expected. Not a
        fallback rule's leftover word: a broken edit is what leaves it."""
        rules = outcome.pipeline.rules
        fallback = {r.id for language in ("python", "typescript") for r in rules[language] if r.fallback}
        manual = defaultdict(list)
        for r in outcome.result.files:
            for f in r.findings:
                if f.fix is None and f.rule not in fallback:
                    manual[self.copy_of(r.path).relative_to(self.tmp).as_posix()].append(f)
        act, expected = [], []
        for d in fresh:
            at = next((f for f in manual.get(d.file, ()) if f.line <= d.line <= f.end_line), None)
            if at is None:
                act.append(d)
            else:
                expected.append((at.checklist, d))
        return act, expected

    def _line(self, d: Diagnostic) -> str:
        try:
            lines = (self.tmp / d.file).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        return lines[d.line - 1] if 0 < d.line <= len(lines) else ""

    def _reason(self, d: Diagnostic, site: Site, group: str) -> str:
        f = site.first[group]
        return (f"{d.checker} reports {d.code} at {self.report_path(d.file)}:{d.line}:{d.col} after this edit "
                f"({f.path}:{f.line}:{f.column}): {d.message}")

    def _agree(self, expected: list[tuple]) -> None:
        sites: dict[tuple[str, str], set] = defaultdict(set)
        for checklist, d in expected:
            sites[(checklist, d.checker)].add((d.file, d.line))
        for (checklist, checker), at in sorted(sites.items()):
            self.v.agree.setdefault(checklist, []).append(f"{checker} agrees: {len(at)} site{'s' * (len(at) != 1)}")
