"""A copy of the run's files for the checkers: the user's tree is written
only after the checkers passed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# Not copied: dependencies are linked (the checkers resolve imports through
# them), the rest is not source.
_LINKED = {"node_modules"}
_SKIPPED = {".git", ".venv", "venv", "__pycache__", ".nooble-codemod-cache", ".mypy_cache", ".pytest_cache"}


def common_base(paths: list[Path]) -> Path:
    folders = [p if p.is_dir() else p.parent for p in paths]
    return Path(os.path.commonpath([str(f) for f in folders]))


def copy_tree(base: Path, roots: list[Path], to: Path) -> None:
    """`roots` (under `base`) into `to`, at the same places relative to `base`;
    a node_modules above `base` is linked at `to` so imports resolve as before."""
    for root in roots:
        target = to / root.relative_to(base)
        if root.is_dir():
            _copy_dir(root, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root, target)
    for folder in (base, *base.parents):
        if (folder / "node_modules").is_dir():
            if not (to / "node_modules").exists():
                os.symlink(folder / "node_modules", to / "node_modules")
            break


def _copy_dir(src: Path, dst: Path) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    with os.scandir(src) as entries:
        for e in entries:
            if e.name in _SKIPPED:
                continue
            target = dst / e.name
            if target.exists() or target.is_symlink():
                continue  # a root inside another root
            if e.name in _LINKED and e.is_dir():
                os.symlink(e.path, target)
            elif e.is_dir(follow_symlinks=False):
                _copy_dir(Path(e.path), target)
            elif e.is_file():
                shutil.copy2(e.path, target)
