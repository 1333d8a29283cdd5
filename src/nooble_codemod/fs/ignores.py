""".gitignore matching for the walk, with git's semantics and pathspec's parser.

pathspec's GitIgnoreSpec decides (negations, directory-only patterns, the
priority of a file pattern over a directory one); this module only avoids
asking it about paths no pattern can match, which is nearly every path:
each spec gets one compiled regex, the alternation of its patterns'
regexes, and a path that regex does not find is answered "no opinion"
without the per-pattern loop. A path it does find goes to pathspec as before,
so the answer is always pathspec's own.

A run with the result cache keeps pathspec's answers between runs
(ignore_memo.py), so that a warm run need not import it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pathspec


class SpecMemo(Protocol):
    """What the walk needs of a memo of pathspec's answers (ignore_memo.IgnoreMemo)."""

    dirty: bool

    def spec(self, lines: list[str]) -> "ScreenedSpec": ...

# (path of the walked folder relative to a .gitignore's folder + "/", that
# file's spec), outermost first: deeper files are consulted last, as git does.
Chain = tuple[tuple[str, "ScreenedSpec"], ...]

_NAMED_GROUP = re.compile(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>")


def _screen(spec: "pathspec.PathSpec") -> re.Pattern | None:
    """One regex matching wherever any pattern with an opinion matches, or
    None when one cannot be built (then every path is checked in full)."""
    parts = []
    for p in spec.patterns:
        if getattr(p, "include", None) is None:
            continue  # a comment or blank line
        regex = getattr(p, "regex", None)
        if not isinstance(regex, re.Pattern) or not isinstance(regex.pattern, str):
            return None
        if regex.flags & ~re.UNICODE:
            return None
        # The same group name in two alternatives is an error: groups only
        # matter to pathspec's own answer, not to whether anything matches.
        parts.append(f"(?:{_NAMED_GROUP.sub('(?:', regex.pattern)})")
    if not parts:
        return re.compile(r"(?!)")  # never matches
    try:
        return re.compile("|".join(parts))
    except re.error:
        return None


class ScreenedSpec:
    """A GitIgnoreSpec that answers quickly for paths none of its patterns match."""

    __slots__ = ("_spec", "_lines", "_search", "_known", "_used", "_memo")

    def __init__(self, spec: "pathspec.PathSpec | None", lines: list[str] | None = None, screen: str | None = None,
                 known: dict | None = None, memo: SpecMemo | None = None) -> None:
        """`spec`, or the `lines` it is built from on first need; `screen` (a
        regex source) and `known` (path -> verdict) remembered by `memo`."""
        self._spec, self._lines, self._memo = spec, lines, memo
        if spec is not None:
            pattern = _screen(spec)
            self._search = pattern.search if pattern is not None else None
        else:
            self._search = re.compile(screen).search if screen is not None else None
        # Without a screen every path is asked: nothing worth remembering.
        self._known = known if known is not None and self._search is not None else None
        self._used = {} if self._known is not None else None

    @classmethod
    def from_lines(cls, lines) -> "ScreenedSpec":
        import pathspec  # here: see the module's docstring

        return cls(pathspec.GitIgnoreSpec.from_lines(lines))

    @property
    def spec(self) -> "pathspec.PathSpec":
        if self._spec is None:
            import pathspec

            self._spec = pathspec.GitIgnoreSpec.from_lines(self._lines)
        return self._spec

    @property
    def screen(self) -> str | None:
        return self._search.__self__.pattern if self._search is not None else None

    def check(self, path: str) -> bool | None:
        """True: ignored (included by the patterns); False: re-included by a
        negation; None: no pattern says anything. `path` is POSIX and relative."""
        if self._search is not None and self._search(path) is None:
            return None
        used = self._used
        if used is None:
            return self.spec.check_file(path).include
        verdict = used.get(path, _UNKNOWN)
        if verdict is _UNKNOWN:
            verdict = self._known.get(path, _UNKNOWN)
            if verdict is _UNKNOWN:
                verdict = self.spec.check_file(path).include
                self._memo.dirty = True
            used[path] = verdict
        return verdict

    def matches(self, path: str) -> bool:
        """What GitIgnoreSpec.match_file says."""
        return bool(self.check(path))


_UNKNOWN = object()


def chain_ignores(chain: Chain, name: str, is_dir: bool) -> bool:
    """Whether the entry `name` of the folder `chain` belongs to is ignored:
    each .gitignore matches paths relative to its own folder, and the last
    one with an opinion wins (so a deeper negation re-includes)."""
    verdict = False
    tail = name + "/" if is_dir else name
    for prefix, spec in chain:
        result = spec.check(prefix + tail)
        if result is not None:
            verdict = result
    return verdict


class GitIgnores:
    """The .gitignore files read during one discovery, each read once."""

    def __init__(self, memo: SpecMemo | None = None) -> None:
        self._specs: dict[str, ScreenedSpec | None] = {}
        self.memo = memo

    def spec_of(self, folder: str) -> ScreenedSpec | None:
        """The spec of `folder`'s .gitignore, if it has one."""
        return self._spec_at(os.path.join(folder, ".gitignore"))

    def _spec_at(self, path: str) -> ScreenedSpec | None:
        if path not in self._specs:
            spec = None
            try:
                if os.path.isfile(path):
                    with open(path, encoding="utf-8", errors="replace") as fh:
                        lines = fh.read().splitlines()
                    spec = self.memo.spec(lines) if self.memo is not None else ScreenedSpec.from_lines(lines)
            except OSError:
                spec = None
            self._specs[path] = spec
        return self._specs[path]

    def above(self, root: Path, git_root: Path) -> Chain:
        """The chain of `root` from the repository's .git/info/exclude (git
        ranks it below every .gitignore, so it comes first) and the .gitignore
        files of the folders above it, up to and including `git_root` (the
        walk adds root's own)."""
        out = []
        if root == git_root or git_root in root.parents:
            exclude = self._spec_at(os.path.join(git_root, ".git", "info", "exclude"))
            if exclude is not None:
                out.append(("" if root == git_root else root.relative_to(git_root).as_posix() + "/", exclude))
        if root == git_root or git_root not in root.parents:
            return tuple(out)
        for folder in reversed(root.parents[:root.parents.index(git_root) + 1]):
            spec = self.spec_of(str(folder))
            if spec is not None:
                out.append((root.relative_to(folder).as_posix() + "/", spec))
        return tuple(out)

    def extend(self, chain: Chain, folder: str, entries: list[os.DirEntry]) -> Chain:
        """`chain` plus `folder`'s own .gitignore, if it has one (seen in its
        entries, so folders without one cost nothing)."""
        for e in entries:
            if e.name == ".gitignore":
                try:
                    spec = self.spec_of(folder) if e.is_file() else None
                except OSError:
                    spec = None
                return chain + (("", spec),) if spec is not None else chain
        return chain

    @staticmethod
    def descend(chain: Chain, name: str) -> Chain:
        """The chain of the sub-folder `name`."""
        return tuple((prefix + name + "/", spec) for prefix, spec in chain)
