"""The result cache: a warm run answers like a cold one, and a cache file that
is not what this version writes is ignored, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nooble_codemod.engine.cache import FORMAT, ResultCache
from nooble_codemod.engine.run import RunRequest, run
from nooble_codemod.output.report import to_json
from nooble_codemod.model import RuleInfo, RunMode
from nooble_codemod.rules import rule_infos
from nooble_codemod.settings import Settings

V5 = "export const f = (tenantId: string) => supabase.from('conversations').select('*').eq('tenant_id', tenantId);\n"


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.ts").write_text(V5)
    (tmp_path / "b.ts").write_text("export const fine = 1;\n")
    return tmp_path


def check(spec, settings=None, jobs=1):
    return run(RunRequest([Path(".")], spec, settings or Settings(), RunMode.CHECK, jobs=jobs))


def report(spec) -> str:
    result = check(spec)
    return to_json(result, spec, rule_infos(Settings(), spec))


def cache_file(spec, root) -> Path:
    return Path(ResultCache(root, spec.digest, Settings()).path)


def test_clean_files_are_short_entries_and_the_rules_are_recorded(tree, spec):
    cold = report(spec)
    doc = json.loads(cache_file(spec, tree).read_text())
    assert doc["format"] == FORMAT
    assert len(doc["files"]["b.ts"]) == 2  # [mtime_ns, size]
    assert len(doc["files"]["a.ts"]) == 5 and doc["files"]["a.ts"][4]
    assert RuleInfo.from_json(doc["rules"]) == rule_infos(Settings(), spec)
    warm = check(spec)
    assert warm.rules == RuleInfo.from_json(doc["rules"])
    assert to_json(warm, spec, warm.rules) == cold


@pytest.mark.parametrize("content", [
    "{not json",
    "",
    "[]",
    json.dumps({"a.ts": [[1, 2], "unchanged", "", []]}),  # format 1
    json.dumps({"format": FORMAT, "files": []}),
    json.dumps({"format": FORMAT, "rules": "all", "files": {}}),
])
def test_a_cache_file_of_another_shape_is_ignored(tree, spec, content):
    cold = report(spec)
    cache_file(spec, tree).write_text(content)
    assert report(spec) == cold
    assert json.loads(cache_file(spec, tree).read_text())["format"] == FORMAT  # written afresh


def test_bad_entries_mean_the_file_is_read_again(tree, spec):
    cold = report(spec)
    path = cache_file(spec, tree)
    doc = json.loads(path.read_text())
    a, b = doc["files"]["a.ts"], doc["files"]["b.ts"]
    bad_rows = [
        [a[0], a[1], "unchanged", "", [["rule", "FE-1", "a.ts", "one", 1, 1, 2, "error", "m", 0, 1, None, ""]]],
        [a[0], a[1], "unchanged", "", [["rule", "FE-1", "a.ts", 1, 1, 1, 2, "fatal", "m", 0, 1, None, ""]]],
        [a[0], a[1], "unchanged", "", [["too", "short"]]],
        [a[0], a[1], "changed", "", []],
        [a[0], a[1], "exploded", "", []],
        "a string",
        42,
        {"mtime": a[0]},
    ]
    for bad in bad_rows:
        doc["files"]["a.ts"] = bad
        doc["files"]["b.ts"] = [b[0], b[1], "unchanged", None, []]  # reason not a string
        path.write_text(json.dumps(doc))
        assert report(spec) == cold, bad


def test_a_changed_file_is_read_again(tree, spec):
    report(spec)
    (tree / "b.ts").write_text("export const g = (tenantId: string) => tenantId;\n")
    after = json.loads(report(spec))
    assert {f["path"] for f in after["findings"]} == {"a.ts", "b.ts"}


@pytest.mark.parametrize("mode", ["check", "apply --dry-run"])
def test_worker_processes_report_what_one_process_does(tmp_path, monkeypatch, mode):
    # Enough files for the pool; the workers also say which checklist items
    # the rules cover (the main process does not import the rules for that).
    import subprocess
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import generate

    generate(tmp_path / "gen", 300, 6)
    monkeypatch.chdir(tmp_path / "gen")
    outputs = []
    for jobs, cache in (("1", "--no-cache"), ("2", "--no-cache"), ("2", None), ("2", None)):  # cold, then warm
        argv = [sys.executable, "-m", "nooble_codemod", *mode.split(), ".", "--format", "json", "-j", jobs]
        res = subprocess.run(argv + ([cache] if cache else []), capture_output=True, text=True, timeout=300)
        assert res.returncode in (0, 1), res.stderr
        outputs.append(res.stdout)
    assert json.loads(outputs[0])["checklist"] and len(set(outputs)) == 1


def test_a_cold_run_hands_files_to_the_workers_during_the_walk(tmp_path, monkeypatch, spec):
    import sys
    from dataclasses import replace

    from nooble_codemod.engine import dispatch

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import generate

    generate(tmp_path / "gen", 300, 7)
    monkeypatch.chdir(tmp_path / "gen")
    sent, collect = [], []
    real = dispatch.Workers._send
    monkeypatch.setattr(dispatch.Workers, "_send", lambda self, batch: (sent.append(len(batch)), real(self, batch)))
    real_pool = dispatch._pool
    monkeypatch.setattr(dispatch, "_pool", lambda *a: (collect.append(a[3]), real_pool(*a))[1])
    settings = replace(Settings(), cache=False)

    def outcome(jobs):
        result = check(spec, settings, jobs)
        return [(r.path, r.status, r.reason, [(f.rule, f.start, f.end, f.message) for f in r.findings])
                for r in result.files]

    one = outcome(1)
    assert not sent
    assert outcome(2) == one
    assert sent and sum(sent) < len(one)  # some during the walk, the rest after it
    # Started while the walk has the cycle collector paused, the workers
    # still collect as this process does (see the test below).
    assert collect == [True]


def test_workers_started_during_the_walk_collect_cycles_as_the_caller_does(spec):
    # Discovery runs with the cycle collector paused; a worker forked then
    # kept it paused and never freed its parse trees (twice the memory).
    import gc

    from nooble_codemod.engine.dispatch import Workers
    from nooble_codemod.engine.gcpause import collector_paused

    workers = Workers(RunRequest([Path(".")], spec, Settings(), RunMode.CHECK, jobs=1).started(), early=True)
    with collector_paused():
        pool = workers.start([])
        try:
            pool.submit(gc.isenabled)
            assert [value for _, value in pool.completed()] == [True]
        finally:
            pool.close()


def test_batches_shrink_as_the_work_runs_out_so_the_workers_finish_together():
    from nooble_codemod.engine.dispatch import LAST_BATCH, MAX_BATCH, guided

    for n in (1, 63, 300, 2000, 20000):
        batches = list(guided(list(range(n)), 2))
        assert [x for b in batches for x in b] == list(range(n))
        sizes = [len(b) for b in batches]
        assert all(LAST_BATCH <= s <= MAX_BATCH for s in sizes[:-1]) and sizes == sorted(sizes, reverse=True)
    sizes = [len(b) for b in guided(list(range(20000)), 2)]
    assert sizes[0] == MAX_BATCH and sizes[-2] == LAST_BATCH and len(sizes) < 20000 / 200


def test_results_from_the_workers_are_taken_with_the_collector_paused(tmp_path, monkeypatch, spec):
    # They live to the end of the run: collections in between freed nothing
    # and walked them all, again and again.
    import gc
    import sys
    from dataclasses import replace

    from nooble_codemod.engine import tasks

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import generate

    generate(tmp_path / "gen", 300, 7)
    monkeypatch.chdir(tmp_path / "gen")
    collecting = []
    real = tasks.unpacked
    monkeypatch.setattr(tasks, "unpacked", lambda results: (collecting.append(gc.isenabled()), real(results))[1])
    assert gc.isenabled()
    check(spec, replace(Settings(), cache=False), jobs=2)
    assert collecting and not any(collecting)
    assert gc.isenabled()


def test_a_failure_kept_by_check_says_what_apply_did_not_do(tree, spec):
    """A file that does not parse is kept as failed; the run that takes it
    from the cache says what it did not do, as a run that read the file says."""
    (tree / "broken.py").write_text("def f(:\n    tenant_id = 1\n")
    checked = {r.path: r.reason for r in check(spec).files}
    assert checked["broken.py"].endswith("; file not checked")
    fixed = run(RunRequest([Path(".")], spec, Settings(), RunMode.DRY_RUN, jobs=1))
    reason = {r.path: r.reason for r in fixed.files}["broken.py"]
    assert reason == checked["broken.py"].removesuffix("file not checked") + "file not migrated"
    again = {r.path: r.reason for r in check(spec).files}
    assert again["broken.py"] == checked["broken.py"]
