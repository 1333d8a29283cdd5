"""The GitHub Actions workflows of examples/ run as written: valid YAML, and
their nooble-codemod commands, run the way the runners would (the matrix,
the artifacts passed from job to job), give what one check gives."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT

EXAMPLES = ROOT / "examples"
TOOL = Path(sys.executable).parent / "nooble-codemod"


def shell(command: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True)


def runs(steps: list, **values) -> list[str]:
    """The nooble-codemod commands of `steps`, the ${{ … }} expressions filled in."""
    out = []
    for step in steps:
        command = step.get("run", "")
        if command.startswith("nooble-codemod "):
            out.append(re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: str(values[m.group(1)]), command))
    return out


def step(steps: list, uses: str) -> dict:
    (found,) = [s for s in steps if s.get("uses", "").startswith(uses)]
    return found


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yml")))
def test_examples_are_valid_workflows(name):
    doc = yaml.safe_load((EXAMPLES / name).read_text())
    assert doc["name"] and doc["jobs"]
    for job in doc["jobs"].values():
        assert job["runs-on"] and job["steps"]
        for s in job["steps"]:
            assert ("run" in s) != ("uses" in s), s


def test_the_sharded_workflow_runs_as_written(tmp_path):
    assert TOOL.exists(), "the tests run with the package installed (`pip install .`)"
    doc = yaml.safe_load((EXAMPLES / "github-actions-shards.yml").read_text())
    check, merge = doc["jobs"]["check"], doc["jobs"]["merge"]
    assert merge["needs"] == "check"
    env = {**os.environ, "PATH": f"{TOOL.parent}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}

    # The matrix: each runner a fresh checkout, its JSON uploaded.
    upload = step(check["steps"], "actions/upload-artifact@v4")
    download = step(merge["steps"], "actions/download-artifact@v4")["with"]
    assert download["merge-multiple"] is True
    artifacts = tmp_path / "artifacts"
    for shard in check["strategy"]["matrix"]["shard"]:
        runner = tmp_path / f"runner-{shard}"
        shutil.copytree(FIXTURES / "services-app", runner)
        commands = runs(check["steps"], **{"matrix.shard": shard})
        assert len(commands) == 1 and "--shard" in commands[0]
        for command in commands:
            done = shell(command, runner, env)
            assert done.returncode == 0, done.stderr  # findings: --exit-zero; the merge decides
        name = upload["with"]["name"].replace("${{ matrix.shard }}", str(shard))
        assert re.fullmatch(download["pattern"].replace("*", ".*"), name)
        produced = runner / upload["with"]["path"].replace("${{ matrix.shard }}", str(shard))
        (artifacts / name).mkdir(parents=True)
        shutil.copy(produced, artifacts / name)

    # The merge job: its checkout, the artifacts downloaded into one folder.
    merger = tmp_path / "merger"
    shutil.copytree(FIXTURES / "services-app", merger)
    into = merger / download["path"]
    into.mkdir()
    for folder in artifacts.iterdir():
        for f in folder.iterdir():
            shutil.copy(f, into)
    codes = [shell(command, merger, env) for command in runs(merge["steps"])]
    assert [c.returncode for c in codes] == [1, 0, 0], [c.stderr for c in codes]

    # What one check of the whole tree says.
    whole = tmp_path / "whole"
    shutil.copytree(FIXTURES / "services-app", whole)
    github = shell("nooble-codemod check . --format github --no-cache", whole, env)
    assert codes[0].stdout == github.stdout and github.returncode == 1
    markdown = shell("nooble-codemod check . --format markdown --no-cache", whole, env)
    assert (tmp_path / "summary.md").read_text() == markdown.stdout
    sarif = shell("nooble-codemod check . --format sarif --no-cache", whole, env)
    assert (merger / step(merge["steps"], "github/codeql-action/upload-sarif")["with"]["sarif_file"]).read_text() \
        == sarif.stdout
