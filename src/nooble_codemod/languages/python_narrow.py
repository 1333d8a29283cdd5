"""Python text narrowed to what the rules can see, before LibCST parses it.

LibCST's parse is most of the cost of a Python file, and in a file with an
old name most functions and classes usually have nothing to do with it. A
top-level `def` or `class` (with its decorators) is blanked — its lines,
with the blank and comment lines between it and the next blanked one,
become one comment line as long as they were, in characters — when its text
holds none of the words of the rules that run on the file, no kept code
mentions its name (a base class, a called helper, a decorator), and no rule
may import a name it binds. Every other statement (imports, assignments,
`if`/`try` blocks: the module's bindings) stays as written. Character
offsets are those of the original text (the rules count spans in them and
take lines from the original), so findings and edits computed on the
narrowed tree apply to the file as it is.

Rules opt in (Rule.local): a local rule's findings and fixes lie in, and
depend only on, statements holding its words, the names they mention, and
the module-level statements. The statement boundaries come from CPython's
own parser (`ast`, far cheaper than LibCST's); text it cannot parse is not
narrowed, and LibCST then says what is wrong with it.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass
from typing import Iterable

from nooble_codemod.languages._narrowing import unneeded

_IDENTIFIER = re.compile(r"\w+")
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class Narrowed:
    text: str  # the text with `spans` blanked
    spans: tuple[tuple[int, int], ...]  # character offsets, each one comment line


# A module's top-level defs and classes: (first line, end line, name), the
# first line 0-based and counting decorators, the end exclusive.
Outline = tuple[tuple[int, int, str], ...]


def outline(module: ast.Module) -> Outline:
    return tuple((min([s.lineno, *(d.lineno for d in s.decorator_list)]) - 1, s.end_lineno or s.lineno, s.name)
                 for s in module.body if isinstance(s, _DEFINITIONS))


def narrow(text: str, words: Iterable[str], names: Iterable[str] = (), given: Outline | None = None) -> Narrowed | None:
    """`text` with the definitions no rule can need blanked, or None when
    nothing would be blanked (or the text is not plain enough to outline).
    `given`: the text's outline, when something parsed it already (the
    project model)."""
    if "\r" in text.replace("\r\n", ""):
        return None  # a lone CR: ast and LibCST might not count its lines alike
    if given is None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # invalid escapes and the like: not ours to say
                given = outline(ast.parse(text))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
    lines = text.split("\n")
    words = tuple(words)
    candidates = []  # ((first line, end line), (name,)), 0-based, end exclusive
    for start, end, name in given:
        segment = "\n".join(lines[start:end])
        if not any(w in segment for w in words):
            candidates.append(((start, end), (name,)))
    if not candidates:
        return None
    candidate_lines = {i for (start, end), _ in candidates for i in range(start, end)}
    mentioned = set(names)
    mentioned.update(_IDENTIFIER.findall("\n".join(line for i, line in enumerate(lines) if i not in candidate_lines)))
    blanked = set()
    for start, end in unneeded(candidates, mentioned, lambda s: set(_IDENTIFIER.findall("\n".join(lines[s[0]:s[1]])))):
        blanked.update(range(start, end))
    if not blanked:
        return None
    # Blank lines and comment lines between two blanked definitions join
    # them: each is an EmptyLine node for LibCST, which costs about as much
    # as a statement. A comment holding a word stays (a rule may read it).
    def filler(line: str) -> bool:
        stripped = line.strip()
        return not stripped or stripped[0] == "#" and not any(w in stripped for w in words)

    for i in range(1, len(lines) - 1):
        if i not in blanked and i - 1 in blanked and filler(lines[i]):
            j = i
            while j < len(lines) and j not in blanked and filler(lines[j]):
                j += 1
            if j in blanked:
                blanked.update(range(i, j))
    # Each blanked run of lines becomes one comment line of the same length in
    # characters (the offsets the rules' spans are counted in): one node for
    # LibCST instead of a blank line per line, which its visitors walk too.
    spans = []
    i, n, at = 0, len(lines), 0
    while i < n:
        if i not in blanked:
            at += len(lines[i]) + 1
            i += 1
            continue
        j = i
        while j + 1 < n and j + 1 in blanked:
            j += 1
        width = sum(len(line) for line in lines[i:j + 1]) + (j - i)  # the newlines inside the run
        if lines[j].endswith("\r"):
            width -= 1  # the run's last CR stays before its LF
        if width:
            spans.append((at, at + width))
        at += sum(len(line) + 1 for line in lines[i:j + 1])
        i = j + 1
    return blank(text, spans) if spans else None


def blank(text: str, spans) -> Narrowed:
    """`text` with each span (one run of whole lines, its last line break
    excluded) made one comment line."""
    out, at = [], 0
    for start, end in spans:
        out.append(text[at:start])
        out.append("#" + " " * (end - start - 1))
        at = end
    out.append(text[at:])
    return Narrowed("".join(out), tuple(spans))
