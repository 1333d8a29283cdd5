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
