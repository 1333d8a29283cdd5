"""Unified diffs that `git apply` accepts: a/ b/ prefixes, exact newlines, and
git's marker for a missing final newline."""

from __future__ import annotations

import difflib
import re

_LINES = re.compile(r"[^\n]*\n|[^\n]+$")
_NO_EOL = "\\ No newline at end of file\n"


def unified_diff(path: str, old: str, new: str, context: int = 3) -> str:
    # git splits lines on \n only (str.splitlines would also split on \f, \x1c, …).
    a = _LINES.findall(old)
    b = _LINES.findall(new)
    out = [f"diff --git a/{path} b/{path}\n"]
    for line in difflib.unified_diff(a, b, f"a/{path}", f"b/{path}", n=context):
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\r\n") + "\n")
        elif line.endswith("\n"):
            out.append(line)
        else:
            # Only the last line of a file can lack its newline.
            out.append(line + "\n" + _NO_EOL)
    return "".join(out) if len(out) > 1 else ""
