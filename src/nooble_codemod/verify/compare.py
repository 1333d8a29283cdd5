"""Which diagnostics the edits brought, and which edit group each comes from."""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field

from nooble_codemod.model import FileResult, Finding, group_of
from nooble_codemod.verify.checkers import Diagnostic

_QUOTED = re.compile(r"""["'`“‘]([A-Za-z_$][\w$]*)["'`”’]""")
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")


class LineMap:
    """From a line of the new text to the lines of the original it replaces."""

    def __init__(self, original: str, new: str) -> None:
        self.blocks = difflib.SequenceMatcher(None, original.splitlines(), new.splitlines(),
                                              autojunk=False).get_opcodes()

    def back(self, line: int) -> tuple[int, int, bool]:
        """(first, last) original lines (1-based) for new `line`, and whether it is unchanged."""
        j = line - 1
        for tag, i1, i2, j1, j2 in self.blocks:
            if j1 <= j < j2 or (tag == "delete" and j == j1):
                if tag == "equal":
                    return i1 + (j - j1) + 1, i1 + (j - j1) + 1, True
                return i1 + 1, max(i1 + 1, i2), False
        return line, line, False




def new_diagnostics(before: list[Diagnostic], after: list[Diagnostic],
                    maps: dict[str, LineMap]) -> list[Diagnostic]:
    """The diagnostics of `after` that `before` lacks, lines mapped back
    through each changed file's edits. An error on a changed line that was
    there before with the same code is the same error (its message may name
    the new spelling)."""
    exact = Counter((d.file, d.line, d.code, d.message) for d in before)
    loose = Counter((d.file, d.line, d.code) for d in before)
    out = []
    for d in after:
        m = maps.get(d.file)
        first, last, same = m.back(d.line) if m is not None else (d.line, d.line, True)
        hit = None
        for line in range(first, last + 1):
            if exact[(d.file, line, d.code, d.message)]:
                hit = (d.file, line, d.code, d.message)
                break
        if hit is not None:
            exact[hit] -= 1
            loose[hit[:3]] -= 1
            continue
        if not same:
            near = next(((d.file, line, d.code) for line in range(first, last + 1) if loose[(d.file, line, d.code)]),
                        None)
            if near is not None:
                loose[near] -= 1
                continue
        out.append(d)
    return out


@dataclass
class Site:
    """What one changed file tells about the groups that edited it."""

    path: str  # report path
    copy: str  # path in the copy
    result: FileResult
    lines: dict[str, set[int]] = field(default_factory=dict)  # group -> original lines it edits
    words: dict[str, set[str]] = field(default_factory=dict)  # group -> identifiers it replaced or wrote
    first: dict[str, Finding] = field(default_factory=dict)  # group -> its first finding here
    context: dict[str, set[str]] = field(default_factory=dict)  # group -> identifiers of its sites' lines

    @classmethod
    def of(cls, result: FileResult, copy: str) -> "Site":
        site = cls(result.path, copy, result)
        raw = result.original or b""
        starts = [0] + [i + 1 for i, b in enumerate(raw) if b == 10]
        for f in result.fixed:
            g = group_of(f)
            site.first.setdefault(g, f)
            lines = site.lines.setdefault(g, set())
            lines.update(range(f.line, f.end_line + 1))
            words = site.words.setdefault(g, set())
            site.context.setdefault(g, set()).update(_IDENTIFIER.findall(f.context))
            for e in f.fix.edits if f.fix else ():
                lines.add(bisect.bisect_right(starts, e.start))
                for text in (raw[e.start:e.end].decode("utf-8", "replace"), e.text):
                    if _IDENTIFIER.fullmatch(text.strip().strip("'\"`")):
                        words.add(text.strip().strip("'\"`"))
        return site


def named(message: str) -> set[str]:
    return set(_QUOTED.findall(message))


def groups_for(d: Diagnostic, sites: dict[str, Site], maps: dict[str, LineMap],
               line_text: str = "") -> list[tuple[str, Site]]:
    """The groups a new diagnostic comes from: those that edited its line,
    else those that replaced or wrote a name the message names (in its file
    first; of several, those whose sites share most names with the error's
    line, `line_text`: the callee of a broken call), else every group that
    edited its file."""
    site = sites.get(d.file)
    if site is not None:
        m = maps.get(d.file)
        first, last, _ = m.back(d.line) if m is not None else (d.line, d.line, True)
        hit = [(g, site) for g, lines in sorted(site.lines.items()) if any(first <= n <= last for n in lines)]
        if hit:
            return hit
    names = named(d.message)
    if names:
        ordered = ([site] if site is not None else []) + [s for k, s in sorted(sites.items()) if k != d.file]
        for s in ordered:
            hit = [(g, s) for g, words in sorted(s.words.items()) if words & names]
            if len(hit) > 1 and line_text:
                near = set(_IDENTIFIER.findall(line_text))
                best = max(len(s.context[g] & near) for g, s in hit)
                hit = [(g, s) for g, s in hit if len(s.context[g] & near) == best]
            if hit:
                return hit
    if site is not None:
        return [(g, site) for g in sorted(site.lines)]
    return []
