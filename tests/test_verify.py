"""`apply --verify`: type checkers before and after, on a copy; the edit groups
that bring new errors are dropped and reported for a human."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import FIXTURES
from nooble_codemod.model import Edit, FileStatus, Fix, Finding, RunMode, Severity, group_of

CLI = str(Path(sys.executable).parent / "nooble-codemod")
NODE = FIXTURES.parent / "tools" / "node"

SERVICE = '''\
def load(tenant_id: str) -> str:
    return tenant_id


def other(tenant_id: int) -> int:
    return tenant_id


def main() -> str:
    return load(tenant_id="t")
'''

# A client the scaffolded methods are added to, declared Optional; a local
# stand-in for supabase-py (a module named supabase, so the tool knows the
# client by its import), so the checker knows its types.
SUPA = '''\
from typing import Any


class Response:
    data: Any = None


class Query:
    async def execute(self) -> Response:
        return Response()


class AsyncClient:
    def rpc(self, name: str, params: dict) -> Query:
        return Query()

    def table(self, name: str) -> Query:
        return Query()
'''
OPTIONAL_CLIENT = '''\
from typing import Optional

from supabase import AsyncClient


class SupabaseClient:
    def __init__(self) -> None:
        self.client: Optional[AsyncClient] = None

    def connect(self, client: AsyncClient) -> None:
        self.client = client

    async def count(self) -> int:
        if self.client is None:
            return 0
        response = await self.client.table('conversations').execute()
        return len(response.data)
'''


def _run(tree: Path, *args: str, verify: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, "apply", ".", "--allow-dirty", "--no-cache", "--format", "json", *args,
                           *(["--verify"] if verify else [])], cwd=tree, capture_output=True, text=True, timeout=300)


def _engine(tree: Path, spec, **settings):
    """The run in this process (so a monkeypatched rule is the one used)."""
    from nooble_codemod.engine.run import RunRequest, run
    from nooble_codemod.settings import Settings

    request = RunRequest([tree], spec, Settings(cache=False, **settings), RunMode.DRY_RUN, jobs=1, verify=True,
                         cwd=str(tree))
    return run(request)


# -- dropping groups (generic) ----------------------------------------------------------
def test_group_of_names_an_ungrouped_fix_by_what_survives_a_fix_round():
    f = Finding("r", "BE-1", "a.py", 3, 1, 3, 5, Severity.ERROR, "m", start=10, end=14,
                fix=Fix((Edit(10, 14, "x"),)), context="def f(a):")
    moved = replace(f, line=9, start=50, end=54, fix=Fix((Edit(50, 54, "x"),)))
    assert group_of(f) == group_of(moved)
    assert group_of(replace(f, context="def g(a):")) != group_of(f)
    assert group_of(replace(f, fix=Fix(f.fix.edits, group="rename:a"))) == "rename:a"


def test_a_dropped_group_is_not_applied_and_says_why(spec):
    from nooble_codemod.engine.pipeline import Pipeline
    from nooble_codemod.settings import Settings

    pipeline = Pipeline(spec, Settings(cache=False))
    raw = SERVICE.encode()
    first = pipeline.process("svc.py", raw, True)
    (load,) = [f for f in first.fixed if "load" in f.context and f.rule == "py-local-rename"]
    again = pipeline.process("svc.py", raw, True, dropped={group_of(load): "the checker said no"})
    assert "def load(tenant_id: str)" in again.new_text and "def other(user_id: int)" in again.new_text
    # The parameter and its keyword caller: one group, both reported.
    kept = [f for f in again.findings if f.fix is None]
    assert [f.line for f in kept] == [1, 10] and all(f.message.endswith("the checker said no") for f in kept)


# -- the checkers ------------------------------------------------------------------------
def test_tsc_lines_are_read_with_their_continuations(tmp_path):
    from nooble_codemod.verify import checkers

    fake = tmp_path / "tsc"
    fake.write_text("#!/bin/sh\necho \"src/a.ts(3,7): error TS2322: Type 'x' is not\"\n"
                    "echo \"  assignable to 'y'.\"\necho \"src/b.ts(1,1): warning TS1: w\"\nexit 2\n")
    fake.chmod(0o755)
    (d,) = checkers.run_tsc(fake, tmp_path, tmp_path)
    assert (d.file, d.line, d.col, d.code) == ("src/a.ts", 3, 7, "TS2322")
    assert d.message == "Type 'x' is not assignable to 'y'."


def test_an_error_moved_by_the_edits_is_not_new():
    from nooble_codemod.verify.checkers import Diagnostic
    from nooble_codemod.verify.compare import LineMap, new_diagnostics

    before = [Diagnostic("a.py", 5, 1, "reportX", "bad")]
    moved = LineMap("1\n2\n3\n4\nbad\n", "0\n1\n2\n3\n4\nbad\n")
    assert new_diagnostics(before, [Diagnostic("a.py", 6, 1, "reportX", "bad")], {"a.py": moved}) == []
    assert new_diagnostics(before, [Diagnostic("a.py", 2, 1, "reportX", "bad")], {"a.py": moved})


# -- the stage ---------------------------------------------------------------------------
def test_a_rule_broken_on_purpose_loses_exactly_its_group(tmp_path, spec, monkeypatch):
    """The project model made to skip keyword callers (the rename of `load`
    then leaves `load(tenant_id=…)` behind): basedpyright sees the call break,
    and that rename alone is dropped."""
    from nooble_codemod.project import facts

    (tmp_path / "svc.py").write_text(SERVICE)
    original = facts._Uses.call
    monkeypatch.setattr(facts._Uses, "call", lambda self, call: None)
    result = _engine(tmp_path, spec)
    (r,) = result.files
    assert r.status is FileStatus.CHANGED
    assert "def load(tenant_id: str)" in r.new_text and "def other(user_id: int)" in r.new_text
    (human,) = [f for f in r.findings if f.fix is None and f.rule == "py-local-rename"]
    assert human.line == 1
    assert "basedpyright reports reportCallIssue at svc.py:10:" in human.message
    assert 'parameter "user_id"' in human.message and "after this edit (svc.py:1:10)" in human.message
    assert result.verification.dropped == 1
    # Unbroken, the same tree verifies clean.
    monkeypatch.setattr(facts._Uses, "call", original)
    clean = _engine(tmp_path, spec)
    assert clean.verification.dropped == 0 and "def load(user_id: str)" in clean.files[0].new_text


def test_apply_verify_writes_what_passed_and_reports_the_checkers(tmp_path):
    (tmp_path / "svc.py").write_text(SERVICE)
    out = _run(tmp_path)
    doc = json.loads(out.stdout)
    assert doc["verification"]["dropped"] == 0
    assert [c.split()[0] for c in doc["verification"]["checkers"]] == ["basedpyright"]
    assert "def load(user_id: str)" in (tmp_path / "svc.py").read_text()


def test_without_a_typescript_compiler_it_says_so_and_goes_on(tmp_path):
    (tmp_path / "api.ts").write_text("export const q = (c: any, tenantId: string) => "
                                     "c.from('conversations').select('*').eq('tenant_id', tenantId);\n")
    out = _run(tmp_path)
    v = json.loads(out.stdout)["verification"]
    assert any("node_modules/.bin/tsc" in n or "tsconfig.json" in n for n in v["notes"]), v
    assert "'user_id'" in (tmp_path / "api.ts").read_text()


@pytest.fixture
def front_end_app(tmp_path):
    app = tmp_path / "app"
    shutil.copytree(FIXTURES / "sample-app", app)
    assert (NODE / "node_modules" / ".bin" / "tsc").exists(), "`make test` installs tools/node"
    shutil.copy(NODE / "tsconfig.json", app / "frontend" / "tsconfig.json")
    (app / "frontend" / "node_modules").symlink_to(NODE / "node_modules", target_is_directory=True)
    return app


def test_tsc_agrees_beside_the_items_a_human_has(front_end_app):
    out = subprocess.run([CLI, "apply", ".", "--dry-run", "--verify", "--no-cache"], cwd=front_end_app,
                         capture_output=True, text=True, timeout=300)
    assert "type-checked with basedpyright 1.40.2, tsc" in out.stdout
    assert "no new errors" in out.stdout
    item = out.stdout[out.stdout.index("FE-3 Rewrite"):]
    assert "tsc agrees: 1 site" in item.split("\n")[2]


def test_alias_scaffolds_pass_the_checker(front_end_app):
    out = _run(front_end_app, "--backend-strategy", "alias", "--dry-run")
    v = json.loads(out.stdout)["verification"]
    assert v["dropped"] == 0 and v["checkers"][0].startswith("basedpyright"), v


def test_an_optional_client_is_guarded_in_scaffolded_methods(tmp_path, spec, monkeypatch):
    backend = tmp_path / "backend"
    backend.mkdir()
    (backend / "supabase.py").write_text(SUPA)
    (backend / "client.py").write_text(OPTIONAL_CLIENT)
    result = _engine(tmp_path, spec, backend_strategy="alias")
    (client,) = [r for r in result.files if r.path.endswith("client.py")]
    assert "get_user_subscription" in client.new_text and 'raise RuntimeError("self.client is not connected")' \
        in client.new_text
    assert result.verification.dropped == 0
    # Without the guard the checker catches the Optional client, and the scaffold is dropped.
    from nooble_codemod.rules.python import scaffold

    monkeypatch.setattr(scaffold, "_guarded", lambda fn, guard, obj, attr: fn)
    unguarded = _engine(tmp_path, spec, backend_strategy="alias")
    (client,) = [r for r in unguarded.files if r.path.endswith("client.py")]
    assert client.status is FileStatus.UNCHANGED
    # (BE-2 and BE-6 are said there too: no models.py or types.py beside it.)
    (human,) = [f for f in client.findings if f.fix is None and f.checklist == "BE-4"]
    assert human.rule == "py-scaffold" and "reportOptionalMemberAccess" in human.message
