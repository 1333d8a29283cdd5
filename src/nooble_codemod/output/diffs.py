"""Unified diffs that `git apply` accepts: a/ b/ prefixes, exact newlines, and
git's marker for a missing final newline."""

from __future__ import annotations

import difflib
import posixpath
import re

_LINES = re.compile(r"[^\n]*\n|[^\n]+$")
_NO_EOL = "\\ No newline at end of file\n"


_C_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\a": "\\a", "\b": "\\b", "\f": "\\f",
               "\r": "\\r", "\v": "\\v"}


def git_name(name: str) -> str:
    """A path as git writes it in a diff: C-quoted when it holds a quote, a
    backslash or a control character (a newline in a file name would
    otherwise end the header line)."""
    if not any(c in _C_ESCAPES or ord(c) < 32 or ord(c) == 127 for c in name):
        return name
    return '"' + "".join(_C_ESCAPES.get(c) or (f"\\{ord(c):03o}" if ord(c) < 32 or ord(c) == 127 else c)
                         for c in name) + '"'


def unified_diff(path: str, old: str | None, new: str, context: int = 3) -> str:
    """`old` None: the file is new (git's /dev/null form)."""
    # git splits lines on \n only (str.splitlines would also split on \f, \x1c, …).
    a = _LINES.findall(old or "")
    b = _LINES.findall(new)
    a_name, b_name = git_name(f"a/{path}"), git_name(f"b/{path}")
    out = [f"diff --git {a_name} {b_name}\n"]
    if old is None:
        out.append("new file mode 100644\n")
    for line in difflib.unified_diff(a, b, "/dev/null" if old is None else a_name, b_name, n=context):
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\r\n") + "\n")
        elif line.endswith("\n"):
            out.append(line)
        else:
            # Only the last line of a file can lack its newline.
            out.append(line + "\n" + _NO_EOL)
    return "".join(out) if len(out) > 1 + (old is None) else ""


def file_diff(result, root: str = "") -> str:
    """The diff of a FileResult that changed (or was created); `root`: the
    working folder relative to the repository's root, which git's paths are
    relative to ("" at the root)."""
    path = posixpath.normpath(posixpath.join(root, result.path)) if root else result.path
    return unified_diff(path, None if result.created else result.original_text or "", result.new_text or "")
