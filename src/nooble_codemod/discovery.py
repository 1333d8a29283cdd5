"""Which files a run looks at.

.gitignore-aware (pathspec's GitIgnoreSpec implements git's own matching,
nested .gitignore files included), skips dependency and build folders, and
returns files in a deterministic order. Symbolic links are never followed:
a linked file inside the tree is reached through its real path, and one that
points outside the given paths is reported and left alone.
"""

from __future__ import annotations

import os
import stat
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
    # path -> [mtime_ns, size] of each file found (what the result cache keys on).
    stamps: dict[Path, list[int]] = field(default_factory=dict)


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
        self._chains: dict[tuple, list] = {}

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

    def chain(self, folder: Path, stop_at: Path | None) -> list[tuple[str, pathspec.PathSpec]]:
        """(path of `folder` relative to each .gitignore's folder, that file's
        spec), outermost first; computed once per folder of the walk."""
        key = (folder, stop_at)
        if key not in self._chains:
            folders = [folder]
            for parent in folder.parents:
                if stop_at is None or folder == stop_at:
                    break
                folders.append(parent)
                if parent == stop_at:
                    break
            out = []
            for f in reversed(folders):
                spec = self._spec_for(f)
                if spec is not None:
                    rel = folder.relative_to(f).as_posix()
                    out.append(("" if rel == "." else rel + "/", spec))
            self._chains[key] = out
        return self._chains[key]

    @staticmethod
    def ignored_in(chain, name: str, is_dir: bool) -> bool:
        # Each .gitignore matches paths relative to its own folder; deeper
        # files are consulted last, as git does (their negations win).
        verdict = False
        for prefix, spec in chain:
            result = spec.check_file(prefix + name + ("/" if is_dir else ""))
            if result.include is not None:
                verdict = result.include
        return verdict

    def ignored(self, path: Path, is_dir: bool, stop_at: Path | None) -> bool:
        return self.ignored_in(self.chain(path.parent, stop_at), path.name, is_dir)


def discover(paths: list[Path], include: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
             respect_gitignore: bool = True) -> Discovered:
    out = Discovered()
    include_spec = pathspec.GitIgnoreSpec.from_lines(include) if include else None
    exclude_spec = pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None
    ignores = _Ignores()
    roots = [p.absolute() for p in paths]
    real_roots = [Path(os.path.realpath(p)) for p in roots]
    seen: set[tuple[int, int]] = set()

    def inside_roots(real: Path) -> bool:
        return any(real == r or r in real.parents for r in real_roots)

    def consider(path: Path, root: Path, explicit: bool, rel: str | None = None) -> None:
        if os.path.splitext(path.name)[1].lower() not in EXTENSIONS:
            if explicit:
                out.skipped.append((path, "not a TypeScript, JavaScript or Python file"))
            return
        try:
            st = os.lstat(path)
        except OSError as exc:
            out.skipped.append((path, f"cannot read: {exc.strerror or exc}"))
            return
        if stat.S_ISLNK(st.st_mode):
            real = Path(os.path.realpath(path))
            if not inside_roots(real):
                out.skipped.append((path, f"symbolic link to {real}, outside the given paths; not followed"))
            return  # inside: the real file is reached on its own
        if not stat.S_ISREG(st.st_mode):
            # A FIFO would block the read forever; a socket or device is not source.
            out.skipped.append((path, "not a regular file (a FIFO, socket or device); not read"))
            return
        if rel is None:
            rel = path.relative_to(root).as_posix() if path != root else path.name
        if exclude_spec and exclude_spec.match_file(rel) and not explicit:
            return
        if include_spec and not include_spec.match_file(rel) and not explicit:
            return
        key = (st.st_dev, st.st_ino)  # one file reached twice (overlapping paths) is one file
        if key not in seen:
            seen.add(key)
            out.files.append(path)
            out.stamps[path] = [st.st_mtime_ns, st.st_size]

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
            here_rel = here.relative_to(root).as_posix()
            prefix = "" if here_rel == "." else here_rel + "/"
            chain = ignores.chain(here, git_root) if git_root else []
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
                if os.path.splitext(name)[1].lower() not in EXTENSIONS:
                    continue
                if chain and ignores.ignored_in(chain, name, False):
                    continue
                consider(here / name, root, explicit=False, rel=prefix + name)
    out.files.sort(key=lambda p: p.as_posix())
    return out
