"""The byte prefilter: which files can matter at all, decided before parsing.

Each rule names words (Rule.words): a string is enough on its own; a tuple
needs all of its words in the file (a column that only matters on one table
needs the table's name too). A rule scoped to file names (Rule.file_patterns)
counts only for those files. Parsing is the cost of a run, so the narrower
this is while staying correct, the faster everything is.
"""

from __future__ import annotations

import fnmatch
from typing import Iterable

Word = str | tuple[str, ...]


class WordSet:
    def __init__(self, words: Iterable[Word]):
        singles: set[str] = set()
        groups: set[tuple[str, ...]] = set()
        for w in words:
            if isinstance(w, str):
                singles.add(w)
            elif len(set(w)) == 1:
                singles.add(w[0])
            else:
                # Longest first: the longer word is the rarer one, so `in` fails soonest.
                groups.add(tuple(sorted(set(w), key=lambda x: (-len(x), x))))
        # A group holding a single word is implied by it.
        self.groups = sorted(g for g in groups if not any(s in g for s in singles))
        # A word holding another single word adds nothing (p_tenant_id holds tenant_id). A few
        # `in` searches (CPython's fast search) beat one regex alternation by about two to one.
        self._singles = tuple(sorted(w.encode() for w in singles if not any(o != w and o in w for o in singles)))
        self._groups = [tuple(w.encode() for w in g) for g in self.groups]

    def __bool__(self) -> bool:
        return bool(self._singles) or bool(self._groups)

    def matches(self, raw: bytes) -> bool:
        if any(w in raw for w in self._singles):
            return True
        # Groups share words (a type name with each of its members): search each word once.
        seen: dict[bytes, bool] = {}
        for group in self._groups:
            for w in group:
                found = seen.get(w)
                if found is None:
                    found = seen[w] = w in raw
                if not found:
                    break
            else:
                return True
        return False


class Prefilter:
    """For one language: the words of the rules that apply to every file, and
    those of rules scoped to file names."""

    def __init__(self, rules, spec, settings):
        general: list[Word] = []
        self.scoped: list[tuple[tuple[str, ...], WordSet]] = []
        for rule in rules:
            words = rule.words(spec, settings)
            patterns = rule.file_patterns(spec)
            if patterns:
                self.scoped.append((patterns, WordSet(words)))
            else:
                general.extend(words)
        self.general = WordSet(general)

    def matches(self, path: str, raw: bytes) -> bool:
        if self.general.matches(raw):
            return True
        name = path.rsplit("/", 1)[-1]
        return any(ws.matches(raw) for patterns, ws in self.scoped if applies(patterns, name))


def applies(patterns: tuple[str, ...], name: str) -> bool:
    return not patterns or any(fnmatch.fnmatchcase(name, p) for p in patterns)
