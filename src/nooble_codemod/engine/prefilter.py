"""The byte prefilter: which files can matter at all, decided before parsing.

Each rule names words (Rule.words): a string is enough on its own; a tuple
needs all of its words in the file (a column that only matters on one table
needs the table's name too). A rule scoped to file names (Rule.file_patterns)
counts only for those files. Parsing is the cost of a run, so the narrower
this is while staying correct, the faster everything is.
"""

from __future__ import annotations

import fnmatch
from functools import cached_property
from typing import Iterable

from ahocorasick_rs import BytesAhoCorasick, Implementation, MatchKind

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
        self._single_words = frozenset(singles)
        self._group_words = [frozenset(g) for g in self.groups]
        # The group search chosen after LEARN files (matches()), and what it learns from.
        self._anchored: _Search | None = None
        self._screened = 0
        self._files_with: list[int] = []

    def __bool__(self) -> bool:
        return bool(self.words)

    @cached_property
    def _automaton(self) -> BytesAhoCorasick:
        # For found(): one pass of an Aho-Corasick automaton (ripgrep's
        # algorithm, in Rust) finds every word at once, about four times
        # faster than a search per word. Overlapping matches, so `Profile` is
        # found inside `ProfileLink` as `in` would find it.
        return BytesAhoCorasick([w.encode() for w in self.words], implementation=Implementation.DFA)

    # matches() is the prefilter's question for every file of a run. It uses
    # leftmost-longest automata, which the crate runs with a vectorised scan
    # (Teddy) that overlapping search cannot use: a Python file of the bench
    # is screened in half the time, a TypeScript one in seven eighths. One
    # for the single words: any match answers. One for the groups' words,
    # whose answer must be completed: leftmost matching reports neither a
    # word inside another it reports (`Profile` in `ProfileLink`: each word's
    # `within` adds those) nor one that overlaps it partly (`status` in
    # `profilestatus`: the `partners` of the words reported are looked for
    # directly, those that could decide).
    #
    # A group's common word (a column such as `user_id`, twenty times in a
    # file) costs the scan a match and a tuple at each place it stands, for
    # nothing when its partner (`BaseWidget`) is nowhere. So after the first
    # LEARN files the group search looks for one word of each group, the one
    # found in the fewest of them (its anchor), and for the others of a
    # group only when its anchor is there, with `in`. Which words are anchors
    # changes how fast the answer comes, never the answer.
    LEARN = 64

    @cached_property
    def _single_search(self) -> BytesAhoCorasick | None:
        singles = sorted(self._single_words)
        return BytesAhoCorasick([w.encode() for w in singles], matchkind=MatchKind.LeftmostLongest) if singles else None

    @cached_property
    def _group_search(self) -> "_Search | None":
        words = sorted({w for g in self.groups for w in g})
        return _Search(words, self.groups) if words else None

    def matches(self, raw: bytes) -> bool:
        singles = self._single_search
        if singles is not None and singles.find_matches_as_indexes(raw):
            return True
        anchored = self._anchored
        if anchored is not None:
            return anchored.matches_anchored(raw)
        search = self._group_search
        if search is None:
            return False
        answer, reported = search.matches(raw)
        self._learn(reported)
        return answer

    def _learn(self, reported: set[int]) -> None:
        search = self._group_search
        if not self._files_with:
            self._files_with = [0] * len(search.words)
        self._screened += 1
        for i in reported:
            self._files_with[i] += 1
        if self._screened >= self.LEARN:
            seen = dict(zip(search.words, self._files_with))
            # The rarest word of each group, the longer one of two as rare.
            anchors = [min(g, key=lambda w: (seen[w], -len(w), w)) for g in self.groups]
            self._anchored = _Search(sorted(set(anchors)), self.groups, anchors)

    def found(self, raw: bytes) -> frozenset[str]:
        """Which of the words `raw` holds (one pass for many word sets: holds())."""
        if not self.words:
            return frozenset()
        words = self.words
        return frozenset(words[i] for i in {i for i, _, _ in self._automaton.find_matches_as_indexes(
            raw, overlapping=True)})

    def holds(self, found: frozenset[str]) -> bool:
        """matches() for a text whose words (a superset of these) are `found`."""
        return not self._single_words.isdisjoint(found) or any(g <= found for g in self._group_words)


class Prefilter:
    """For one language: the words of the rules that apply to every file, and
    those of rules scoped to file names. `also`: words that let a file
    through besides the rules' (the engine's own marks, read in every file)."""

    def __init__(self, rules, spec, settings, also: tuple[str, ...] = ()):
        general: list[Word] = list(also)
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
        if not self.scoped:
            return False
        name = path.rsplit("/", 1)[-1]
        return any(ws.matches(raw) for patterns, ws in self.scoped if applies(patterns, name))


class _Search:
    """A leftmost-longest automaton over some of the groups' words, and what
    completes its answer exactly (see WordSet.matches)."""

    def __init__(self, words: list[str], groups: list[tuple[str, ...]], anchors: list[str] | None = None) -> None:
        self.words = words
        index = {w: i for i, w in enumerate(words)}
        self.encoded = encoded = [w.encode() for w in words]
        self.within = [frozenset(j for j, v in enumerate(encoded) if v in w) for w in encoded]
        # A word may hold another and still overlap it partly elsewhere: `bbab`
        # holds `ab`, and starts at the `b` of an `ab` reported in `abbab`.
        self.partners = [frozenset(j for j, v in enumerate(encoded) if j != i and _overlap(w, v))
                         for i, w in enumerate(encoded)]
        self.automaton = BytesAhoCorasick(encoded, matchkind=MatchKind.LeftmostLongest)
        if anchors is None:
            self.groups = [frozenset(index[w] for w in g) for g in groups]
        else:
            # anchor index -> the other words of each of its groups
            self.anchored: dict[int, list[tuple[bytes, ...]]] = {}
            for g, a in sorted(zip(groups, anchors)):
                self.anchored.setdefault(index[a], []).append(tuple(w.encode() for w in g if w != a))

    def _reported(self, raw: bytes) -> tuple[set[int], set[int], set[int]]:
        """(the words reported, those certainly in `raw`, those that may be)."""
        reported = {i for i, _, _ in self.automaton.find_matches_as_indexes(raw)}
        found: set[int] = set()
        maybe: set[int] = set()
        for i in reported:
            found |= self.within[i]
            maybe |= self.partners[i]
        return reported, found, maybe - found

    def matches(self, raw: bytes) -> tuple[bool, set[int]]:
        """Whether `raw` holds every word of a group, and the words reported."""
        reported, found, maybe = self._reported(raw)
        if not reported:
            return False, reported
        groups = self.groups
        if any(g <= found for g in groups):
            return True, reported
        if not maybe:
            return False, reported
        possible = found | maybe
        deciding: set[int] = set()
        for g in groups:
            if g <= possible:
                deciding |= g - found
        for j in deciding:
            if self.encoded[j] in raw:
                found |= self.within[j]
        return any(g <= found for g in groups), reported

    def matches_anchored(self, raw: bytes) -> bool:
        """Whether `raw` holds every word of a group, for a search over the
        groups' anchors: the others of a group are looked for when its
        anchor is there."""
        reported, found, maybe = self._reported(raw)
        if not reported:
            return False
        for j in maybe:
            if self.encoded[j] in raw:
                found |= self.within[j]
        anchored = self.anchored
        for anchor in found:
            for others in anchored.get(anchor, ()):
                if all(w in raw for w in others):
                    return True
        return False


def _overlap(a: bytes, b: bytes) -> bool:
    """Whether an end of `a` is a start of `b` (`BaseWidget`, `tenant_id`)."""
    return any(a.endswith(b[:k]) for k in range(1, min(len(a), len(b))))


def applies(patterns: tuple[str, ...], name: str) -> bool:
    return not patterns or any(fnmatch.fnmatchcase(name, p) for p in patterns)
