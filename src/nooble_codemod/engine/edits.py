"""Applying byte-range edits, and choosing fixes that do not overlap."""

from __future__ import annotations

from typing import Iterable

from nooble_codemod.model import Edit, Finding


class EditConflict(Exception):
    pass


def _overlap(a: Edit, b: Edit) -> bool:
    if a == b:
        return False
    if a.start == a.end == b.start == b.end:
        return True  # two insertions at one point: their order would be a guess
    return a.start < b.end and b.start < a.end


def choose_fixes(findings: Iterable[Finding]) -> list[Finding]:
    """Fixes whose edits overlap no fix chosen before them (in source order).
    The rest wait for the next round, when the rules run on the new text."""
    chosen: list[Finding] = []
    taken: list[Edit] = []
    for f in sorted(findings, key=lambda f: (f.fix.span, f.rule, f.message)):
        if any(_overlap(e, t) for e in f.fix.edits for t in taken):
            continue
        chosen.append(f)
        taken.extend(f.fix.edits)
    return chosen


def apply_edits(data: bytes, edits: Iterable[Edit]) -> bytes:
    """Apply non-overlapping edits (identical duplicates are applied once)."""
    ordered = sorted(set(edits))
    out: list[bytes] = []
    pos = 0
    for e in ordered:
        if e.start < pos:
            raise EditConflict(f"overlapping edits at byte {e.start}")
        if not (0 <= e.start <= e.end <= len(data)):
            raise EditConflict(f"edit {e.start}-{e.end} outside the text (length {len(data)})")
        out.append(data[pos:e.start])
        out.append(e.text.encode("utf-8"))
        pos = e.end
    out.append(data[pos:])
    return b"".join(out)
