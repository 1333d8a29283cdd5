""".gitignore matching for the walk, with git's semantics and pathspec's parser.

pathspec's GitIgnoreSpec decides (negations, directory-only patterns, the
priority of a file pattern over a directory one); this module only avoids
asking it about paths no pattern can match, which is nearly every path:
each spec gets one compiled regex, the alternation of its patterns'
regexes, and a path that regex does not find is answered "no opinion"
without the per-pattern loop. A path it does find goes to pathspec as before,
so the answer is always pathspec's own.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pathspec

# (path of the walked folder relative to a .gitignore's folder + "/", that
# file's spec), outermost first: deeper files are consulted last, as git does.
Chain = tuple[tuple[str, "ScreenedSpec"], ...]

_NAMED_GROUP = re.compile(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>")


def _screen(spec: pathspec.PathSpec) -> re.Pattern | None:
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

    __slots__ = ("spec", "_search")

    def __init__(self, spec: pathspec.PathSpec) -> None:
        self.spec = spec
        screen = _screen(spec)
        self._search = screen.search if screen is not None else None

    @classmethod
    def from_lines(cls, lines) -> "ScreenedSpec":
        return cls(pathspec.GitIgnoreSpec.from_lines(lines))

    def check(self, path: str) -> bool | None:
        """True: ignored (included by the patterns); False: re-included by a
        negation; None: no pattern says anything. `path` is POSIX and relative."""
        if self._search is not None and self._search(path) is None:
            return None
        return self.spec.check_file(path).include

    def matches(self, path: str) -> bool:
        """What GitIgnoreSpec.match_file says."""
        return bool(self.check(path))


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

    def __init__(self) -> None:
        self._specs: dict[str, ScreenedSpec | None] = {}

    def spec_of(self, folder: str) -> ScreenedSpec | None:
        if folder not in self._specs:
            spec = None
            gi = os.path.join(folder, ".gitignore")
            try:
                if os.path.isfile(gi):
                    with open(gi, encoding="utf-8", errors="replace") as fh:
                        spec = ScreenedSpec.from_lines(fh.read().splitlines())
            except OSError:
                spec = None
            self._specs[folder] = spec
        return self._specs[folder]

    def above(self, root: Path, git_root: Path) -> Chain:
        """The chain of `root` from the .gitignore files of the folders above
        it, up to and including `git_root` (the walk adds root's own)."""
        if root == git_root or git_root not in root.parents:
            return ()
        out = []
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
