"""Which files a run looks at.

.gitignore-aware (pathspec's GitIgnoreSpec implements git's own matching,
nested .gitignore files included), skips dependency and build folders, and
returns files in a deterministic order. Symbolic links are never followed:
a linked file inside the tree is reached through its real path, and one that
points outside the given paths is reported and left alone.

The walk works on strings and os.scandir entries rather than pathlib
objects: a warm `check` spends much of its time here, and a Path object,
an lstat through pathlib and a pathspec call per .gitignore for every file
were most of that (ignores.py answers the last; figures in docs/performance.md).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Callable

from nooble_codemod.fs.ignore_memo import IgnoreMemo
from nooble_codemod.fs.ignores import Chain, GitIgnores, ScreenedSpec, chain_ignores
from nooble_codemod.languages import EXTENSIONS

# Folders no migration should look into: dependencies, virtualenvs, caches,
# build output, version control.
SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", "node_modules", "bower_components", ".venv", "venv", ".tox", ".nox",
    "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".nooble-codemod-cache",
    "dist", "build", "out", ".next", ".nuxt", ".svelte-kit", ".turbo", ".parcel-cache",
    "coverage", "site-packages", ".eggs",
})

_NAME = attrgetter("name")
# Where scandir takes a folder's file descriptor, entries are lstat'ed relative to it.
_FD_WALK = os.scandir in os.supports_fd
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass
class Discovered:
    # Absolute paths of the files found, as strings, sorted.
    paths: list[str] = field(default_factory=list)
    # (path, reason): things the user named or that stand in the tree but
    # were left alone for a reason worth telling.
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    # (path, reason): given paths that do not exist or cannot be read.
    errors: list[tuple[Path, str]] = field(default_factory=list)
    # path (as in `paths`) -> [mtime_ns, size] of each file found (what the result cache keys on).
    stamps: dict[str, list[int]] = field(default_factory=dict)

    @property
    def files(self) -> list[Path]:
        return [Path(p) for p in self.paths]


def has_source_extension(name: str) -> bool:
    """os.path.splitext(name)[1].lower() in EXTENSIONS, without its cost: the
    extension is what follows the last dot, when something other than dots
    comes before it (".ts" alone has no extension)."""
    dot = name.rfind(".")
    return dot > 0 and name[dot:].lower() in EXTENSIONS and name[:dot].lstrip(".") != ""


def _is_virtualenv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def _git_root(start: Path) -> Path | None:
    for p in (start, *start.parents):
        if (p / ".git").exists():
            return p
    return None


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink loop, say: os.walk counts it as a file too
        return False


class _Walk:
    """One discovery: the files found so far and what was left alone."""

    def __init__(self, out: Discovered, include: tuple[str, ...], exclude: tuple[str, ...],
                 real_roots: list[Path]) -> None:
        self.out = out
        self.include = ScreenedSpec.from_lines(include) if include else None
        self.exclude = ScreenedSpec.from_lines(exclude) if exclude else None
        self.real_roots = real_roots
        self.seen: set[tuple[int, int]] = set()
        # Told the files of each folder as soon as it is read (engine/run.py
        # starts analysing them while the walk goes on); how many it was told.
        self.on_files: Callable[[list[str], dict], None] | None = None
        self.told = 0

    def inside_roots(self, real: Path) -> bool:
        return any(real == r or r in real.parents for r in self.real_roots)

    def consider(self, path: str, rel: str, explicit: bool, st: os.stat_result | None = None) -> None:
        """A candidate file (its extension already checked): `st` is its lstat
        when the walk has it, `rel` its path relative to the walked root."""
        if st is None:
            try:
                st = os.lstat(path)
            except OSError as exc:
                self.out.skipped.append((Path(path), f"cannot read: {exc.strerror or exc}"))
                return
        mode = st.st_mode
        if stat.S_ISLNK(mode):
            real = Path(os.path.realpath(path))
            if explicit:  # named on the command line: say why it is not read
                self.out.skipped.append((Path(path), f"symbolic link to {real}; not followed (name the file itself "
                                                     "to migrate it)"))
            elif not self.inside_roots(real):
                self.out.skipped.append((Path(path), f"symbolic link to {real}, outside the given paths; not followed"))
            return  # inside: the real file is reached on its own
        if not stat.S_ISREG(mode):
            # A FIFO would block the read forever; a socket or device is not source.
            self.out.skipped.append((Path(path), "not a regular file (a FIFO, socket or device); not read"))
            return
        if not explicit:
            if self.exclude is not None and self.exclude.matches(rel):
                return
            if self.include is not None and not self.include.matches(rel):
                return
        key = (st.st_dev, st.st_ino)  # one file reached twice (overlapping paths) is one file
        if key not in self.seen:
            self.seen.add(key)
            self.out.paths.append(path)
            self.out.stamps[path] = [st.st_mtime_ns, st.st_size]

    def folder(self, root: str, chain: Chain | None, gitignores: GitIgnores | None) -> None:
        """Every file under `root`, depth first in name order (which of two
        hard links is kept depends on it), without recursion: a tree may be
        deeper than Python's stack."""
        stack: list[tuple[str, str, Chain | None]] = [(root, "", chain)]
        out, sep = self.out, os.sep
        while stack:
            here, prefix, chain = stack.pop()
            # The folder opened once and its entries listed and lstat'ed
            # relative to it (fstatat): the kernel then resolves one name per
            # file instead of its whole path.
            try:
                fd = os.open(here, _DIR_FLAGS) if _FD_WALK else None
            except OSError as exc:
                out.errors.append((Path(here), exc.strerror or str(exc)))
                continue
            try:
                try:
                    with os.scandir(here if fd is None else fd) as it:
                        entries = sorted(it, key=_NAME)
                except OSError as exc:
                    out.errors.append((Path(here), exc.strerror or str(exc)))
                    continue
                subfolders, chain = self.entries(here, prefix, chain, entries, gitignores)
            finally:
                if fd is not None:
                    os.close(fd)
            if self.on_files is not None and len(out.paths) > self.told:
                self.on_files(out.paths[self.told:], out.stamps)
                self.told = len(out.paths)
            # Depth first, in name order: push the last sub-folder first.
            for name in reversed(subfolders):
                stack.append((here + sep + name, prefix + name + "/",
                              GitIgnores.descend(chain, name) if chain else chain))

    def entries(self, here: str, prefix: str, chain: Chain | None, entries: list[os.DirEntry],
                gitignores: GitIgnores | None) -> tuple[list[str], Chain | None]:
        """The files of one folder, and (its sub-folders to walk, its chain).
        The loop over files is written out (no call per file but the lstat):
        it runs for every file of the tree, warm runs included."""
        out, exclude, include, seen = self.out, self.exclude, self.include, self.seen
        paths, stamps = out.paths, out.stamps
        sep, extensions, is_reg = os.sep, EXTENSIONS, stat.S_ISREG
        if gitignores is not None and chain is not None:
            chain = gitignores.extend(chain, here, entries)
        subfolders = []
        for entry in entries:
            name = entry.name
            if not entry.is_file(follow_symlinks=False):
                link = entry.is_symlink()
                if entry.is_dir(follow_symlinks=False) or (link and _is_dir(entry)):
                    if not link and name not in SKIP_DIRS and self.keep_folder(here + sep + name, prefix + name,
                                                                                chain):
                        subfolders.append(name)
                    continue
                # A link to a file (or a broken one), a FIFO, a socket: consider() says why not.
                if has_source_extension(name) and not (chain and chain_ignores(chain, name, False)):
                    self.consider(here + sep + name, prefix + name, False)
                continue
            # has_source_extension(name), written out
            dot = name.rfind(".")
            if dot <= 0 or name[dot:].lower() not in extensions or not name[:dot].lstrip("."):
                continue
            if chain and chain_ignores(chain, name, False):
                continue
            path = here + sep + name
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                out.skipped.append((Path(path), f"cannot read: {exc.strerror or exc}"))
                continue
            if not is_reg(st.st_mode) or include is not None or exclude is not None:
                self.consider(path, prefix + name, False, st)  # the general case
                continue
            key = (st.st_dev, st.st_ino)  # one file reached twice (overlapping paths) is one file
            if key not in seen:
                seen.add(key)
                paths.append(path)
                stamps[path] = [st.st_mtime_ns, st.st_size]
        return subfolders, chain

    def keep_folder(self, full: str, rel: str, chain: Chain | None) -> bool:
        """Whether the walk goes into this (real, not linked) folder."""
        if _is_virtualenv(full):
            return False
        if self.exclude is not None and self.exclude.matches(rel + "/"):
            return False
        return not (chain and chain_ignores(chain, rel.rpartition("/")[2], True))


def _ignored_folder(gitignores: GitIgnores, root: Path, git_root: Path) -> bool:
    """Is `root`, or a folder between it and `git_root`, ignored by the .gitignore files above it?"""
    if git_root not in root.parents:
        return False
    for folder in [*reversed(root.parents[:root.parents.index(git_root)]), root]:
        parent = folder.parent
        chain = gitignores.above(parent, git_root)
        own = gitignores.spec_of(str(parent))  # `above` leaves the folder's own to the walk
        if chain_ignores(chain + ((("", own),) if own is not None else ()), folder.name, True):
            return True
    return False


def discover(paths: list[Path], include: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
             respect_gitignore: bool = True,
             on_files: Callable[[list[str], dict], None] | None = None,
             ignore_memo: IgnoreMemo | None = None) -> Discovered:
    """The files under `paths`. `on_files(new paths, stamps)` is called after
    each folder the walk reads with the files it added (before the final sort);
    `ignore_memo`: pathspec's answers from earlier runs (ignore_memo.py)."""
    out = Discovered()
    roots = [Path(p).absolute() for p in paths]
    walk = _Walk(out, include, exclude, [Path(os.path.realpath(p)) for p in roots])
    walk.on_files = on_files
    gitignores = GitIgnores(ignore_memo) if respect_gitignore else None
    for given, root in zip(paths, roots):
        if not os.path.lexists(root):
            out.errors.append((given, "no such file or directory"))
            continue
        if root.is_file() or (root.is_symlink() and not root.is_dir()):
            if has_source_extension(root.name):
                rel = root.name  # relative to its own folder; only used by include/exclude, which it bypasses
                walk.consider(str(root), rel, explicit=True)
            else:
                out.skipped.append((root, "not a TypeScript, JavaScript or Python file"))
            continue
        if not root.is_dir():
            out.errors.append((given, "not a regular file or directory"))
            continue
        # Inside a repository its .gitignore files apply from its root down;
        # outside one, those found within the given folder still do. The
        # folder's own .gitignore is read by the walk, with its entries.
        chain = None
        if gitignores is not None:
            top = _git_root(root) or root
            # A folder named on the command line is walked even if a .gitignore
            # above it ignores it (as ruff does): then only its own .gitignore files apply.
            chain = gitignores.above(root, root if _ignored_folder(gitignores, root, top) else top)
        walk.folder(str(root), chain, gitignores)
    out.paths.sort()
    return out
