"""The vocabulary every part of the tool shares: edits, fixes, findings, file results."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Safety(str, Enum):
    """ruff-style fix safety: safe fixes are applied by `apply`; unsafe ones only
    with --unsafe-fixes, because their result needs a human to review it."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Edit:
    """Replace bytes [start, end) of the UTF-8 text with `text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    safety: Safety = Safety.SAFE

    @property
    def span(self) -> tuple[int, int]:
        return min(e.start for e in self.edits), max(e.end for e in self.edits)


@dataclass(frozen=True)
class Finding:
    """Something a rule found. Lines and columns are 1-based; columns count
    characters. `start`/`end` are UTF-8 byte offsets into the file's text (not
    serialised). A finding with a fix is something `apply` can do."""

    rule: str
    checklist: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    severity: Severity
    message: str
    start: int = 0
    end: int = 0
    fix: Fix | None = None
    # The finding's first line, stripped: what a baseline fingerprint is made
    # of, so a finding keeps its identity when lines above it move.
    context: str = ""

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.checklist, self.message)

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "checklist": self.checklist,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "severity": self.severity.value,
            "message": self.message,
            "fixable": self.fixable,
        }


class FileStatus(str, Enum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass
class FileResult:
    """What happened to one file. `fixed` are the findings whose fixes were
    applied (at their original location); `findings` are what is still there
    afterwards (for `check`: everything found)."""

    path: str
    status: FileStatus
    reason: str = ""
    findings: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    original: bytes | None = None
    new: bytes | None = None
    # Text decoded for diffs (None when not changed).
    original_text: str | None = None
    new_text: str | None = None
    # A file the run creates (a scaffold): there is nothing on disk to replace.
    created: bool = False
    # A failure the same bytes may not meet again (unreadable, over the time
    # limit): not remembered by the result cache.
    transient: bool = False

    @property
    def edit_count(self) -> int:
        return sum(len(f.fix.edits) for f in self.fixed if f.fix)

    @property
    def plain(self) -> bool:
        """Nothing to say but that the file is unchanged: FileResult(path, UNCHANGED)."""
        return (self.status is FileStatus.UNCHANGED and not self.reason and not self.findings and not self.fixed
                and self.original is None and self.new is None and self.original_text is None
                and self.new_text is None and not self.created and not self.transient)


# -- what the reports need of a rule ---------------------------------------------
# Importing the rules means importing LibCST and the TypeScript grammar. The
# JSON, Markdown and text reports only ask which checklist items the selected
# rules cover, so the result cache keeps that (keyed, like its entries, on the
# tool version and the settings that select rules) and a run that reads no
# file can report from it.
class RuleInfo(NamedTuple):
    id: str
    checklist: tuple[str, ...]

    @classmethod
    def of(cls, rule, spec) -> "RuleInfo":
        return cls(rule.id, rule.checklist_ids(spec))

    @staticmethod
    def to_json(rules: tuple["RuleInfo", ...]) -> list:
        return [[r.id, list(r.checklist)] for r in rules]

    @classmethod
    def from_json(cls, data) -> tuple["RuleInfo", ...] | None:
        """None unless `data` is a list of [id, [checklist ids]] as to_json writes."""
        if not isinstance(data, list):
            return None
        out = []
        for item in data:
            if (not isinstance(item, list) or len(item) != 2 or not isinstance(item[0], str)
                    or not isinstance(item[1], list) or not all(isinstance(c, str) for c in item[1])):
                return None
            out.append(cls(item[0], tuple(item[1])))
        return tuple(out)
