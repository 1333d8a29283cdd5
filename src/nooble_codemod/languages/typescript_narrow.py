"""TypeScript narrowed to what the rules can see, before the rules walk it.

tree-sitter parses fast; the rules' queries and chain walks over every node
are the cost. A top-level declaration (function, class, interface, type,
enum, const/let/var, also under `export`) is blanked when its text holds
none of the words of the rules that run on the file and no kept code
mentions a name it declares; the text is then parsed again. Blanking keeps
every byte offset and line: the declaration's first byte becomes `;` (an
empty statement, so automatic semicolon insertion cannot join the
statements around it) and every other byte but a newline a space. Imports,
expression statements, comments and everything else stay as written.
Rules opt in with Rule.local, as for Python (python_narrow.py).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable

from nooble_codemod.languages._narrowing import unneeded

_IDENTIFIER = re.compile(rb"[A-Za-z_$][\w$]*")
_NAMED = {"function_declaration", "generator_function_declaration", "class_declaration",
          "abstract_class_declaration", "interface_declaration", "type_alias_declaration", "enum_declaration"}
_VARIABLES = {"lexical_declaration", "variable_declaration"}
_BLANK = bytes(b if b in (0x0A, 0x0D) else 0x20 for b in range(256))


def _declared(node) -> tuple[str, ...] | None:
    """The names a top-level declaration binds, or None when it is not one
    narrowing may blank."""
    if node.type == "export_statement":
        decl = node.child_by_field_name("declaration")
        return _declared(decl) if decl is not None else None
    if node.type in _NAMED:
        name = node.child_by_field_name("name")
        return (name.text.decode("utf-8", "replace"),) if name is not None else None
    if node.type in _VARIABLES:
        names = []
        stack = [d.child_by_field_name("name") for d in node.named_children if d.type == "variable_declarator"]
        while stack:
            n = stack.pop()
            if n is None:
                continue
            if n.type in ("identifier", "shorthand_property_identifier_pattern"):
                names.append(n.text.decode("utf-8", "replace"))
            else:
                stack.extend(n.named_children)
        return tuple(names)
    return None


# Top-level statements that cannot declare a module-level variable.
_NO_BINDINGS = {"comment", "import_statement", "expression_statement", "export_statement", "empty_statement"}


@dataclass(frozen=True)
class Narrowed:
    data: bytes  # the text with `spans` blanked
    spans: tuple[tuple[int, int], ...]


def narrow(tree, data: bytes, words: Iterable[str], context: dict[str, set[str]] | None = None) -> Narrowed | None:
    """`data` with the declarations no rule can need blanked, or None when
    nothing would be blanked. `context`: {name: words} wanted too when a
    top-level statement declares `name` (Rule.context_words)."""
    statements = [(stmt, _declared(stmt)) for stmt in tree.root_node.children]
    wanted = set(words)
    for name, more in (context or {}).items():
        if any(name in names if names is not None
               else stmt.type not in _NO_BINDINGS and name.encode() in data[stmt.start_byte:stmt.end_byte]
               for stmt, names in statements):
            wanted |= more
    # Which statements hold a word: each occurrence of a word located among
    # the statements (sorted, apart), instead of a search per statement and word.
    starts = [stmt.start_byte for stmt, _ in statements]
    holding = set()
    for word in wanted:
        w = word.encode()
        at = data.find(w)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            if i >= 0 and at + len(w) <= statements[i][0].end_byte:
                holding.add(i)
            at = data.find(w, at + 1)
    candidates = [((stmt.start_byte, stmt.end_byte), names) for i, (stmt, names) in enumerate(statements)
                  if names is not None and i not in holding]
    if not candidates:
        return None
    kept, at = [], 0
    for (start, end), _ in candidates:
        kept.append(data[at:start])
        at = end
    kept.append(data[at:])
    mentioned = {m.decode("utf-8", "replace") for m in _IDENTIFIER.findall(b"".join(kept))}
    spans = unneeded(candidates, mentioned,
                     lambda s: {m.decode("utf-8", "replace") for m in _IDENTIFIER.findall(data[s[0]:s[1]])})
    return blank(data, spans) if spans else None


def blank(data: bytes, spans) -> Narrowed:
    out = bytearray(data)
    for start, end in spans:
        out[start:end] = b";" + data[start + 1:end].translate(_BLANK)
    return Narrowed(bytes(out), tuple(sorted(spans)))
