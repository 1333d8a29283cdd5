"""Unified diffs that `git apply` accepts: a/ b/ prefixes, exact newlines, and
git's marker for a missing final newline."""

from __future__ import annotations

import difflib
import re

_LINES = re.compile(r"[^\n]*\n|[^\n]+$")
_NO_EOL = "\\ No newline at end of file\n"


def unified_diff(path: str, old: str | None, new: str, context: int = 3) -> str:
    """`old` None: the file is new (git's /dev/null form)."""
    # git splits lines on \n only (str.splitlines would also split on \f, \x1c, …).
    a = _LINES.findall(old or "")
    b = _LINES.findall(new)
    out = [f"diff --git a/{path} b/{path}\n"]
    if old is None:
        out.append("new file mode 100644\n")
    for line in difflib.unified_diff(a, b, "/dev/null" if old is None else f"a/{path}", f"b/{path}", n=context):
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\r\n") + "\n")
        elif line.endswith("\n"):
            out.append(line)
        else:
            # Only the last line of a file can lack its newline.
            out.append(line + "\n" + _NO_EOL)
    return "".join(out) if len(out) > 1 + (old is None) else ""


def file_diff(result) -> str:
    """The diff of a FileResult that changed (or was created)."""
    return unified_diff(result.path, None if result.created else result.original_text or "", result.new_text or "")
