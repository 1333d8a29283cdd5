"""The byte prefilter answers exactly what `in` would, however its words overlap."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from nooble_codemod.engine.pipeline import Pipeline
from nooble_codemod.engine.prefilter import WordSet
from nooble_codemod.settings import Settings

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def by_in(words, raw: bytes) -> bool:
    """What WordSet.matches means: any single word, or every word of a group."""
    return any(w.encode() in raw if isinstance(w, str) else all(x.encode() in raw for x in w) for w in words)


# Two letters: words overlap, hold one another and repeat in every way.
WORD = st.text("ab", min_size=1, max_size=4)
WORDS = st.lists(st.one_of(WORD, st.tuples(WORD, WORD), st.tuples(WORD, WORD, WORD)), min_size=1, max_size=6)


@settings(max_examples=400, deadline=None)
@given(WORDS, st.binary(max_size=12).map(lambda b: bytes(b"ab"[x % 2] for x in b)))
def test_matches_is_what_in_would_say(words, raw):
    ws = WordSet(words)
    assert ws.matches(raw) == by_in(words, raw)
    assert ws.holds(ws.found(raw)) == by_in(words, raw)


TEXT = st.binary(max_size=12).map(lambda b: bytes(b"ab"[x % 2] for x in b))


@settings(max_examples=300, deadline=None)
@given(WORDS, st.lists(TEXT, min_size=1, max_size=12), st.integers(0, 4))
def test_matches_stays_what_in_would_say_once_the_groups_anchors_are_chosen(words, texts, learn):
    # After `learn` files the group search looks for each group's rarest
    # word only, and for the rest of the group when that word is there.
    ws = WordSet(words)
    ws.LEARN = learn
    for raw in texts:
        assert ws.matches(raw) == by_in(words, raw)


def test_each_group_is_searched_by_the_word_found_in_fewest_files():
    ws = WordSet([("BaseWidget", "user_id"), ("insert", "widget_")])
    ws.LEARN = 3
    for raw in (b"user_id insert", b"user_id = 1", b"insert(user_id) widget_"):
        ws.matches(raw)
    assert ws._anchored is not None and ws._anchored.words == ["BaseWidget", "widget_"]
    assert ws.matches(b"BaseWidget.user_id") and not ws.matches(b"user_id insert")


def test_a_word_that_only_overlaps_a_longer_match_partly_is_still_found():
    # Leftmost-longest matching reports `BaseWidget` and skips the `tenant_id`
    # whose `t` it has taken.
    ws = WordSet(["tenant_id", ("BaseWidget", "status")])
    assert ws.matches(b"x = BaseWidgetenant_id")
    assert not ws.matches(b"x = BaseWidget")
    # ... and a group's last word hidden that way.
    assert WordSet([("BaseWidget", "getter")]).matches(b"BaseWidgetter")
    # ... even one that holds the word reported (`bbab` holds `ab`).
    assert WordSet([("ab", "bbab")]).matches(b"abbab")


def test_the_spec_s_word_sets_screen_the_sample_app_as_in_would(spec):
    p = Pipeline(spec, Settings())
    files = sorted(f for f in (FIXTURES / "sample-app").rglob("*.*") if f.suffix in (".py", ".ts", ".tsx"))
    assert files
    for lang in ("python", "typescript"):
        prefilter = p.prefilter[lang]
        sets = [prefilter.general] + [ws for _, ws in prefilter.scoped]
        for f in files:
            raw = f.read_bytes()
            for ws in sets:
                words = [*ws._single_words, *ws.groups]
                assert ws.matches(raw) == by_in(words, raw), (lang, f.name)
