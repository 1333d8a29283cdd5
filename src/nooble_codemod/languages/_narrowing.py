"""What narrowing a file (python_narrow, typescript_narrow) shares: which of
the definitions that hold none of the rules' words are still needed."""

from __future__ import annotations

from typing import Callable, TypeVar

T = TypeVar("T")


def unneeded(candidates: list[tuple[T, tuple[str, ...]]], mentioned: set[str],
             identifiers: Callable[[T], set[str]]) -> list[T]:
    """The candidates (a span and the names its definition binds) that nothing
    kept mentions: a kept definition may name another (a base class, a helper,
    a decorator), which then mentions more, and so on. `mentioned` starts as
    the identifiers of the kept text; `identifiers(span)` gives a span's."""
    pending = list(candidates)
    grew = True
    while grew:
        grew = False
        for item in list(pending):
            span, names = item
            if any(n in mentioned for n in names):
                pending.remove(item)
                mentioned |= identifiers(span)
                grew = True
    return [span for span, _ in pending]


def after_edits(spans, edits) -> list[tuple[int, int]] | None:
    """The blanked spans moved to where they are once `edits` are applied, or
    None when an edit reaches into one (the text must then be narrowed
    afresh). A fix round's edits lie in what was kept, so the declarations
    blanked before are the same ones, at new offsets."""
    out = []
    for start, end in spans:
        shift = 0
        for e in edits:
            if e.start < end and e.end > start or start < e.start == e.end < end:
                return None
            if e.end <= start:
                shift += len(e.text.encode("utf-8")) - (e.end - e.start)
        out.append((start + shift, end + shift))
    return out
