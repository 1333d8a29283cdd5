"""Round trips on real code nobody here wrote: the npm packages the tests
install (TypeScript's own libraries, supabase-js, React's types) and the
Python packages of the test environment (pydantic, rich, libcst, pip, …).

Asserted: no crash; every file the run leaves alone is byte-identical; every
changed file parses; a second apply changes nothing. Files the parser cannot
read are allowed only as clear per-file messages. The counts are printed
(`pytest -s` shows them)."""

from __future__ import annotations

import json
import shutil
import sysconfig
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from nooble_codemod.cli.app import app
from nooble_codemod.languages import language_of

runner = CliRunner()
NODE_MODULES = ROOT / "tools" / "node" / "node_modules"
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])


def _snapshot(root: Path) -> dict[str, bytes]:
    # The result cache is the one thing a dry run may write (like ruff's): not source.
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in root.rglob("*") if p.is_file() and not p.is_symlink() and ".nooble-codemod-cache" not in p.parts}


@pytest.fixture(scope="module")
def real_tree(tmp_path_factory):
    assert NODE_MODULES.is_dir(), "`make test` installs tools/node (npm ci)"
    root = tmp_path_factory.mktemp("real")
    # node_modules would be skipped by discovery (dependency folder): copy it under another name.
    shutil.copytree(NODE_MODULES, root / "npm", symlinks=True)
    shutil.copytree(SITE_PACKAGES, root / "python", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.so"))
    return root


def test_apply_round_trips_real_code(real_tree, monkeypatch):
    monkeypatch.chdir(real_tree)
    before = _snapshot(real_tree)
    sources = [p for p in before if language_of(p)]

    dry = runner.invoke(app, ["apply", "npm", "python", "--dry-run", "--format", "json"])
    assert dry.exit_code in (0, 1, 2), dry.output
    summary = json.loads(dry.stdout)["summary"]
    assert all(": syntax error at " in e or "does not parse" in e or "not migrated" in e or "not analysed" in e
               for e in summary["errors"]), \
        summary["errors"]
    assert _snapshot(real_tree) == before, "a dry run wrote"

    first = runner.invoke(app, ["apply", "npm", "python", "--allow-dirty", "--format", "json"])
    assert first.exit_code in (0, 1, 2), first.output
    doc = json.loads(first.stdout)
    changed = {f["path"] for f in doc["files"] if f.get("status") == "changed"}
    after = _snapshot(real_tree)
    for rel, data in before.items():
        if rel not in changed:
            assert after[rel] == data, f"{rel} changed, but the run did not say so"
    second = runner.invoke(app, ["apply", "npm", "python", "--allow-dirty", "--format", "json"])
    assert json.loads(second.stdout)["summary"]["files_changed"] == 0
    print(f"\nreal code: {len(sources)} source files ({sum(language_of(p) == 'typescript' for p in sources)} "
          f"TS/JS, {sum(language_of(p) == 'python' for p in sources)} Python), {summary['files_scanned']} scanned, "
          f"{len(changed)} changed, {len(summary['errors'])} not parseable: {summary['errors']}")
    assert len(sources) > 1000


def test_every_real_ts_file_through_every_rule(spec):
    """The prefilter keeps most real files away from the rules; here every
    TS/JS file of the npm packages goes through all of them."""
    from nooble_codemod.model import FileStatus
    from nooble_codemod.engine.pipeline import Pipeline
    from nooble_codemod.settings import Settings

    pipeline = Pipeline(spec, Settings())
    pipeline.relevant = lambda *args: True
    counts = {s: 0 for s in FileStatus}
    for path in sorted(NODE_MODULES.rglob("*")):
        if not path.is_file() or language_of(path) != "typescript":
            continue
        raw = path.read_bytes()
        result = pipeline.process(path.name, raw, True)
        counts[result.status] += 1
        if result.status is FileStatus.CHANGED:
            again = pipeline.process(path.name, result.new, True)
            assert again.status is FileStatus.UNCHANGED, path
        elif result.status is FileStatus.FAILED:
            assert "syntax error at" in result.reason or "larger than" in result.reason, (path, result.reason)
    print(f"\nall rules on {sum(counts.values())} real TS/JS files: "
          + ", ".join(f"{n} {s.value}" for s, n in counts.items()))
    assert counts[FileStatus.UNCHANGED] > 400
