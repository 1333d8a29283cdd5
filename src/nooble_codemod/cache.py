"""The result cache: a file whose (mtime, size) has not changed since the last
run with the same tool version, spec and settings is not read again.

Stored in `.nooble-codemod-cache/` of the working folder (it ignores itself
for git, like ruff's and pytest's caches). A file's entry holds what `check`
found in it; `apply` reuses an entry only when it holds no fix to apply, so a
cache can never stand in for a rewrite. JSON, not pickle: a cache inside a
repository is data anyone could have written.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from nooble_codemod import __version__
from nooble_codemod.model import Edit, FileResult, FileStatus, Finding, Fix, Safety, Severity

FOLDER = ".nooble-codemod-cache"
FORMAT = 1


def _finding_to(f: Finding) -> list:
    fix = None if f.fix is None else [f.fix.safety.value, [[e.start, e.end, e.text] for e in f.fix.edits]]
    return [f.rule, f.checklist, f.path, f.line, f.column, f.end_line, f.end_column, f.severity.value, f.message,
            f.start, f.end, fix, f.context]


def _finding_from(row: list) -> Finding:
    (rule, checklist, path, line, column, end_line, end_column, severity, message, start, end, fix, context) = row
    return Finding(rule, checklist, path, line, column, end_line, end_column, Severity(severity), message, start, end,
                   None if fix is None else Fix(tuple(Edit(*e) for e in fix[1]), Safety(fix[0])), context)


class ResultCache:
    def __init__(self, root: Path, spec_digest: str, settings) -> None:
        material = json.dumps([FORMAT, __version__, spec_digest, settings.backend_strategy, settings.select,
                               settings.ignore, settings.unsafe_fixes, settings.severity], default=list)
        self.folder = root / FOLDER
        self.path = self.folder / f"{hashlib.sha256(material.encode()).hexdigest()[:20]}.json"
        self.entries: dict[str, list] = {}
        self.dirty = False
        try:
            self.entries = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    @staticmethod
    def stamp(abs_path: str) -> list | None:
        try:
            st = os.stat(abs_path)
        except OSError:
            return None
        return [st.st_mtime_ns, st.st_size]

    def get(self, rel: str, stamp: list | None, fix: bool, unsafe: bool) -> FileResult | None:
        entry = self.entries.get(rel)
        if entry is None or stamp is None or entry[0] != stamp:
            return None
        status, reason, rows = entry[1], entry[2], entry[3]
        findings = [_finding_from(r) for r in rows]
        if fix and any(f.fix and (f.fix.safety is Safety.SAFE or unsafe) for f in findings):
            return None  # there is work to do: the file must be read and fixed
        return FileResult(rel, FileStatus(status), reason, findings=findings)

    def put(self, rel: str, stamp: list | None, result: FileResult) -> None:
        if stamp is None or result.status is FileStatus.CHANGED:
            return  # a changed file gets a new mtime when written: its entry would never be used
        self.entries[rel] = [stamp, result.status.value, result.reason, [_finding_to(f) for f in result.findings]]
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by nooble-codemod: the whole folder is a cache.\n*\n")
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self.entries, fh, separators=(",", ":"))
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only checkout still runs, just without a cache
