"""`check --since REF` in a real git repository: the files a pull request
touches (committed since the merge base, modified, staged, untracked; not
deleted), each with the findings a full run gives it."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES
from nooble_codemod.cli.app import app

runner = CliRunner()


def git(*args, cwd):
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=cwd, check=True,
                   capture_output=True)


def check(*args):
    res = runner.invoke(app, ["check", *args])
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """The services app committed on main, then a branch that changes it."""
    shutil.copytree(FIXTURES / "services-app", tmp_path / "repo")
    root = tmp_path / "repo"
    git("init", "-q", "-b", "main", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-qm", "V5", cwd=root)
    git("checkout", "-qb", "feature", cwd=root)
    monkeypatch.chdir(root)
    return root


def findings(*args):
    code, out, err = check(".", "--format", "json", "--no-cache", *args)
    assert code in (0, 1), err
    return json.loads(out)["findings"]


def test_since_reports_the_changed_files_as_a_full_run_does(repo):
    sessions = repo / "backend/chat_service/sessions.py"
    sessions.write_text(sessions.read_text() + "# touched on the branch\n")
    git("commit", "-qam", "committed on the branch", cwd=repo)
    widgets = repo / "frontend/src/types/widgets.ts"
    widgets.write_text(widgets.read_text() + "// not committed\n")  # modified in the work tree
    shutil.copy(repo / "backend/chat_service/auth.py", repo / "backend/chat_service/auth_copy.py")  # untracked
    models = repo / "backend/common/models.py"
    models.write_text(models.read_text() + "# staged\n")
    git("add", str(models), cwd=repo)
    git("rm", "-q", "backend/ingest_service/audit.py", cwd=repo)  # deleted: nothing to check
    changed = {"backend/chat_service/sessions.py", "frontend/src/types/widgets.ts",
               "backend/chat_service/auth_copy.py", "backend/common/models.py"}

    everything = findings()
    got = findings("--since", "main")
    assert got == [f for f in everything if f["path"] in changed]
    assert {f["path"] for f in got} == changed  # each of them holds V5 references
    # A group spanning files is decided over the whole tree: sites in files not
    # changed still decide it (the same group ids as the full run's).
    assert any(f.get("group") for f in got)
    # The merge base, not main's tip: a commit on main since does not count.
    other = repo.parent / "main-tree"
    git("worktree", "add", "-q", str(other), "main", cwd=repo)
    (other / "backend/chat_service/auth.py").write_text("tenant_id = 1\n")
    git("commit", "-qam", "main moves on", cwd=other)
    git("worktree", "remove", str(other), cwd=repo)
    assert findings("--since", "main") == got


def test_nothing_changed_is_a_clean_check(repo):
    code, out, _ = check(".", "--since", "main", "--no-cache")
    assert code == 0 and "No V5 references found" in out


def test_since_output_is_not_a_replay_of_another_set_of_files(repo):
    """The output replay keys on the files selected: a change of what git
    says changed gives a new output, even with every file's bytes as they were."""
    a = repo / "backend/chat_service/sessions.py"
    a.write_text(a.read_text() + "# one\n")
    first = findings("--since", "main")
    code, out, _ = check(".", "--format", "json", "--since", "main")
    assert json.loads(out)["findings"] == first
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "one", cwd=repo)
    git("branch", "-f", "main", "HEAD", cwd=repo)  # main now holds it: nothing changed since
    code, out, _ = check(".", "--format", "json", "--since", "main")
    assert code == 0 and json.loads(out)["findings"] == []


def test_since_errors_are_clear(repo, tmp_path, monkeypatch):
    code, _, err = check(".", "--since", "no-such-branch")
    assert code == 2 and "--since no-such-branch: no such commit, branch or tag" in " ".join(err.split())
    outside = tmp_path / "plain"
    shutil.copytree(FIXTURES / "services-app", outside)
    monkeypatch.chdir(outside)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, _, err = check(".", "--since", "main")
    assert code == 2 and "is not in a git work tree" in " ".join(err.split())
