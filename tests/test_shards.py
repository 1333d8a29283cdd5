"""`check --shard K/N` and `merge`: the shards of a check, merged, report
exactly what one check of the whole tree does (every format, the exit code);
`merge` refuses shards that are not the whole of one check."""

from __future__ import annotations

import json
import shutil
import sys

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, ROOT
from test_guard import SARIF_SCHEMA
from nooble_codemod.cli.app import app
from nooble_codemod.engine.part import shard_of

runner = CliRunner()
FORMATS = ["json", "sarif", "github", "markdown", "text"]


def run(*args):
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture
def services(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "services-app", tmp_path / "app")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def shards(fmt: str, count: int = 4, *extra: str) -> list[str]:
    """Each shard's report in `fmt`, written to a file; their names."""
    names = []
    for k in range(1, count + 1):
        name = f"shard-{k}.{fmt}"
        code, _, err = run("check", "app", "--shard", f"{k}/{count}", "--format", fmt, "--output", name, *extra)
        assert code in (0, 1), err
        names.append(name)
    return names


def full(fmt: str, *extra: str) -> tuple[int, str]:
    code, _, _ = run("check", "app", "--format", fmt, "--output", f"full.{fmt}", *extra)
    return code, open(f"full.{fmt}", encoding="utf-8").read()


@pytest.mark.parametrize("fmt", FORMATS)
def test_four_shards_merged_are_one_check(services, fmt):
    code, want = full(fmt, "--no-cache")
    assert code == 1
    got = run("merge", *shards("json", 4, "--no-cache"), "--format", fmt, "--output", "merged")
    assert got[0] == code, got[2]
    assert open("merged", encoding="utf-8").read() == want


@pytest.mark.parametrize("fmt", ["sarif", "github"])
def test_sarif_shards_merge_into_sarif_and_github(services, fmt):
    code, want = full(fmt, "--no-cache")
    got = run("merge", *shards("sarif", 3, "--no-cache"), "--format", fmt, "--output", "merged")
    assert got[0] == code == 1, got[2]
    assert open("merged", encoding="utf-8").read() == want
    refused = run("merge", *shards("sarif", 3, "--no-cache"), "--format", "json")
    assert refused[0] == 2 and "run the shards with --format json" in refused[2]


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_acknowledged_sites_merge_as_one_check_reports_them(services, fmt):
    # The to-do comments of `apply --todo-comments` make sites "acknowledged":
    # a flag the shards' reports carry and merge must keep.
    code, _, err = run("apply", "app", "--todo-comments", "--allow-dirty", "--no-cache", "--format", "json")
    assert code == 1, err
    code, want = full(fmt, "--no-cache")
    assert "acknowledged" in want
    got = run("merge", *shards(fmt, 4, "--no-cache"), "--format", fmt, "--output", "merged")
    assert got[0] == code, got[2]
    assert open("merged", encoding="utf-8").read() == want


def test_a_shard_reports_its_files_as_the_full_run_does_groups_spanning_shards(services):
    _, text = full("json", "--no-cache")
    everything = json.loads(text)["findings"]
    groups_in = {}
    for name in shards("json", 4, "--no-cache"):
        doc = json.loads(open(name, encoding="utf-8").read())
        k, n = map(int, doc["shard"].split("/"))
        mine = [{key: v for key, v in f.items() if key not in ("context", "edits")} for f in doc["findings"]]
        assert mine == [f for f in everything if shard_of(f["path"], n) == k]
        assert all(shard_of(f["path"], n) == k for f in mine)
        for f in mine:
            if f.get("group"):
                groups_in.setdefault(f["group"], set()).add(k)
    # The project model saw every file: a rename's group has sites in several shards.
    assert any(len(ks) > 1 for ks in groups_in.values()), groups_in


def test_a_shard_says_its_checklist_is_partial(services):
    shards("json", 2, "--no-cache")
    doc = json.loads(open("shard-2.json", encoding="utf-8").read())
    assert doc["shard"] == "2/2" and doc["summary"]["files_scanned"] < 31
    sarif = json.loads(open(shards("sarif", 2, "--no-cache")[0], encoding="utf-8").read())
    assert sarif["runs"][0]["properties"]["part"] == "1/2"


@pytest.mark.parametrize("given", ["0/4", "5/4", "2", "a/b", "1/0", "-1/4"])
def test_a_bad_shard_is_refused(services, given):
    code, _, err = run("check", "app", "--shard", given)
    assert code == 2 and f"--shard '{given}': expected K/N with 1 ≤ K ≤ N" in err


def test_merge_refuses_what_is_not_the_whole_of_one_check(services):
    names = shards("json", 3, "--no-cache")
    one, two, three = names

    def refused(*args):
        code, _, err = run("merge", *args)
        assert code == 2, err
        return " ".join(err.split())

    assert "shard 3 of 3 missing" in refused(one, two)
    assert f"{two}: shard 2/3 again (as {two}): shards overlap" in refused(one, two, two, three)
    shutil.copy(one, "copy.json")
    assert "shards overlap" in refused(one, "copy.json", two, three)
    run("check", "app", "--shard", "2/3", "--format", "json", "--output", "other.json", "--select", "DB", "--no-cache")
    assert "other.json: not a shard of the same check" in refused(one, "other.json", three)
    run("check", "app", "--shard", "1/2", "--format", "json", "--output", "half.json", "--no-cache")
    assert f"{one}: shard 1/3, but half.json is one of 2" in refused(one, "half.json", two, three)
    run("check", "app", "--shard", "3/3", "--format", "sarif", "--output", "three.sarif", "--no-cache")
    assert "three.sarif: SARIF, but" in refused(one, two, "three.sarif")
    full("json", "--no-cache")
    assert "full.json: not the report of a shard" in refused("full.json")
    # The run's own errors are said apart from its failed files'.
    doc = json.loads(open(one, encoding="utf-8").read())
    del doc["merge"]["errors"]
    open("old.json", "w", encoding="utf-8").write(json.dumps(doc))
    assert "old.json: a shard's report without its run's errors" in refused("old.json", two, three)
    # A file claimed by a shard it does not hash to.
    doc = json.loads(open(one, encoding="utf-8").read())
    stranger = next(f for f in json.loads(open(two, encoding="utf-8").read())["findings"])
    doc["findings"].append({**stranger})
    open("forged.json", "w", encoding="utf-8").write(json.dumps(doc))
    said = refused("forged.json", two, three)
    assert f"forged.json: reports {stranger['path']}, a file of shard 2/3: shards overlap" in said
    (services / "spec.toml").write_text("nothing")
    assert "spec.toml" in refused(one, two, three, "--spec", "spec.toml")


def test_merge_exit_codes_follow_check(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app_dir = tmp_path / "app"
    app_dir.mkdir()
    (app_dir / "ok.ts").write_text("export const ok = 1;\n")
    (app_dir / "also.ts").write_text("export const also = 2;\n")
    names = shards("json", 2, "--no-cache")
    assert run("merge", *names)[0] == 0
    (app_dir / "old.ts").write_text("export const f = (t: string) => supabase.from('conversations')"
                                    ".select('*').eq('tenant_id', t);\n")
    names = shards("json", 2, "--no-cache")
    assert run("merge", *names)[0] == 1 and run("merge", *names, "--exit-zero")[0] == 0
    # A run's own error (a path not found) is said once, apart from the files that failed.
    names = []
    for k in (1, 2):
        run("check", "app", "missing", "--shard", f"{k}/2", "--format", "json", "--output", f"e{k}.json", "--no-cache")
        names.append(f"e{k}.json")
    assert all(json.loads(open(n, encoding="utf-8").read())["merge"]["errors"] for n in names)
    code, out, _ = run("merge", *names, "--format", "json")
    merged = json.loads(out)["summary"]
    assert code == 2 and len(merged["errors"]) == 1 and "missing" in merged["errors"][0], merged
    # A file that cannot be checked is never a pass: 2, whichever shard met it.
    (app_dir / "broken.py").write_bytes(b"tenant_id = (\n")
    names = []
    for k in (1, 2):
        code, _, _ = run("check", "app", "--shard", f"{k}/2", "--format", "json", "--output", f"s{k}.json",
                         "--no-cache")
        names.append(f"s{k}.json")
    code, out, err = run("merge", *names, "--exit-zero", "--format", "github")
    assert code == 2 and "::error file=app/broken.py,title=nooble-codemod::" in out
    assert run("check", "app", "--exit-zero", "--no-cache")[0] == 2
    # SARIF says it in the invocation (the file as its location), and merges it.
    sarifs = []
    for k in (1, 2):
        run("check", "app", "--shard", f"{k}/2", "--format", "sarif", "--output", f"s{k}.sarif", "--no-cache")
        sarifs.append(f"s{k}.sarif")
    code, out, _ = run("merge", *sarifs, "--format", "sarif")
    assert code == 2
    (invocation,) = json.loads(out)["runs"][0]["invocations"]
    assert not invocation["executionSuccessful"]
    (note,) = invocation["toolExecutionNotifications"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/broken.py"
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SARIF_SCHEMA.read_text())
    for doc in [json.loads(out)] + [json.loads(open(n, encoding="utf-8").read()) for n in sarifs]:
        jsonschema.Draft4Validator(schema).validate(doc)


def test_a_replayed_full_run_is_never_a_shards_output(services):
    """The output replay (engine/replay.py) keys on the shard: a warm shard
    gets its own output back, never the full run's, and the other way round."""
    def out(*args):
        code, text, err = run("check", "app", "--format", "json", *args)
        assert code == 1, err
        return text

    first = out()
    halves = [out("--shard", "1/2"), out("--shard", "2/2")]
    assert all('"shard"' in t for t in halves) and halves[0] != halves[1] != first
    assert out() == first
    assert [out("--shard", "1/2"), out("--shard", "2/2")] == halves
    assert halves == [out("--shard", "1/2", "--no-cache"), out("--shard", "2/2", "--no-cache")]
    for k, text in enumerate(halves, 1):
        open(f"s{k}.json", "w", encoding="utf-8").write(text)
    assert run("merge", "s1.json", "s2.json", "--format", "json")[1] == first


def test_shards_of_a_generated_tree_merge_to_one_run(tmp_path, monkeypatch):
    """The bench's synthetic monorepo, small: a cold run hands files to the
    workers during the walk (engine/dispatch.py), which a shard must filter too."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    generate(tmp_path / "app", 400, 8)
    monkeypatch.chdir(tmp_path)
    code, want = full("json", "--jobs", "2")
    assert code == 1 and json.loads(want)["summary"]["files_scanned"] >= 400
    shutil.rmtree(tmp_path / ".nooble-codemod-cache")  # each shard cold, as on its own runner
    names = []
    for k in range(1, 5):
        code, _, err = run("check", "app", "--shard", f"{k}/4", "--format", "json", "--output", f"s{k}.json",
                           "--jobs", "2")
        assert code == 1, err
        names.append(f"s{k}.json")
        shutil.rmtree(tmp_path / ".nooble-codemod-cache")
    got = run("merge", *names, "--format", "json", "--output", "merged.json")
    assert got[0] == 1 and open("merged.json", encoding="utf-8").read() == want
