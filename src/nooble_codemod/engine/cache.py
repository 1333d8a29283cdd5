"""The result cache: a file whose (mtime, size) has not changed since the last
run with the same tool version, spec and settings is not read again.

Stored in `.nooble-codemod-cache/` of the working folder (it ignores itself
for git, like ruff's and pytest's caches). A file's entry holds what `check`
found in it; `apply` reuses an entry only when it holds no fix to apply, so a
cache can never stand in for a rewrite. JSON, not pickle: a cache inside a
repository is data anyone could have written.

Layout (format 6): {"format": 6, "rules": [[rule id, [checklist ids]], …],
"files": {path: entry}, "facts": {path: the project model's facts},
"evidence": {path: [mtime_ns, size, the checklist evidence words it holds,
a bit each]}, "screens": {path: [mtime_ns, size, {screen: what a stage's
byte screen said}]}}. An entry is [mtime_ns, size] for a file found clean
and unchanged (most files: the short form keeps a warm run's load small), or
[mtime_ns, size, status, reason, [finding rows]]. "rules" is what the
reports need to know of the selected rules, so a warm run that reads no file
does not import them (and LibCST with them). Anything that does not have
this shape — another format, a hand-edited or truncated file, a bad entry —
counts as no entry: the file is read again, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from nooble_codemod import __version__
from nooble_codemod.model import Edit, FileResult, FileStatus, Finding, Fix, Safety, Severity, not_done
from nooble_codemod.model import RuleInfo

FOLDER = ".nooble-codemod-cache"
FORMAT = 10

_STATUS = {s.value: s for s in FileStatus}
_SEVERITY = {s.value: s for s in Severity}
_SAFETY = {s.value: s for s in Safety}


def _finding_to(f: Finding) -> list:
    fix = None if f.fix is None else [f.fix.safety.value, [[e.start, e.end, e.text] for e in f.fix.edits],
                                      f.fix.group]
    return [f.rule, f.checklist, f.path, f.line, f.column, f.end_line, f.end_column, f.severity.value, f.message,
            f.start, f.end, fix, f.context, f.group, f.acknowledged]


def _frozen(cls, **values):
    """An instance of the frozen dataclass `cls` with these fields, filled
    directly: its __init__ sets each field through object.__setattr__, and a
    warm run rebuilds thousands of findings and edits (same object either way)."""
    obj = object.__new__(cls)
    obj.__dict__.update(values)
    return obj


def _finding_from(row: list) -> Finding:
    """A Finding from its row; ValueError (or TypeError, KeyError) when the
    row is not one, and the caller drops the entry."""
    (rule, checklist, path, line, column, end_line, end_column, severity, message, start, end, fix, context,
     group, acknowledged) = row
    if not (type(line) is int and type(column) is int and type(end_line) is int and type(end_column) is int
            and type(start) is int and type(end) is int and type(rule) is str and type(checklist) is str
            and type(path) is str and type(message) is str and type(context) is str and type(group) is str
            and type(acknowledged) is bool):
        raise ValueError("not a finding row")
    if fix is not None:
        edits = []
        for e_start, e_end, text in fix[1]:
            if type(e_start) is not int or type(e_end) is not int or type(text) is not str:
                raise ValueError("not an edit")
            edits.append(_frozen(Edit, start=e_start, end=e_end, text=text))
        if type(fix[2]) is not str:
            raise ValueError("not a group")
        fix = _frozen(Fix, edits=tuple(edits), safety=_SAFETY[fix[0]], group=fix[2])
    return _frozen(Finding, rule=rule, checklist=checklist, path=path, line=line, column=column, end_line=end_line,
                   end_column=end_column, severity=_SEVERITY[severity], message=message, start=start, end=end,
                   fix=fix, context=context, group=group, acknowledged=acknowledged)


class ResultCache:
    def __init__(self, root: Path | str, spec_digest: str, settings) -> None:
        material = json.dumps([FORMAT, __version__, spec_digest, settings.backend_strategy, settings.select,
                               settings.ignore, settings.unsafe_fixes, settings.severity, settings.max_file_size],
                              default=list)
        self.folder = os.path.join(root, FOLDER)
        self.path = os.path.join(self.folder, f"{hashlib.sha256(material.encode()).hexdigest()[:20]}.json")
        self._entries: dict[str, list] | None = None
        self._facts: dict[str, list] = {}
        self._evidence: dict[str, list] = {}  # path -> [mtime_ns, size, FileResult.evidence]
        # path -> [mtime_ns, size, {screen: bool}]: what a byte screen of a stage said of the file
        self._screens: dict[str, list] = {}
        self._rules: tuple[RuleInfo, ...] | None = None
        self.dirty = False

    def exists(self) -> bool:
        """Whether an earlier run left entries, without reading them."""
        return os.path.exists(self.path)

    @property
    def entries(self) -> dict[str, list]:
        # Read on first use: a run whose output is replayed (replay.py)
        # never needs them.
        if self._entries is None:
            self._load()
        return self._entries

    @property
    def rules(self) -> tuple[RuleInfo, ...] | None:
        """What the reports need of the selected rules, when a run recorded it."""
        if self._entries is None:
            self._load()
        return self._rules

    @rules.setter
    def rules(self, value: tuple[RuleInfo, ...] | None) -> None:
        if self._entries is None:
            self._load()
        self._rules = value

    def _load(self) -> None:
        self._entries = {}
        try:
            with open(self.path, encoding="utf-8") as fh:
                doc = json.load(fh)
        except (OSError, ValueError):
            return
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("files"), dict):
            return  # another format (an older version's, say): start afresh
        self._entries = doc["files"]
        self._rules = RuleInfo.from_json(doc.get("rules"))
        facts = doc.get("facts")
        self._facts = facts if isinstance(facts, dict) else {}
        evidence = doc.get("evidence")
        self._evidence = evidence if isinstance(evidence, dict) else {}
        screens = doc.get("screens")
        self._screens = screens if isinstance(screens, dict) else {}

    def get(self, rel: str, stamp: list | None, fix: bool, unsafe: bool) -> FileResult | None:
        entry = self.entries.get(rel)
        if entry is None or stamp is None:
            return None
        if entry == stamp:  # [mtime_ns, size]: a clean file, unchanged (the usual answer)
            return FileResult(rel, FileStatus.UNCHANGED, evidence=self._evidence_of(rel, stamp))
        try:
            if len(entry) not in (5, 6) or entry[0] != stamp[0] or entry[1] != stamp[1]:
                return None  # changed since (or a short entry of another file's stamp)
            status, reason, rows = _STATUS[entry[2]], entry[3], entry[4]
            if status is FileStatus.CHANGED or not isinstance(reason, str):
                raise ValueError("not a cached status")
            findings = [_finding_from(r) for r in rows]
        except (IndexError, KeyError, TypeError, ValueError):
            del self.entries[rel]  # not an entry this version wrote: read the file again
            return None
        if fix and any(f.fix and (f.fix.safety is Safety.SAFE or unsafe) for f in findings):
            return None  # there is work to do: the file must be read and fixed
        if status is FileStatus.FAILED and reason.endswith(not_done(not fix)):
            # Kept by a run of the other kind: say what this one did not do ("file not migrated").
            reason = reason[:-len(not_done(not fix))] + not_done(fix)
        return FileResult(rel, status, reason, findings=findings, project_key=entry[5] if len(entry) == 6 else "",
                          evidence=self._evidence_of(rel, stamp))

    def _evidence_of(self, rel: str, stamp: list) -> int:
        kept = self._evidence.get(rel)
        if type(kept) is not list or len(kept) != 3 or kept[:2] != stamp[:2] or type(kept[2]) is not int:
            return 0
        return kept[2]

    def put(self, rel: str, stamp: list | None, result: FileResult) -> None:
        if stamp is None or result.status is FileStatus.CHANGED or result.transient:
            return  # a changed file gets a new mtime when written (its entry would never be used); a transient failure is tried again
        self.entries  # noqa: B018  (loaded first: loading replaces the evidence too)
        if result.evidence:
            self._evidence[rel] = [stamp[0], stamp[1], result.evidence]
        else:
            self._evidence.pop(rel, None)
        if result.status is FileStatus.UNCHANGED and not result.reason and not result.findings \
                and not result.project_key:
            self.entries[rel] = [stamp[0], stamp[1]]
        else:
            self.entries[rel] = [stamp[0], stamp[1], result.status.value, result.reason,
                                 [_finding_to(f) for f in result.findings]]
            if result.project_key:  # made with the project model's decisions: valid while they are
                self.entries[rel].append(result.project_key)
        self.dirty = True

    # -- what the project model read of a file (engine/stages/projectwide.py) ---------
    def facts(self, rel: str, stamp: list | None):
        """What was stored for the file at this stamp: ["none"] (no old name
        in it), ["unread", names] or ["facts", facts as JSON]; None if nothing."""
        if self._entries is None:
            self._load()
        entry = self._facts.get(rel)
        if stamp is None or not isinstance(entry, list) or len(entry) != 3 or entry[:2] != stamp[:2]:
            return None
        return entry[2]

    def put_facts(self, rel: str, stamp: list | None, value: list) -> None:
        if stamp is not None:
            if self._entries is None:
                self._load()
            self._facts[rel] = [stamp[0], stamp[1], value]
            self.dirty = True

    def screened(self, rel: str, stamp: list | None, screen: str) -> bool | None:
        """What the byte screen `screen` (a stage's: "routes", "holders") said
        of the file at this stamp; None if unknown."""
        if self._entries is None:
            self._load()
        entry = self._screens.get(rel)
        if stamp is None or type(entry) is not list or len(entry) != 3 or entry[:2] != stamp[:2] \
                or type(entry[2]) is not dict:
            return None
        value = entry[2].get(screen)
        return value if type(value) is bool else None

    def put_screened(self, rel: str, stamp: list | None, screen: str, value: bool) -> None:
        if stamp is not None:
            if self._entries is None:
                self._load()
            entry = self._screens.get(rel)
            if type(entry) is not list or len(entry) != 3 or entry[:2] != stamp[:2] or type(entry[2]) is not dict:
                entry = self._screens[rel] = [stamp[0], stamp[1], {}]
            entry[2][screen] = value
            self.dirty = True

    def remember_rules(self, info: tuple[RuleInfo, ...]) -> None:
        if info != self.rules:
            self.rules = info
            self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        doc = {"format": FORMAT, "rules": RuleInfo.to_json(self.rules) if self.rules is not None else None,
               "files": self.entries, "facts": self._facts, "evidence": self._evidence,
               "screens": self._screens}
        from nooble_codemod.jsontext import compact

        store(self.folder, self.path, compact(doc))


def store(folder: str, path: str, text: str) -> None:
    """Write a file of the cache folder whole (a temp file renamed into
    place), creating the folder with a .gitignore that ignores it all."""
    try:
        os.makedirs(folder, exist_ok=True)
        ignore = os.path.join(folder, ".gitignore")
        if not os.path.exists(ignore):
            with open(ignore, "w", encoding="utf-8") as fh:
                fh.write("# Created by nooble-codemod: the whole folder is a cache.\n*\n")
        import tempfile  # here: only a run that analysed something writes

        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only checkout still runs, just without a cache
