"""To-do comments: the sites that need a human, listed in the code.

`apply --todo-comments` puts a comment line in the file's own syntax above
each site left without a fix, naming its checklist id and the item's advice
in a line (`# TODO(V6 BE-3): …`; the word and the version come from the
spec). A comment goes above the site's line when a comment there leaves the
program as it was (the parser reads the same code but for comments: not
inside a multi-line string, a template or JSX text), else above the
statement holding the site, else nowhere, which the report says. Every
analysis reads them back (`review`): a finding with its marker above it is
acknowledged (still a finding), a marker with no finding of its id below it
is reported (`todo-marker`), and what a marker's own advice says is not a
finding.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from nooble_codemod.fs.source import SourceText
from nooble_codemod.model import Finding, Severity
from nooble_codemod.spec.loader import Spec

RULE = "todo-marker"
DOC = ("(engine; warning) — a to-do comment `apply --todo-comments` put above a site that needed a human "
       "(`# TODO(<version> <checklist id>): <advice>`) with no finding of its checklist id left below it, on "
       "its line or in the statement starting there: the site was migrated, so the comment is out of date. "
       "Remove it. A finding that has its comment above it is reported as acknowledged (still a finding).")
COMMENT = {"python": "#", "typescript": "//", "sql": "--"}
WIDTH = 120  # a marker line's length, at most (its advice is cut to fit)
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # lines as SourceText counts them


class Markers:
    """The to-do comments of one spec."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.tag = f"{spec.todo}({spec.after} "
        self.mark = self.tag.encode()
        self._line = re.compile(r"[ \t]*(#|//|--)[ \t]*" + re.escape(self.tag) + r"([^)\s]+)\)")

    def comment(self, language: str, checklist: str, indent: str) -> str:
        head = f"{indent}{COMMENT[language]} {self.tag}{checklist}): "
        item = self.spec.checklist.get(checklist)
        return head + one_line(item.advice if item else "", max(40, WIDTH - len(head.expandtabs())))

    def of(self, language: str, source: SourceText) -> dict[int, str]:
        """Line -> checklist id of each marker line (a line holding only one)."""
        prefix = COMMENT.get(language)
        if prefix is None or self.mark not in source.data:
            return {}
        out = {}
        for i, line in enumerate(source.data.splitlines(), start=1):
            if self.mark in line:
                m = self._line.match(line.decode("utf-8", "replace"))
                if m and m.group(1) == prefix:
                    out[i] = m.group(2)
        return out

    # -- reading them back (every analysis) ---------------------------------------------
    def review(self, path: str, language: str, source: SourceText, findings: list[Finding],
               report: Callable[[Finding], Finding | None]) -> list[Finding]:
        """`findings` read against the file's markers. `report`: what becomes
        of a stale marker's finding (None: not selected)."""
        marks = self.of(language, source)
        if not marks:
            return findings
        # A marker's advice names old names: its words are not the code's.
        kept = [f for f in findings if f.line not in marks]
        used: set[int] = set()
        pending = []
        for i, f in enumerate(kept):
            at = _hit(marks, f.line, f.checklist)
            if at:
                used.add(at)
                kept[i] = replace(f, acknowledged=True)
            elif f.checklist in marks.values():
                pending.append(i)
        if pending:  # a marker above the statement holding the site (where a line above it took none)
            from nooble_codemod.languages.shape import statement_starts

            starts = statement_starts(language, source.text, path, {kept[i].line for i in pending})
            for i in pending:
                f = kept[i]
                at = _hit(marks, starts.get(f.line, f.line), f.checklist)
                if at:
                    used.add(at)
                    kept[i] = replace(f, acknowledged=True)
        for line, checklist in sorted(marks.items()):
            if line in used:
                continue
            text = source.line_text(line)
            column = text.index(self.tag)
            start = source.offset(line, column)
            end = source.offset(line, len(text))
            stale = report(Finding(
                rule=RULE, checklist=checklist, path=path, line=line, column=column + 1, end_line=line,
                end_column=len(text) + 1, severity=Severity.WARNING, start=start, end=end,
                context=text.strip(), message=f"{self.tag}{checklist}) marker left after its site was migrated: "
                                              "remove it"))
            if stale is not None:
                kept.append(stale)
        return kept

    # -- putting them in (apply --todo-comments) ----------------------------------------
    def insert(self, path: str, language: str, source: SourceText,
               findings: list[Finding]) -> tuple[str, list[tuple[int, int]], set, list[Finding]] | None:
        """The text with a marker above each site of `findings` that needs a
        human and has none: (new text, [(line, markers put above it)], the
        (line, checklist id) of the sites marked, the findings left without
        one); None when there is nothing to mark."""
        if language not in COMMENT:
            return None
        order = {cid: i for i, cid in enumerate(self.spec.checklist)}
        wanted: dict[tuple[int, str], Finding] = {}
        for f in findings:
            if f.fix is None and not f.acknowledged and f.checklist in order and f.rule != RULE:
                wanted.setdefault((f.line, f.checklist), f)
        if not wanted:
            return None
        from nooble_codemod.languages.shape import shape, statement_starts

        text, nl = source.text, source.newline
        lines = _LINES.findall(text)
        base = shape(language, text, path)
        if base is None:
            return text, [], set(), list(wanted.values())
        fits: dict[int, bool] = {}

        def fit(line: int) -> bool:
            """Whether a comment above `line` leaves the program as it was."""
            if line not in fits:
                chunk = lines[line - 1]
                trial = self.comment(language, "", _indent(chunk)) + nl
                fits[line] = shape(language, "".join(lines[:line - 1]) + trial + "".join(lines[line - 1:]),
                                   path) == base
            return fits[line]

        misfits = {line for line, _ in wanted if not fit(line)}
        starts = statement_starts(language, text, path, misfits) if misfits else {}
        marks = self.of(language, source)
        placed: dict[int, list[str]] = {}
        done, left = set(), []
        for (line, checklist), f in sorted(wanted.items()):
            for target in dict.fromkeys((line, starts.get(line, line))):
                if checklist in placed.get(target, ()) or _hit(marks, target, checklist):
                    done.add((line, checklist))
                    break
                if fit(target):
                    placed.setdefault(target, []).append(checklist)
                    done.add((line, checklist))
                    break
            else:
                left.append(f)
        out, inserted = [], []
        for i, chunk in enumerate(lines, start=1):
            ids = sorted(placed.get(i, ()), key=order.__getitem__)
            if ids:
                out.extend(self.comment(language, cid, _indent(chunk)) + nl for cid in ids)
                inserted.append((i, len(ids)))
            out.append(chunk)
        new = "".join(out)
        if inserted and shape(language, new, path) != base:  # each fits alone; never expected together
            return text, [], set(), list(wanted.values())
        return new, inserted, done, left


def moved(findings: list[Finding], source: SourceText, new: SourceText, inserted: list[tuple[int, int]],
          marked: set) -> list[Finding]:
    """The findings of `source` where they stand in `new`, which is it with
    `inserted` lines put in ((line, how many) above it); those of `marked`
    sites acknowledged."""
    if not inserted:
        return findings
    from nooble_codemod.engine.references import inserted_map

    line_of = inserted_map(inserted)

    def offset_of(offset: int) -> int:
        line, column = source.position(offset)
        return new.offset(line_of(line), column - 1)

    return [replace(f, line=line_of(f.line), end_line=line_of(f.end_line), start=offset_of(f.start),
                    end=offset_of(f.end), acknowledged=f.acknowledged or (f.line, f.checklist) in marked)
            for f in findings]


def one_line(advice: str, width: int) -> str:
    """The advice on one line of at most `width` characters: whole, or its
    first sentence, or cut at a word."""
    text = " ".join(advice.split())
    if len(text) <= width:
        return text
    end = text.find(". ")
    if 0 < end < width:
        return text[:end + 1]
    cut = text.rfind(" ", 0, width - 2)
    return text[:cut if cut > 0 else width - 3].rstrip(" ,;:(") + "..."


def _hit(marks: dict[int, str], line: int, checklist: str) -> int:
    """The marker line of `checklist` among those right above `line`, or 0."""
    above = line - 1
    while above in marks:
        if marks[above] == checklist:
            return above
        above -= 1
    return 0


def _indent(line: str) -> str:
    return line[:len(line) - len(line.lstrip(" \t"))]
