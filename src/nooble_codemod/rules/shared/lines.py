"""Whole-line edits over a file's bytes: removing a declaration or a
statement together with its line, its comments and one separating blank line,
so what is left reads as if it had never been there. Language-neutral.

No Rule lives here.
"""

from __future__ import annotations

from nooble_codemod.model import Edit


def _line_bounds(data: bytes, start: int, end: int) -> tuple[int, int] | None:
    """[start of the line holding `start`, end of the line holding `end`
    including its newline) when nothing but whitespace shares those lines with
    [start, end); None otherwise."""
    ls = data.rfind(b"\n", 0, start) + 1
    if data[ls:start].strip():
        return None
    nl = data.find(b"\n", end)
    le = len(data) if nl < 0 else nl + 1
    if data[end:le].strip():
        return None
    return ls, le


def _blank_before(data: bytes, ls: int) -> int | None:
    """Start of the blank line just above the line starting at `ls`."""
    if ls == 0:
        return None
    prev = data.rfind(b"\n", 0, ls - 1) + 1
    return prev if not data[prev:ls].strip() else None


def _blank_after(data: bytes, le: int) -> int | None:
    """End of the blank line just below the line ending at `le`."""
    if le >= len(data):
        return None
    nl = data.find(b"\n", le)
    end = len(data) if nl < 0 else nl + 1
    return end if not data[le:end].strip() else None


def _next_line_closes(data: bytes, le: int) -> bool:
    nl = data.find(b"\n", le)
    line = data[le:len(data) if nl < 0 else nl].strip()
    return line[:1] in (b"}", b")", b"]")


def remove_lines(data: bytes, start: int, end: int, *, member: bool = False) -> Edit:
    """The edit removing [start, end). When the span owns its lines they go
    whole, and one blank line with them: for a class member the one that
    separated it from the member above (else below); for a statement only
    one that would otherwise double up with the blank line above, or sit
    before a closing brace."""
    bounds = _line_bounds(data, start, end)
    if bounds is None:
        # Code shares the line: take the whitespace before the span with it.
        while start > 0 and data[start - 1:start] in (b" ", b"\t"):
            start -= 1
        return Edit(start, end, "")
    ls, le = bounds
    before, after = _blank_before(data, ls), _blank_after(data, le)
    if member:
        if before is not None:
            ls = before
        elif after is not None:
            le = after
    elif before is not None and (after is not None or _next_line_closes(data, le)):
        if after is not None:
            le = after
        else:
            ls = before
    return Edit(ls, le, "")
