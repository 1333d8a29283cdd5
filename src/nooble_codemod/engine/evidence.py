"""Evidence for the checklist: where an item's code, or its V6 shape,
stands in the files of a run.

An item with nothing done and nothing left for a human must still say
whether it is already V6 or does not apply (output/report.py), and say it
from something found, never by default. The spec names, per item, groups of
words a file holds together where that shows (`[checklist.X] evidence`,
and `anchors` for an item whose V6 shape is something added).

Proving that no file holds them needs every file's bytes, which only the
workers read: each file read is searched once for the evidence words of its
language (one leftmost-longest Aho-Corasick scan, completed exactly as the
prefilter's is), and its result carries the words it holds as a bit mask,
kept in the result cache too. After the run, each item with nothing found
is given the first file by path that holds one of its groups, read again to
be sure (Vocabulary: common words are only "may hold") and for the line.
"""

from __future__ import annotations

import heapq
from itertools import repeat

from nooble_codemod.engine.prefilter import _Search
from nooble_codemod.languages import language_of

EVIDENCE, ANCHOR = "evidence", "anchor"


class Vocabulary:
    """The evidence words of one language's files, each a bit of a mask.

    A word that most files hold (`user_id` in a back end) would cost the scan
    a match at each of its places, twenty times a file. So after the first
    LEARN files, the words found in more than a quarter of them are no longer
    looked for: their bits are set in every mask ("may hold"), and gather()
    reads the files it would cite to be sure. Which words those are changes
    how much is read at the end, never the answer."""

    LEARN = 64

    def __init__(self, spec, language: str | None) -> None:
        items = [it for it in spec.checklist.values() if it.evidence_in in ("", language)]
        self.words = sorted({w for it in items for g in (*it.evidence, *it.anchors) for w in g})
        self.bit = {w: 1 << i for i, w in enumerate(self.words)}
        self._search = _Search(self.words, []) if self.words else None
        self._indexes = list(range(len(self.words)))  # the words self._search looks for
        self._seen = [0] * len(self.words)
        self._screened = 0
        self._maybe = 0  # the bits of the words no longer looked for
        # item -> (evidence groups, anchor groups), each group a mask
        self.groups = {it.id: (tuple(self.mask_of(g) for g in it.evidence if g),
                               tuple(self.mask_of(g) for g in it.anchors if g)) for it in items}

    def mask_of(self, words) -> int:
        out = 0
        for w in words:
            out |= self.bit[w]
        return out

    def scan(self, raw: bytes) -> int:
        """The mask of the words `raw` holds (or may hold)."""
        search = self._search
        if search is None:
            return self._maybe
        reported, found, maybe = search._reported(raw)
        if reported:
            for j in maybe:
                if search.encoded[j] in raw:
                    found |= search.within[j]
        out = self._maybe
        indexes = self._indexes
        for i in found:
            out |= 1 << indexes[i]
        if self._screened < self.LEARN:
            self._learn(found)
        return out

    def _learn(self, found: set[int]) -> None:
        self._screened += 1
        for i in found:
            self._seen[self._indexes[i]] += 1
        if self._screened == self.LEARN:
            common = {i for i, n in enumerate(self._seen) if n * 4 > self.LEARN}
            self._indexes = [i for i in range(len(self.words)) if i not in common]
            self._maybe = sum(1 << i for i in common)
            kept = [self.words[i] for i in self._indexes]
            self._search = _Search(kept, []) if kept else None


class Vocabularies(dict):
    """A Vocabulary per language, made when first asked for."""

    def __init__(self, spec) -> None:
        super().__init__()
        self.spec = spec

    def __missing__(self, language):
        value = self[language] = Vocabulary(self.spec, language)
        return value

    def scan(self, path: str, raw: bytes) -> int:
        return self[language_of(path)].scan(raw)


def gather(spec, masks, pending, read) -> dict[str, tuple[str, str, int]]:
    """{item: (EVIDENCE or ANCHOR, path, line)} for the `pending` items:
    the first file by path that holds a group of the item's evidence, else,
    for an item that adds something, of its anchors; the line of the first
    place of one of the group's words. `masks`: (path, mask) of the run's
    files, from Vocabulary.scan; `read(path)`: a file's bytes, to be sure
    of what a mask says it may hold."""
    vocabularies = Vocabularies(spec)
    todo = set(pending) & set(spec.checklist)
    texts: dict[str, bytes | None] = {}

    def text(path: str) -> bytes | None:
        if path not in texts:
            try:
                texts[path] = read(path)
            except OSError:
                texts[path] = None
        return texts[path]

    def holds(path: str, vocabulary: Vocabulary, group: int) -> bytes | None:
        raw = text(path)
        words = [w.encode() for w in vocabulary.words if vocabulary.bit[w] & group]
        return raw if raw is not None and all(w in raw for w in words) else None

    # Files by (language, mask), in path order: a run has few distinct masks.
    by_mask: dict[tuple, list[str]] = {}
    for path, mask in sorted(masks):
        if mask:
            by_mask.setdefault((language_of(path), mask), []).append(path)

    def first(groups) -> tuple[str, int] | None:
        """The first file by path holding a group of `groups` ((language, group mask))."""
        lists = [(paths, vocabularies[language], g) for (language, mask), paths in by_mask.items()
                 for lang, g in groups if lang == language and mask & g == g]
        for path, vocabulary, g in heapq.merge(*[zip(paths, repeat(v), repeat(g)) for paths, v, g in lists],
                                               key=lambda c: c[0]):
            raw = holds(path, vocabulary, g)
            if raw is not None:
                return path, _line(raw, vocabulary, g)
        return None

    out: dict[str, tuple[str, str, int]] = {}
    languages = sorted({language for language, _ in by_mask}, key=str)
    for cid in sorted(todo):
        for kind, which in ((EVIDENCE, 0), (ANCHOR, 1)):
            groups = [(language, g) for language in languages
                      for g in vocabularies[language].groups.get(cid, ((), ()))[which]]
            hit = first(groups) if groups else None
            if hit is not None:
                out[cid] = (kind, *hit)
                break
    return out


def _line(raw: bytes, vocabulary: Vocabulary, group: int) -> int:
    """The line of the first place of one of the group's words."""
    words = [w.encode() for w in vocabulary.words if vocabulary.bit[w] & group]
    at = min((i for i in (raw.find(w) for w in words) if i >= 0), default=0)
    return raw.count(b"\n", 0, at) + 1
