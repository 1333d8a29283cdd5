"""The vocabulary every part of the tool shares: edits, fixes, findings, file
results, and what a run gives back (RunMode, RunResult, Output)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple, Protocol


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
    # The edit group this fix belongs to: a rename of one symbol (its
    # declaration and every use, across files) is applied whole or not at
    # all. "" means the fix is a group of its own.
    group: str = ""

    @property
    def span(self) -> tuple[int, int]:
        return min(e.start for e in self.edits), max(e.end for e in self.edits)


# What the reports say after the message of an acknowledged finding.
ACKNOWLEDGED = " (acknowledged: a to-do comment marks it)"


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
    # The edit group the site belongs to ("" for none), so a human fixes the
    # sites of one symbol as one decision.
    group: str = ""
    # A to-do comment of its checklist id stands above it (engine/todos.py):
    # a human has it on their list. Still a finding.
    acknowledged: bool = False

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
            **({"group": self.group} if self.group else {}),
            **({"acknowledged": True} if self.acknowledged else {}),
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
    # The project model's decisions the result was made with ("" for none):
    # a cached result stands only while they are the same.
    project_key: str = ""
    # The checklist evidence words the file holds, a bit each (engine/evidence.py).
    evidence: int = 0
    # To-do comments `apply --todo-comments` put into it (engine/todos.py).
    todos: int = 0

    @property
    def edit_count(self) -> int:
        return sum(len(f.fix.edits) for f in self.fixed if f.fix)

    @property
    def plain(self) -> bool:
        """Nothing to say but that the file is unchanged: FileResult(path, UNCHANGED)."""
        return (self.status is FileStatus.UNCHANGED and not self.reason and not self.findings and not self.fixed
                and self.original is None and self.new is None and self.original_text is None
                and self.new_text is None and not self.created and not self.transient and not self.project_key)


def group_of(f: Finding) -> str:
    """The edit group a finding's fix belongs to. An ungrouped fix is a group
    of its own, named by what recognises it from one fix round to the next
    (its offsets move; see pipeline._fix_key), so a drop holds in every round."""
    if f.fix is not None and f.fix.group:
        return f.fix.group
    if f.group:
        return f.group
    import hashlib

    digest = hashlib.sha1("\0".join((f.checklist, f.message, f.context)).encode()).hexdigest()[:12]
    return f"{f.path}:{f.rule}:{digest}"


# Why a group the person reviewing the edits declined is not applied (apply
# --interactive); the reports tell its sites from the other manual ones by it.
SKIPPED_BY_USER = "skipped by the user"


def skipped_by_user(f: Finding) -> bool:
    """A site left as it was because the user skipped its edit group."""
    return f.fix is None and f.message.endswith(f": {SKIPPED_BY_USER}")


def not_done(fix: bool) -> str:
    """How a file's error message ends: what the command did not do to it."""
    return "file not migrated" if fix else "file not checked"


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


# -- a run ---------------------------------------------------------------------------
class RunMode(str, Enum):
    """What a run does with the fixes it finds: report them (CHECK), show
    them (DRY_RUN) or write them (APPLY). Its str() is its value, which the
    reports print."""

    CHECK = "check"
    DRY_RUN = "dry-run"
    APPLY = "apply"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @property
    def fixes(self) -> bool:
        """Whether files are fixed (in memory, and on disk for APPLY)."""
        return self is not RunMode.CHECK


class Output(NamedTuple):
    """What a command printed: its standard output, the lines it wrote to
    standard error, and its exit code."""

    stdout: str
    stderr: tuple[str, ...] = ()
    code: int = 0


class OutputMemo(Protocol):
    """Where a run's output is kept, to be printed again by a later run whose
    every input is unchanged (engine/replay.py)."""

    def save(self, output: Output) -> None: ...


@dataclass
class Verification:
    """What the type checkers said of the changes (engine/stages/verification.py)."""

    checkers: list[str] = field(default_factory=list)  # the checkers that ran, with their versions
    notes: list[str] = field(default_factory=list)  # what could not be checked, and why
    # checklist id -> "basedpyright agrees: 3 sites": new diagnostics where a human is already asked to look.
    agree: dict[str, list[str]] = field(default_factory=dict)
    dropped: int = 0  # edit groups dropped because they broke a checker
    reasons: list[str] = field(default_factory=list)  # the checker's message for each, sorted (not in JSON)
    rounds: int = 0

    def to_json(self) -> dict:
        return {"checkers": self.checkers, "notes": self.notes, "agree": self.agree,
                "dropped": self.dropped, "rounds": self.rounds}


@dataclass
class RunResult:
    mode: RunMode
    files: list[FileResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # run-level problems (bad paths, refusals)
    refused_dirty: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    # What the reports need of the selected rules, when the result cache or
    # a worker knows it (then this process need not import the rules).
    rules: tuple[RuleInfo, ...] | None = None
    # The last run's output, when none of its inputs has changed: nothing
    # else was done.
    replayed: Output | None = None
    # Where the output of this run is to be kept for such a replay, when it may be.
    output_memo: OutputMemo | None = None
    # What `apply --verify` found (None: not asked).
    verification: Verification | None = None
    # Checklist items the run found nothing of -> where their evidence stands
    # (kind, path, line: engine/evidence.py).
    evidence: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    # apply --todo-comments: the sites no to-do comment could be put above,
    # and why (None: not asked).
    todos_left_out: list[str] | None = None

    @property
    def findings(self) -> list[Finding]:
        return sorted((f for r in self.files for f in r.findings), key=Finding.sort_key)

    @property
    def fixed(self) -> list[Finding]:
        return sorted((f for r in self.files for f in r.fixed), key=Finding.sort_key)

    def by_status(self, status: FileStatus) -> list[FileResult]:
        return [r for r in self.files if r.status is status]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.by_status(FileStatus.FAILED))
