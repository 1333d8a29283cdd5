"""The `path:line` sites a message lists, kept pointing at their lines.

The project model lists an edit group's sites in its messages ("see
backend/common/models.py:61") by the lines of the files as read. A finding
still there after `apply` stands where it is in the text as written, so the
sites it lists must be read there too: a fix that adds lines above a site
(a docstring note and a `model_config` under the alias strategy, a to-do
comment) would otherwise have them name other lines. A site given with a
column (`path:line:col`, a type checker's) is in the text as the checker
read it and is left alone; the to-do comments move every site below them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from difflib import SequenceMatcher
from typing import Callable, Mapping

from nooble_codemod.model import Finding

LineMap = Callable[[int], int]


def moved(findings: list[Finding], maps: Mapping[str, LineMap], with_column: bool = True) -> list[Finding]:
    """The findings with each `path:line` their messages name moved by the
    line map of its file (`maps`: report path -> map, 1-based lines).
    `with_column`: also the sites given as `path:line:col`."""
    if not maps:
        return findings
    names = "|".join(re.escape(p) for p in sorted(maps, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w./-])({names}):(\d+)" + ("" if with_column else r"(?![\d:])"))

    def line(m: re.Match) -> str:
        return f"{m.group(1)}:{maps[m.group(1)](int(m.group(2)))}"

    out = []
    for f in findings:
        message = pattern.sub(line, f.message)
        out.append(f if message == f.message else replace(f, message=message))
    return out


def inserted_map(inserted: list[tuple[int, int]]) -> LineMap:
    """Where a line of a text is after `inserted` lines were put in ((line, how many) above it)."""
    at = [line for line, _ in inserted]
    total, shifts = 0, []
    for _, n in inserted:
        total += n
        shifts.append(total)

    def line_of(line: int) -> int:
        i = bisect.bisect_right(at, line)
        return line + (shifts[i - 1] if i else 0)

    return line_of


def edited_map(old: str, new: str) -> LineMap:
    """Where a line of `old` is in `new`, its edited text: an unchanged line
    where it went, an edited one at its place in the lines that replaced it
    (the last of them if fewer), a removed one at the line after."""
    a, b = old.splitlines(), new.splitlines()
    starts, blocks = [], []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if i1 < i2:
            starts.append(i1)
            blocks.append((tag, i1, j1, j2))

    def line_of(line: int) -> int:
        i = bisect.bisect_right(starts, line - 1) - 1
        if i < 0:
            return line
        tag, i1, j1, j2 = blocks[i]
        if tag == "delete":
            return j1 + 1
        return j1 + 1 + min(line - 1 - i1, j2 - j1 - 1)

    return line_of
