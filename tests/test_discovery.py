"""File discovery: .gitignore, skipped folders, symlinks, include/exclude, order."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from nooble_codemod.fs.discovery import discover


def touch(root: Path, rel: str, text: str = "const x = 1;\n") -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    return p


def names(found, root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in found.files]


def test_extensions_and_deterministic_order(tmp_path):
    for rel in ("b.ts", "a.tsx", "c/d.py", "c/e.mts", "c/f.cts", "g.js", "h.jsx", "notes.md", "data.json"):
        touch(tmp_path, rel)
    found = discover([tmp_path])
    assert names(found, tmp_path) == ["a.tsx", "b.ts", "c/d.py", "c/e.mts", "c/f.cts", "g.js", "h.jsx"]


def test_dependency_build_and_virtualenv_folders_are_skipped(tmp_path):
    touch(tmp_path, "src/app.ts")
    for rel in ("node_modules/pkg/index.js", "dist/app.js", "build/app.js", ".git/hooks/x.py",
                "__pycache__/m.py", "env/lib/site.py"):
        touch(tmp_path, rel)
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n")  # a virtualenv under any name
    assert names(discover([tmp_path]), tmp_path) == ["src/app.ts"]


def test_gitignore_nested_and_negated(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    touch(tmp_path, ".gitignore", "generated/\n*.gen.ts\n")
    touch(tmp_path, "web/.gitignore", "!keep.gen.ts\nlocal.ts\n")
    for rel in ("generated/a.ts", "web/x.gen.ts", "web/keep.gen.ts", "web/local.ts", "web/app.ts", "api.py"):
        touch(tmp_path, rel)
    # Given a sub-folder, the repository's root .gitignore still applies.
    assert names(discover([tmp_path / "web"]), tmp_path) == ["web/app.ts", "web/keep.gen.ts"]
    assert names(discover([tmp_path]), tmp_path) == ["api.py", "web/app.ts", "web/keep.gen.ts"]


def test_include_and_exclude_globs(tmp_path):
    for rel in ("src/a.ts", "src/a.test.ts", "scripts/s.py", "src/legacy/old.ts"):
        touch(tmp_path, rel)
    found = discover([tmp_path], include=("src/",), exclude=("*.test.ts", "legacy/"))
    assert names(found, tmp_path) == ["src/a.ts"]


def test_a_file_named_explicitly_is_taken_even_if_excluded(tmp_path):
    f = touch(tmp_path, "src/a.test.ts")
    assert discover([f], exclude=("*.test.ts",)).files == [f]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_symlink_out_of_the_tree_is_reported_and_not_followed(tmp_path):
    outside = touch(tmp_path, "outside/secret.ts")
    tree = tmp_path / "tree"
    touch(tree, "a.ts")
    (tree / "link.ts").symlink_to(outside)
    (tree / "linkdir").symlink_to(outside.parent, target_is_directory=True)
    found = discover([tree])
    assert names(found, tree) == ["a.ts"]
    assert [(p.name, "outside the given paths" in why) for p, why in found.skipped] == [("link.ts", True)]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_symlink_inside_the_tree_is_reached_once_through_its_real_path(tmp_path):
    real = touch(tmp_path, "a.ts")
    (tmp_path / "alias.ts").symlink_to(real)
    found = discover([tmp_path])
    assert names(found, tmp_path) == ["a.ts"]
    assert found.skipped == []


def test_missing_path_is_an_error_and_the_rest_goes_on(tmp_path):
    touch(tmp_path, "a.ts")
    found = discover([tmp_path / "nope", tmp_path])
    assert [why for _, why in found.errors] == ["no such file or directory"]
    assert names(found, tmp_path) == ["a.ts"]


def test_the_same_file_given_twice_is_processed_once(tmp_path):
    f = touch(tmp_path, "a.ts")
    assert discover([tmp_path, f]).files == [f]


def test_git_info_exclude_is_honoured_below_every_gitignore(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".git" / "info").mkdir(exist_ok=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("scratch/\n*.local.ts\n")
    touch(tmp_path, "web/.gitignore", "!keep.local.ts\n")  # a .gitignore outranks info/exclude
    for rel in ("scratch/a.ts", "web/x.local.ts", "web/keep.local.ts", "web/app.ts"):
        touch(tmp_path, rel)
    assert names(discover([tmp_path]), tmp_path) == ["web/app.ts", "web/keep.local.ts"]
    assert names(discover([tmp_path / "web"]), tmp_path) == ["web/app.ts", "web/keep.local.ts"]


def test_a_symlink_named_explicitly_is_reported(tmp_path):
    real = touch(tmp_path, "real.ts")
    (tmp_path / "link.ts").symlink_to(real)
    found = discover([tmp_path / "link.ts"])
    assert found.files == []
    assert [(p.name, why.split(";")[0]) for p, why in found.skipped] == [("link.ts", f"symbolic link to {real}")]
