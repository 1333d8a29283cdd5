"""A warm `check` whose inputs are all unchanged prints the last output
(replay.py): it must be byte for byte what a full run prints, and any change
of an input must give a full run."""

from __future__ import annotations

import json
import os
import time

import pytest
from typer.testing import CliRunner

from nooble_codemod.engine import stages
from nooble_codemod.cli.app import app

runner = CliRunner()

V5 = "export const f = (tenantId: string) => supabase.from('conversations').select('*').eq('tenant_id', tenantId);\n"


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.ts").write_text(V5)
    (tmp_path / "src" / "b.ts").write_text("export const fine = 1;\n")
    (tmp_path / "src" / "conversation-api.ts").write_text("export const x = 1;\n")  # a scaffold goes beside it
    return tmp_path


@pytest.fixture
def full_runs(monkeypatch):
    """How many runs went past the plan (were not replayed)."""
    count = [0]
    real = stages.execute

    def counting(*args, **kwargs):
        count[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(stages, "execute", counting)
    return count


def check(*args):
    res = runner.invoke(app, ["check", "src", *args])
    return res.exit_code, res.stdout


@pytest.mark.parametrize("fmt", ["json", "github", "sarif", "markdown"])
def test_a_replayed_run_prints_what_the_full_run_printed(tree, full_runs, fmt):
    first = check("--format", fmt)
    second = check("--format", fmt)
    assert second == first and full_runs[0] == 1
    assert check("--format", fmt, "--no-cache") == first and full_runs[0] == 2


def test_text_into_a_file_is_replayed_and_the_file_written_again(tree, full_runs):
    out = tree / "report.txt"
    first = check("--output", str(out))
    text = out.read_text()
    out.unlink()
    assert check("--output", str(out)) == first and out.read_text() == text and full_runs[0] == 1


def test_text_on_standard_output_is_never_replayed(tree, full_runs):
    check()
    check()
    assert full_runs[0] == 2


def test_every_input_change_gives_a_full_run(tree, full_runs):
    base = check("--format", "json")
    runs = 1

    def changed(*args):
        nonlocal runs
        out = check("--format", "json", *args)
        runs += 1
        assert full_runs[0] == runs, args
        return out

    # options
    assert changed("--exit-zero")[0] == 0
    assert changed("--select", "DB")[1] != base[1]
    assert changed("--backend-strategy", "alias")
    # a file's content (same size, later mtime)
    a = tree / "src" / "a.ts"
    a.write_text(V5.replace("tenantId", "tenantXd"))
    st = a.stat()
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert changed()[1] != base[1]
    # a new file, a removed file
    (tree / "src" / "c.ts").write_text(V5)
    changed()
    (tree / "src" / "c.ts").unlink()
    changed()
    # the scaffold's target appears (git-ignored, so not a file of the run)
    (tree / "src" / ".gitignore").write_text("subscription-api.ts\n")
    assert '"path": "src/subscription-api.ts"' in check("--format", "json")[1]  # same inputs: may be replayed
    runs = full_runs[0]
    (tree / "src" / "subscription-api.ts").write_text("// ours\n")
    assert '"path": "src/subscription-api.ts"' not in changed()[1]
    # a baseline's content
    baseline = tree / "base.json"
    res = runner.invoke(app, ["check", "src", "--write-baseline", str(baseline)])
    assert res.exit_code == 0, res.output
    runs += 1
    assert full_runs[0] == runs
    assert changed("--baseline", str(baseline))[0] == 0  # all known
    doc = json.loads(baseline.read_text())
    doc["findings"] = doc["findings"][1:]
    baseline.write_text(json.dumps(doc))
    assert changed("--baseline", str(baseline))[0] == 1  # one is new again


def test_a_damaged_replay_file_is_a_full_run(tree, full_runs):
    first = check("--format", "json")
    for f in (tree / ".nooble-codemod-cache").glob("replay-*.json"):
        f.write_text("{not json")
    assert check("--format", "json") == first and full_runs[0] == 2
    for f in (tree / ".nooble-codemod-cache").glob("replay-*.json"):
        f.write_text(json.dumps({"key": "x", "stderr": [], "code": 0}) + "\n{}")
    assert check("--format", "json") == first and full_runs[0] == 3
    for f in (tree / ".nooble-codemod-cache").glob("replay-*.json"):
        f.write_text(f.read_text().split("\n", 1)[0])  # no output at all
    assert check("--format", "json") == first and full_runs[0] == 4
    for f in (tree / ".nooble-codemod-cache").glob("replay-*.json"):
        f.write_text(f.read_text()[:-10])  # the output cut short
    assert check("--format", "json") == first and full_runs[0] == 5
    assert check("--format", "json") == first and full_runs[0] == 5  # whole again: replayed


def test_a_run_with_errors_is_not_replayed_and_a_timeout_is_not_cached(tree, full_runs):
    (tree / "src" / "slow.py").write_text("x = " + " + ".join(["tenant_id"] * 3000) + "\n")
    first = check("--format", "json", "--file-timeout", "0.05")
    assert first[0] == 2 and "took longer than 0.05 s" in first[1]
    second = check("--format", "json", "--file-timeout", "0.05")
    assert second == first and full_runs[0] == 2
    doc = json.loads((next((tree / ".nooble-codemod-cache").glob("[0-9a-f]*.json"))).read_text())
    assert "src/slow.py" not in doc["files"]  # tried again next time


def test_only_the_outputs_of_the_last_option_sets_are_kept(tree, monkeypatch):
    from nooble_codemod.engine import replay

    monkeypatch.setattr(replay, "KEEP", 3)
    for n in range(6):
        check("--format", "json", "--select", f"DB-{n + 1}")
        time.sleep(0.01)
    kept = sorted((tree / ".nooble-codemod-cache").glob("replay-*.json"), key=lambda p: p.stat().st_mtime)
    assert len(kept) == 3
    assert check("--format", "json", "--select", "DB-6")[0] in (0, 1)
