"""The pre-commit hooks, run by the real pre-commit (`pre-commit try-repo`
against this repository) in a throwaway git repository holding a V5 file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

V5 = """import { supabase } from './supabase';

export async function list(tenantId: string) {
    return supabase.from('conversations').select('*').eq('tenant_id', tenantId);
}
"""


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pre_commit_home():
    # Kept between runs (git-ignored): the hook's environment is built once per machine.
    home = ROOT / ".pre-commit-cache"
    home.mkdir(exist_ok=True)
    return home


def _try_repo(repo: Path, hook: str, home: Path):
    pre_commit = Path(sys.executable).with_name("pre-commit")
    assert pre_commit.exists(), "pre-commit is a test dependency: `make test` installs it"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(PRE_COMMIT_HOME=str(home), NO_COLOR="1")
    return subprocess.run([str(pre_commit), "try-repo", str(ROOT), hook, "--files", "app.ts", "--color", "never"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def test_the_check_hook_fails_on_v5_and_passes_after_the_apply_hook(tmp_path, pre_commit_home):
    if not (ROOT / ".git").exists():
        pytest.fail("pre-commit try-repo needs this project as a git repository (a clone, not an export)")
    repo = tmp_path / "project"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "t@example.com")
    _git(repo, "config", "user.name", "t")
    (repo / "app.ts").write_text(V5)
    _git(repo, "add", "app.ts")
    _git(repo, "commit", "-qm", "v5")

    failed = _try_repo(repo, "nooble-codemod-check", pre_commit_home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout and "app.ts:3:" in failed.stdout and "FE-1" in failed.stdout

    fixed = _try_repo(repo, "nooble-codemod-apply", pre_commit_home)
    assert "files were modified by this hook" in fixed.stdout, fixed.stdout + fixed.stderr
    assert "tenant" not in (repo / "app.ts").read_text()

    passed = _try_repo(repo, "nooble-codemod-check", pre_commit_home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
