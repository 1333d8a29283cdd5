"""Which files a run looks at.

.gitignore-aware (pathspec's GitIgnoreSpec implements git's own matching,
nested .gitignore files included), skips dependency and build folders, and
returns files in a deterministic order. Symbolic links are never followed:
a linked file inside the tree is reached through its real path, and one that
points outside the given paths is reported and left alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from nooble_codemod.languages import EXTENSIONS

# Folders no migration should look into: dependencies, virtualenvs, caches,
# build output, version control.
SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", "node_modules", "bower_components", ".venv", "venv", ".tox", ".nox",
    "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".nooble-codemod-cache",
    "dist", "build", "out", ".next", ".nuxt", ".svelte-kit", ".turbo", ".parcel-cache",
    "coverage", "site-packages", ".eggs",
})


@dataclass
class Discovered:
    files: list[Path] = field(default_factory=list)
    # (path, reason): things the user named or that stand in the tree but
    # were left alone for a reason worth telling.
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    # (path, reason): given paths that do not exist or cannot be read.
    errors: list[tuple[Path, str]] = field(default_factory=list)


def _is_virtualenv(path: Path) -> bool:
    return (path / "pyvenv.cfg").is_file()


def _git_root(start: Path) -> Path | None:
    for p in (start, *start.parents):
        if (p / ".git").exists():
            return p
    return None


class _Ignores:
    """The .gitignore files that apply to a folder, from the repository root down."""

    def __init__(self) -> None:
        self._cache: dict[Path, pathspec.PathSpec | None] = {}

    def _spec_for(self, folder: Path) -> pathspec.PathSpec | None:
        if folder not in self._cache:
            spec = None
            gi = folder / ".gitignore"
            try:
                if gi.is_file():
                    spec = pathspec.GitIgnoreSpec.from_lines(gi.read_text(encoding="utf-8", errors="replace").splitlines())
            except OSError:
                spec = None
            self._cache[folder] = spec
        return self._cache[folder]

    def ignored(self, path: Path, is_dir: bool, stop_at: Path | None) -> bool:
        # Each .gitignore matches paths relative to its own folder; deeper
        # files are consulted last, as git does (their negations win).
        folders = []
        for parent in path.parents:
            folders.append(parent)
            if stop_at is None or parent == stop_at:
                break
        verdict = False
        for folder in reversed(folders):
            spec = self._spec_for(folder)
            if spec is None:
                continue
            rel = path.relative_to(folder).as_posix() + ("/" if is_dir else "")
            result = spec.check_file(rel)
            if result.include is not None:
                verdict = result.include
        return verdict


def discover(paths: list[Path], include: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
             respect_gitignore: bool = True) -> Discovered:
    out = Discovered()
    include_spec = pathspec.GitIgnoreSpec.from_lines(include) if include else None
    exclude_spec = pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None
    ignores = _Ignores()
    roots = [p.absolute() for p in paths]
    real_roots = [Path(os.path.realpath(p)) for p in roots]
    seen: set[Path] = set()

    def inside_roots(real: Path) -> bool:
        return any(real == r or r in real.parents for r in real_roots)

    def consider(path: Path, root: Path, explicit: bool) -> None:
        if path.suffix.lower() not in EXTENSIONS:
            if explicit:
                out.skipped.append((path, "not a TypeScript, JavaScript or Python file"))
            return
        if path.is_symlink():
            real = Path(os.path.realpath(path))
            if not inside_roots(real):
                out.skipped.append((path, f"symbolic link to {real}, outside the given paths; not followed"))
            return  # inside: the real file is reached on its own
        if not path.is_file():
            # A FIFO would block the read forever; a socket or device is not source.
            out.skipped.append((path, "not a regular file (a FIFO, socket or device); not read"))
            return
        rel = path.relative_to(root).as_posix() if path != root else path.name
        if exclude_spec and exclude_spec.match_file(rel) and not explicit:
            return
        if include_spec and not include_spec.match_file(rel) and not explicit:
            return
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            out.files.append(path)

    for given, root in zip(paths, roots):
        if not os.path.lexists(root):
            out.errors.append((given, "no such file or directory"))
            continue
        if root.is_file() or (root.is_symlink() and not root.is_dir()):
            consider(root, root.parent, explicit=True)
            continue
        if not root.is_dir():
            out.errors.append((given, "not a regular file or directory"))
            continue
        # Inside a repository its .gitignore files apply from its root down;
        # outside one, those found within the given folder still do.
        git_root = (_git_root(root) or root) if respect_gitignore else None
        for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: out.errors.append((Path(e.filename), e.strerror or str(e)))):
            here = Path(dirpath)
            kept = []
            for d in sorted(dirnames):
                full = here / d
                if d in SKIP_DIRS or full.is_symlink() or _is_virtualenv(full):
                    continue
                if exclude_spec and exclude_spec.match_file(full.relative_to(root).as_posix() + "/"):
                    continue
                if git_root and ignores.ignored(full, True, git_root):
                    continue
                kept.append(d)
            dirnames[:] = kept
            for name in sorted(filenames):
                full = here / name
                if git_root and ignores.ignored(full, False, git_root):
                    continue
                consider(full, root, explicit=False)
    out.files.sort(key=lambda p: p.as_posix())
    return out
