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
