"""The real type checkers, as the end-to-end tests run them on a tree before
and after `apply`: basedpyright (the test extra) on a back end, the pinned
tsc of tools/node on a front end. An error is new when its (file, rule,
message) count grew: lines move with the edits, messages do not."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from conftest import ROOT

TOOLS = ROOT / "tools" / "node"
BASEDPYRIGHT = Path(sys.executable).parent / "basedpyright"

# supabase-py is not a test dependency: basedpyright reads this stub of what
# the sample apps use instead.
SUPABASE_STUB = '''\
from typing import Any

class Client:
    def table(self, table_name: str) -> Any: ...
    def from_(self, table_name: str) -> Any: ...
    def rpc(self, fn: str, params: dict[str, Any] | None = None) -> Any: ...

class AsyncClient:
    def table(self, table_name: str) -> Any: ...
    def from_(self, table_name: str) -> Any: ...
    def rpc(self, fn: str, params: dict[str, Any] | None = None) -> Any: ...

def create_client(supabase_url: str, supabase_key: str) -> Client: ...
'''


def tsc(front_end: Path, work: Path, tsconfig: Path | None = None) -> subprocess.CompletedProcess:
    """tsc --noEmit over a copy of a front end (its own tsconfig.json, or `tsconfig`)."""
    compiler = TOOLS / "node_modules" / ".bin" / "tsc"
    assert compiler.exists(), "the TypeScript compiler is missing: `make test` installs it (tools/node)"
    copy = work / "tsc" / "frontend"
    shutil.copytree(front_end, copy)
    if tsconfig is not None:
        shutil.copy(tsconfig, copy / "tsconfig.json")
    (copy / "node_modules").symlink_to(TOOLS / "node_modules", target_is_directory=True)
    return subprocess.run([str(compiler), "-p", str(copy), "--pretty", "false"],
                          capture_output=True, text=True, timeout=300)


def tsc_errors(out: subprocess.CompletedProcess) -> list[tuple[str, str, str, int]]:
    """tsc's errors as (file, code, message, line)."""
    found = []
    for line in out.stdout.splitlines():
        head, sep, message = line.partition(": error ")
        if sep and head.endswith(")") and "(" in head:
            file, _, where = head[:-1].rpartition("(")
            code, _, text = message.partition(": ")
            found.append((file, code, text, int(where.split(",")[0])))
    return found


def pyright_errors(back_end: Path, work: Path, at_least: int = 1) -> list[tuple[str, str, str, int]]:
    """basedpyright's errors on a back end whose folder is the import root, as
    (file relative to it, rule, message, line)."""
    assert BASEDPYRIGHT.exists(), "basedpyright is missing: it is in the test extra (`make install`)"
    work = work / "pyright"
    (work / "stubs" / "supabase").mkdir(parents=True)
    (work / "stubs" / "supabase" / "__init__.pyi").write_text(SUPABASE_STUB)
    root = back_end.resolve()
    config = {"include": [str(root)], "extraPaths": [str(root)], "stubPath": str(work / "stubs"),
              "typeCheckingMode": "standard", "pythonVersion": "3.10"}
    (work / "pyrightconfig.json").write_text(json.dumps(config))
    out = subprocess.run([str(BASEDPYRIGHT), "--outputjson", "-p", str(work / "pyrightconfig.json"),
                          "--pythonpath", sys.executable], capture_output=True, text=True, timeout=600)
    assert out.returncode in (0, 1), out.stdout + out.stderr
    report = json.loads(out.stdout)
    assert report["summary"]["filesAnalyzed"] >= at_least, report["summary"]
    return [(Path(d["file"]).resolve().relative_to(root).as_posix(), d.get("rule", ""), d["message"],
             d["range"]["start"]["line"] + 1)
            for d in report["generalDiagnostics"] if d["severity"] == "error"]


def new_errors(before, after) -> Counter:
    """The errors whose (file, rule, message) count grew, with the growth."""
    b = Counter(e[:3] for e in before)
    a = Counter(e[:3] for e in after)
    return Counter({k: n - b[k] for k, n in a.items() if n > b[k]})
