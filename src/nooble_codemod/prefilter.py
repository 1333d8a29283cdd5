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

from ahocorasick_rs import BytesAhoCorasick, Implementation

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
                groups.add(tuple(sorted(set(w))))
        # A group holding a single word is implied by it.
        self.groups = sorted(g for g in groups if not any(s in g for s in singles))
        self.words = tuple(sorted(singles | {w for g in self.groups for w in g}))
        index = {w: i for i, w in enumerate(self.words)}
        self._singles = frozenset(index[w] for w in singles)
        self._groups = [frozenset(index[w] for w in g) for g in self.groups]
        self._single_words = frozenset(singles)
        self._group_words = [frozenset(g) for g in self.groups]
        # One pass of an Aho-Corasick automaton (ripgrep's algorithm, in Rust)
        # finds every word at once: about four times faster than a search per
        # word. Overlapping matches, so `Profile` is found inside `ProfileLink`
        # as `in` would find it.
        self._automaton = (BytesAhoCorasick([w.encode() for w in self.words], implementation=Implementation.DFA)
                           if self.words else None)

    def __bool__(self) -> bool:
        return self._automaton is not None

    def matches(self, raw: bytes) -> bool:
        if self._automaton is None:
            return False
        found = {i for i, _, _ in self._automaton.find_matches_as_indexes(raw, overlapping=True)}
        if not found:
            return False
        return not self._singles.isdisjoint(found) or any(g <= found for g in self._groups)

    def found(self, raw: bytes) -> frozenset[str]:
        """Which of the words `raw` holds (one pass for many word sets: holds())."""
        if self._automaton is None:
            return frozenset()
        words = self.words
        return frozenset(words[i] for i in {i for i, _, _ in self._automaton.find_matches_as_indexes(
            raw, overlapping=True)})

    def holds(self, found: frozenset[str]) -> bool:
        """matches() for a text whose words (a superset of these) are `found`."""
        return not self._single_words.isdisjoint(found) or any(g <= found for g in self._group_words)


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
