"""Invariants on hostile input: every bad file gets one clear
message naming it, nothing is written that should not be, the run goes on."""

from __future__ import annotations

import json

import pytest

from typer.testing import CliRunner

from nooble_codemod.cli.app import app

runner = CliRunner()


def test_a_file_slower_than_the_limit_is_reported_and_the_run_goes_on(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # LibCST's parse time grows with the square of an expression's length.
    (tmp_path / "slow.py").write_text("x = " + " + ".join(["tenant_id"] * 3000) + "\n")
    (tmp_path / "fine.ts").write_text("export const tenantId = 1;\n")
    res = runner.invoke(app, ["apply", ".", "--dry-run", "--format", "json", "--file-timeout", "0.05"])
    assert res.exit_code == 2
    doc = json.loads(res.stdout)
    errors = doc["summary"]["errors"]
    assert errors == ["slow.py: took longer than 0.05 s to analyse; file not migrated (see --file-timeout)"]
    assert [f["path"] for f in doc["findings"]] == ["fine.ts"]


def test_a_types_or_models_module_of_another_library_gets_no_v6_classes(spec):
    from nooble_codemod.model import FileStatus
    from nooble_codemod.engine.pipeline import Pipeline
    from nooble_codemod.settings import Settings

    # A real case: pydantic's own types.py uses Enum and BaseModel, like a Nooble back end.
    pipeline = Pipeline(spec, Settings())
    types_py = b'from enum import Enum\n\n\nclass ByteUnit(str, Enum):\n    KB = "kb"\n'
    models_py = b"from pydantic import BaseModel\n\n\nclass Invoice(BaseModel):\n    total: int\n"
    assert pipeline.process("lib/types.py", types_py, True).status is FileStatus.UNCHANGED
    assert pipeline.process("lib/models.py", models_py, True).status is FileStatus.UNCHANGED
    # Nor does a Nooble-looking one analysed alone: the enums go to the types.py
    # of the package holding the supabase client, decided per run
    # (fixtures/scenarios/scaffold-placement/, tests/test_scaffold_placement.py).
    nooble = types_py.replace(b"ByteUnit", b"WidgetType")
    assert pipeline.process("backend/types.py", nooble, True).status is FileStatus.UNCHANGED


# -- hostile inputs, end to end: one clear message naming the file, no write --------------------
V5_TS = "export const load = (tenantId: string) => supabase.from('conversations').select('*').eq('tenant_id', tenantId);\n"


def _apply_json(*paths, extra=()):
    res = runner.invoke(app, ["apply", *paths, "--allow-dirty", "--format", "json", *extra])
    return res, json.loads(res.stdout)


def test_empty_file_and_mixed_newlines(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.ts").write_bytes(b"")
    mixed = V5_TS.replace("\n", "\r\n").encode() + b"// two\n// three\r\n" + V5_TS.rstrip("\n").encode()
    (tmp_path / "mixed.ts").write_bytes(mixed)
    res, doc = _apply_json(".")
    assert (tmp_path / "empty.ts").read_bytes() == b""
    out = (tmp_path / "mixed.ts").read_bytes()
    assert b"tenant" not in out
    # every line keeps its own ending, and the missing final newline stays missing
    assert [ln[-1:] for ln in out.split(b"\n")[:-1]] == [ln[-1:] for ln in mixed.split(b"\n")[:-1]]
    assert not out.endswith(b"\n")


def test_a_huge_file_is_an_error_with_its_size_for_apply_and_check(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    big = (V5_TS * (10 * 1024 * 1024 // len(V5_TS) + 1)).encode()
    (tmp_path / "huge.ts").write_bytes(big)
    res, doc = _apply_json(".")
    assert res.exit_code == 2
    assert (tmp_path / "huge.ts").read_bytes() == big
    failed = [f for f in doc["files"] if f["path"] == "huge.ts"]
    assert failed and failed[0]["status"] == "failed"
    assert "larger than the 5 MiB limit" in failed[0]["reason"] and "--max-file-size" in failed[0]["reason"]
    # The CI guard must not pass a file it never read.
    check = runner.invoke(app, ["check", ".", "--no-cache"])
    assert check.exit_code == 2
    assert "huge.ts: larger than the 5 MiB limit" in check.stderr + check.stdout
    assert "No V5 references found.\n" not in check.stdout
    assert "1 file(s) could not be checked" in check.stdout


def test_the_size_limit_is_configurable(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.ts").write_text(V5_TS * 20)  # about 2 KiB
    small = runner.invoke(app, ["check", ".", "--no-cache", "--format", "json", "--max-file-size", "0.001"])
    assert small.exit_code == 2 and json.loads(small.stdout)["findings"] == []
    unlimited = runner.invoke(app, ["check", ".", "--no-cache", "--format", "json", "--max-file-size", "0"])
    assert unlimited.exit_code == 1 and json.loads(unlimited.stdout)["findings"]
    (tmp_path / "pyproject.toml").write_text("[tool.nooble-codemod]\nmax-file-size = 0.001\n")
    assert runner.invoke(app, ["check", ".", "--no-cache"]).exit_code == 2


def test_an_unreadable_file_is_named_and_the_rest_is_migrated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "locked.ts").write_text(V5_TS)
    (tmp_path / "fine.ts").write_text(V5_TS)
    import os

    real_open = os.open

    def refusing(path, *args, **kwargs):  # root reads through chmod 000, so refuse here
        if str(path).endswith("locked.ts"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    res, doc = _apply_json(".")
    assert res.exit_code == 2
    assert "locked.ts: cannot read: Permission denied" in doc["summary"]["errors"]
    assert "tenant" in (tmp_path / "locked.ts").read_text()
    assert "tenant" not in (tmp_path / "fine.ts").read_text()


def test_symlink_loop_and_fifo_do_not_hang(tmp_path, monkeypatch):
    import os

    monkeypatch.chdir(tmp_path)
    os.symlink("b.ts", tmp_path / "a.ts")
    os.symlink("a.ts", tmp_path / "b.ts")
    os.mkfifo(tmp_path / "pipe.ts")
    (tmp_path / "real.ts").write_text(V5_TS)
    res, doc = _apply_json(".")
    assert res.exit_code in (0, 1)
    assert "tenant" not in (tmp_path / "real.ts").read_text()
    assert (tmp_path / "a.ts").is_symlink() and (tmp_path / "b.ts").is_symlink()
    assert [f["reason"] for f in doc["files"] if f["path"] == "pipe.ts"] == [
        "not a regular file (a FIFO, socket or device); not read"]


def test_paths_with_spaces_and_non_ascii(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "my app" / "ünïcödé"
    folder.mkdir(parents=True)
    (folder / "conversation api.ts").write_text(V5_TS)
    res = runner.invoke(app, ["apply", "my app", "--diff"])
    assert "diff --git a/my app/ünïcödé/conversation api.ts b/my app/ünïcödé/conversation api.ts" in res.stdout
    res, doc = _apply_json("my app")
    assert "tenant" not in (folder / "conversation api.ts").read_text()
    assert doc["files"][0]["path"] == "my app/ünïcödé/conversation api.ts"


def test_memory_does_not_grow_with_the_tree(tmp_path):
    """Files are read, analysed and let go one at a time: eight times the files
    (the same 5% mentioning V5) must not mean eight times the memory."""
    import subprocess
    import sys

    def tree(n: int):
        root = tmp_path / f"t{n}"
        root.mkdir()
        filler = "".join(f"const filler{j} = 'a line that says nothing relevant to the migration';\n" for j in range(150))
        for i in range(n):
            head = V5_TS.replace("load", f"load{i}") if i % 20 == 0 else f"export const x{i} = {i};\n"
            (root / f"f{i:05d}.ts").write_text(head + filler)
        return root

    def peak_kb(root) -> int:
        code = ("import resource, sys\nfrom nooble_codemod.cli.launcher import main\nsys.argv = ['nooble-codemod', 'check', "
                f"{str(root)!r}, '-j', '1', '--format', 'json']\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
                "sys.stderr.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
        return int(out.stderr.strip().splitlines()[-1])

    small, large = peak_kb(tree(400)), peak_kb(tree(3200))
    print(f"\npeak RSS of check: 400 files {small // 1024} MiB, 3200 files {large // 1024} MiB")
    assert large < small * 1.5


def test_nesting_five_thousand_deep(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deep.py").write_text("x = " + "[" * 5000 + "]" * 5000 + "\ntenant_id = 1\n")
    (tmp_path / "deep.ts").write_text("const x = " + "[" * 5000 + "]" * 5000 + ";\n" + V5_TS)
    (tmp_path / "fine.ts").write_text(V5_TS)
    res, doc = _apply_json(".")
    reasons = {f["path"]: f.get("reason", "") for f in doc["files"]}
    assert "nested brackets" in reasons["deep.py"] and "tenant_id = 1" in (tmp_path / "deep.py").read_text()
    # tree-sitter has no recursion limit to hit: the TS file is migrated like any other
    assert "tenant" not in (tmp_path / "deep.ts").read_text()
    assert "tenant" not in (tmp_path / "fine.ts").read_text()


def test_the_result_cache_gives_the_same_answer_and_notices_changes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.ts").write_text(V5_TS)
    (tmp_path / "b.ts").write_text("export const fine = 1;\n")
    cold = runner.invoke(app, ["check", ".", "--format", "json"]).stdout
    assert (tmp_path / ".nooble-codemod-cache" / ".gitignore").read_text().endswith("*\n")
    warm = runner.invoke(app, ["check", ".", "--format", "json"]).stdout
    assert warm == cold
    (tmp_path / "b.ts").write_text("export const f = (tenantId: string) => tenantId;\n")  # a change to see
    after = json.loads(runner.invoke(app, ["check", ".", "--format", "json"]).stdout)
    assert {f["path"] for f in after["findings"]} == {"a.ts", "b.ts"}
    # apply never trusts the cache for a file with fixes
    runner.invoke(app, ["apply", ".", "--allow-dirty"])
    assert "tenant" not in (tmp_path / "a.ts").read_text() + (tmp_path / "b.ts").read_text()
    assert json.loads(runner.invoke(app, ["check", ".", "--format", "json"]).stdout)["findings"] == []
    assert json.loads(runner.invoke(app, ["check", ".", "--no-cache", "--format", "json"]).stdout)["findings"] == []


@pytest.mark.parametrize("hint", [-1, 0, 5, 70_000, 10_000_000])
def test_a_file_is_read_whole_whatever_size_discovery_saw(tmp_path, hint):
    # The size comes from discovery's stat: the file may have grown or shrunk since.
    from nooble_codemod.engine.tasks import read

    data = bytes(range(256)) * 1000  # 256,000 bytes: more than one read at any hint
    f = tmp_path / "grown.ts"
    f.write_bytes(data)
    assert read(str(f), hint) == data
    (tmp_path / "empty.ts").write_bytes(b"")
    assert read(str(tmp_path / "empty.ts"), hint) == b""


def test_a_file_of_the_size_discovery_saw_takes_one_read(tmp_path, monkeypatch):
    import os

    from nooble_codemod.engine.tasks import read

    f = tmp_path / "a.ts"
    f.write_bytes(b"const a = 1;\n" * 100)
    reads = []
    real = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real(fd, n))
    assert read(str(f), 1300) == f.read_bytes()
    assert reads == [1301]  # not a second read to be told the file ends


def test_a_long_operator_chain_in_a_migrated_function_fails_alone(tmp_path, monkeypatch):
    """Valid Python whose analysis exceeds the recursion limit: one clear
    error for that file, the JSON report still printed, the other file still
    checked, exit 2."""
    monkeypatch.chdir(tmp_path)
    chain = " + ".join(['"a"'] * 500)
    (tmp_path / "deep.py").write_text(
        f'def g(client, tenant_id):\n    sql = {chain}\n'
        '    return client.table("conversations").eq("tenant_id", tenant_id)\n')
    (tmp_path / "ok.py").write_text(
        'def f(client, tenant_id):\n    return client.table("conversations").eq("tenant_id", tenant_id)\n')
    res = runner.invoke(app, ["check", ".", "--format", "json", "--no-cache", "-j", "1"])
    assert res.exit_code == 2
    doc = json.loads(res.stdout)
    assert {f["path"] for f in doc["findings"]} == {"ok.py"}
    assert "deep.py: nested too deeply to analyse; file not checked" in res.stderr


def test_an_internal_error_costs_one_file_not_the_run(tmp_path, monkeypatch):
    from nooble_codemod.engine.pipeline import Pipeline

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.ts").write_text("export const tenantId = 1;\n")
    (tmp_path / "b.ts").write_text("export const tenantId = 2;\n")
    real = Pipeline.examine

    def broken(self, path, raw, fix, *project):
        if path == "a.ts":
            raise KeyError("boom")
        return real(self, path, raw, fix, *project)

    monkeypatch.setattr(Pipeline, "examine", broken)
    res = runner.invoke(app, ["check", ".", "--format", "json", "--no-cache", "-j", "1"])
    assert res.exit_code == 2
    assert [f["path"] for f in json.loads(res.stdout)["findings"]] == ["b.ts"]
    assert "a.ts: internal error while analysing (KeyError: 'boom')" in res.stderr


def test_findings_on_one_long_line_keep_a_bounded_excerpt(tmp_path, monkeypatch):
    """A minified bundle: thousands of findings on one line must not each
    keep (and cache) the whole line."""
    from nooble_codemod.fs.source import EXCERPT

    monkeypatch.chdir(tmp_path)
    query = "supabase.from('conversations').select('*').eq('tenant_id',t);"
    (tmp_path / "v.min.js").write_text("function f(t){" + query * 2000 + "}\n")
    res = runner.invoke(app, ["check", ".", "--format", "json", "-j", "1"])
    assert res.exit_code == 1
    findings = json.loads(res.stdout)["findings"]
    assert len(findings) == 2000
    cache = [p for p in (tmp_path / ".nooble-codemod-cache").glob("*.json") if not p.name.startswith("replay-")]
    # Whole lines would be 2,000 x 120 KB = 240 MB; excerpts are a few hundred bytes a finding.
    assert cache and cache[0].stat().st_size < 2000 * (2 * EXCERPT + 400)
