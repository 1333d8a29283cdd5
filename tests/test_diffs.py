"""--diff output must be accepted by `git apply`, byte for byte."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from nooble_codemod.output.diffs import unified_diff

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.mark.parametrize("old,new", [
    ("a\nb\nc\n", "a\nB\nc\n"),
    ("a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n"),  # CRLF
    ("a\nb\nc", "a\nb\nC"),  # no final newline
    ("a\nb\nc", "a\nb\nc\n"),  # final newline added
    ("x\fy\nold\n", "x\fy\nnew\n"),  # form feed is not a line break for git
])
def test_git_apply_accepts_the_diff(tmp_path, old, new):
    target = tmp_path / "src" / "f.ts"
    target.parent.mkdir()
    target.write_bytes(old.encode())
    patch = tmp_path / "p.diff"
    patch.write_bytes(unified_diff("src/f.ts", old, new).encode())
    subprocess.run(["git", "apply", "--whitespace=nowarn", str(patch)], cwd=tmp_path, check=True)
    assert target.read_bytes() == new.encode()


def test_no_change_gives_no_diff():
    assert unified_diff("f.ts", "a\n", "a\n") == ""


V5_PY = 'def f(client, tenant_id):\n    return client.table("conversations").eq("tenant_id", tenant_id)\n'


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_diff_made_in_a_subfolder_applies_from_anywhere_in_the_repository(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from nooble_codemod.cli.app import app

    _git("init", "-q", cwd=tmp_path)
    sub = tmp_path / "backend" / "api"
    sub.mkdir(parents=True)
    (sub / "a.py").write_text(V5_PY)
    monkeypatch.chdir(sub)
    res = CliRunner().invoke(app, ["apply", ".", "--diff", "--no-cache"])
    assert "diff --git a/backend/api/a.py b/backend/api/a.py" in res.stdout
    patch = tmp_path / "x.patch"
    patch.write_text(res.stdout)
    _git("apply", str(patch), cwd=sub)  # git apply takes paths from the root, wherever it runs
    assert "user_id" in (sub / "a.py").read_text()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_newline_in_a_file_name_is_quoted_as_git_does(tmp_path):
    from nooble_codemod.output.diffs import git_name

    name = 'odd\nna"me.py'
    assert git_name(f"a/{name}") == '"a/odd\\nna\\"me.py"'
    _git("init", "-q", cwd=tmp_path)
    (tmp_path / name).write_text("x = 1\n")
    (tmp_path / "plain.py").write_text("y = 1\n")
    diff = unified_diff(name, "x = 1\n", "x = 2\n") + unified_diff("plain.py", "y = 1\n", "y = 2\n")
    (tmp_path / "p.patch").write_text(diff)
    _git("apply", "p.patch", cwd=tmp_path)
    assert (tmp_path / name).read_text() == "x = 2\n" and (tmp_path / "plain.py").read_text() == "y = 2\n"
