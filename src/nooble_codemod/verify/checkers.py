"""The type checkers `apply --verify` runs, and their diagnostics.

Python: basedpyright (the `verify` extra), pyright's semantics in its
"standard" mode unless the project configures it. TypeScript: the project's
own `node_modules/.bin/tsc` with its tsconfig.json. Each runs on a copy of
the tree (verify/tree.py) and reports errors only: warnings do not decide.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PYTHON_CHECKER = "basedpyright"
# Written into the copy when the project has no pyright configuration of its
# own: basedpyright's default mode adds strict rules the project never chose.
PYRIGHT_CONFIG = {"typeCheckingMode": "standard"}
_TSC_LINE = re.compile(r"^(?P<file>.+?)\((?P<line>\d+),(?P<col>\d+)\): (?P<sev>error|warning) (?P<code>TS\d+): (?P<msg>.*)$")


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str  # relative to the copy's root, POSIX-style
    line: int  # 1-based
    col: int  # 1-based
    code: str
    message: str
    checker: str = ""
    severity: str = "error"


class Unavailable(Exception):
    """A checker that cannot run here; the message says why."""


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


# -- Python ---------------------------------------------------------------------------
def basedpyright_command() -> list[str]:
    exe = shutil.which("basedpyright", path=os.pathsep.join([str(Path(sys.executable).parent),
                                                              os.environ.get("PATH", "")]))
    if exe is None:
        raise Unavailable("basedpyright is not installed (pip install 'nooble-codemod[verify]'): "
                          "Python files not type-checked")
    return [exe]


def has_pyright_config(root: Path) -> bool:
    if (root / "pyrightconfig.json").is_file():
        return True
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        text = pyproject.read_text(encoding="utf-8", errors="replace")
        return "[tool.pyright" in text or "[tool.basedpyright" in text
    return False


def python_version() -> str:
    out = subprocess.run([*basedpyright_command(), "--version"], capture_output=True, text=True)
    return out.stdout.strip().splitlines()[0] if out.stdout.strip() else PYTHON_CHECKER


def run_python(root: Path, files: list[str]) -> list[Diagnostic]:
    """basedpyright's errors in `files` (relative to `root`)."""
    if not files:
        return []
    if not has_pyright_config(root):
        (root / "pyrightconfig.json").write_text(json.dumps(PYRIGHT_CONFIG), encoding="utf-8")
    proc = subprocess.run([*basedpyright_command(), "--outputjson", *files], cwd=root,
                          capture_output=True, text=True)
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise Unavailable(f"basedpyright failed: {(proc.stderr or proc.stdout).strip()[:300]}") from None
    out = []
    for d in data.get("generalDiagnostics", []):
        if d.get("severity") != "error":
            continue
        start = d["range"]["start"]
        out.append(Diagnostic(_relative(d["file"], root), start["line"] + 1, start["character"] + 1,
                              d.get("rule", ""), " ".join(d["message"].split()), PYTHON_CHECKER))
    return sorted(out)


# -- TypeScript -----------------------------------------------------------------------
def find_upward(start: Path, name: str, stop: Path | None = None) -> Path | None:
    """The nearest `name` in `start` or a folder above it (not above `stop`)."""
    for folder in (start, *start.parents):
        if (folder / name).exists():
            return folder / name
        if stop is not None and folder == stop:
            break
    return None


def tsc_version(tsc: Path) -> str:
    out = subprocess.run([str(tsc), "--version"], capture_output=True, text=True)
    return f"tsc {out.stdout.strip().removeprefix('Version ')}"


def run_tsc(tsc: Path, project: Path, root: Path) -> list[Diagnostic]:
    """tsc's errors for the tsconfig.json folder `project` (in the copy);
    files relative to `root`."""
    proc = subprocess.run([str(tsc), "--noEmit", "--pretty", "false", "-p", str(project)], cwd=project,
                          capture_output=True, text=True)
    out: list[Diagnostic] = []
    for line in proc.stdout.splitlines():
        m = _TSC_LINE.match(line)
        if m:
            if m["sev"] == "error":
                out.append(Diagnostic(_relative(str(project / m["file"]), root), int(m["line"]), int(m["col"]),
                                      m["code"], m["msg"].strip(), "tsc"))
        elif line.startswith(" ") and out:  # a message continued on the next lines
            last = out.pop()
            out.append(Diagnostic(last.file, last.line, last.col, last.code, f"{last.message} {line.strip()}",
                                  last.checker))
    if proc.returncode not in (0, 1, 2) or (proc.returncode and not out and proc.stdout.strip()):
        raise Unavailable(f"tsc failed in {project}: {(proc.stderr or proc.stdout).strip()[:300]}")
    return sorted(out)
