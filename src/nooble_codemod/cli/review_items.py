"""What `apply --interactive` shows (cli/review.py asks): the run's edits by
checklist item, in the spec's order, each file's diff cut into hunks, and the
edit groups behind each hunk. No printing, no input.

A hunk's groups are those with an edit on its lines of the original text, as
verify attributes errors (verify/compare.py, Site): an edit placed on top of
a file's own fixes may sit a few lines off, so a group on no hunk's lines goes
to the nearest one. What is written never depends on this: the engine drops
the declined groups and runs their files again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nooble_codemod.model import FileStatus, group_of
from nooble_codemod.output.diffs import file_diff

if TYPE_CHECKING:
    from nooble_codemod.model import FileResult, Finding, RunResult
    from nooble_codemod.spec.loader import Spec

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", re.MULTILINE)


@dataclass
class Hunk:
    path: str
    text: str  # from its @@ line
    first: int  # its lines of the original text, first to last (an insertion: the line it follows)
    last: int
    groups: set[str] = field(default_factory=set)


@dataclass
class FileDiff:
    path: str
    header: str  # diff --git, ---, +++ (and new file mode)
    hunks: list[Hunk]


@dataclass
class Item:
    id: str
    text: str
    advice: str
    groups: set[str] = field(default_factory=set)  # the groups with an edit of this item
    edits: dict[str, int] = field(default_factory=dict)  # path -> this item's edits there


@dataclass
class Plan:
    items: list[Item]
    files: dict[str, FileDiff]
    group_files: dict[str, set[str]]  # group -> the files it edits
    labels: dict[str, str]  # group -> how the screen names it
    home: dict[str, str]  # group -> the first item (in checklist order) it has an edit of

    @classmethod
    def of(cls, result: RunResult, spec: Spec) -> Plan:
        changed = sorted(result.by_status(FileStatus.CHANGED), key=lambda r: r.path)
        order = {cid: n for n, cid in enumerate(spec.checklist)}
        items: dict[str, Item] = {}
        group_files: dict[str, set[str]] = defaultdict(set)
        labels: dict[str, str] = {}
        for r in changed:
            for f in r.fixed:
                g = group_of(f)
                group_files[g].add(r.path)
                labels.setdefault(g, _label(f))
                it = items.get(f.checklist)
                if it is None:
                    entry = spec.checklist.get(f.checklist)
                    it = items[f.checklist] = Item(f.checklist, entry.text if entry else "",
                                                   entry.advice if entry else "")
                it.groups.add(g)
                it.edits[r.path] = it.edits.get(r.path, 0) + len(f.fix.edits if f.fix else ())
        ordered = sorted(items.values(), key=lambda it: (order.get(it.id, len(order)), it.id))
        home: dict[str, str] = {}
        for it in ordered:
            for g in sorted(it.groups):
                home.setdefault(g, it.id)
        return cls(ordered, {r.path: _cut(r) for r in changed}, dict(group_files), labels, home)

    def hunks(self, item: Item, path: str) -> list[Hunk]:
        """The hunks of `path` holding an edit of `item`."""
        return [h for h in self.files[path].hunks if h.groups & item.groups]

    def elsewhere(self, groups, path: str) -> list[str]:
        """The other files the groups edit."""
        return sorted({p for g in groups for p in self.group_files.get(g, ()) if p != path})


def _label(f: Finding) -> str:
    # A named group (a symbol's rename) says what it is; a fix of its own is its site.
    return f.fix.group if f.fix and f.fix.group else f"{f.path}:{f.line} ({f.rule})"


def _cut(r: FileResult) -> FileDiff:
    from nooble_codemod.verify.compare import Site

    diff = file_diff(r)
    starts = [m.start() for m in _HUNK.finditer(diff)]
    hunks = []
    for n, at in enumerate(starts):
        m = _HUNK.match(diff, at)
        first, size = int(m.group(1)), int(m.group(2) or 1)
        text = diff[at:starts[n + 1] if n + 1 < len(starts) else len(diff)]
        hunks.append(Hunk(r.path, text, first, first + max(size, 1) - 1))
    for g, lines in Site.of(r, r.path).lines.items():
        hit = [h for h in hunks if any(h.first <= n <= h.last for n in lines)]
        if not hit and hunks:
            hit = [min(hunks, key=lambda h: min(abs(n - h.first) + abs(n - h.last) for n in lines))]
        for h in hit:
            h.groups.add(g)
    return FileDiff(r.path, diff[:starts[0]] if starts else diff, hunks)
